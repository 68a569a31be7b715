"""Supporting and voting (issue 6 point 5), under the `exchange:` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("proposals/<slug:slug>/support/", views.SupportView.as_view(), name="support"),
    path("supported/", views.SupportedListView.as_view(), name="supported"),
    path("<int:year>/vote/", views.BallotView.as_view(), name="ballot"),
    path("<int:year>/vote/your-ballot/", views.YourBallotView.as_view(), name="your-ballot"),
    path("<int:year>/results/", views.ResultsView.as_view(), name="results"),
    path("<int:year>/turnout/", views.TurnoutView.as_view(), name="turnout"),
]
