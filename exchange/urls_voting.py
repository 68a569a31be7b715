"""Supporting and voting (issue 6 point 5), under the `exchange:` namespace."""

from django.urls import path

from .views import voting

urlpatterns = [
    path("proposals/<slug:slug>/support/", voting.SupportView.as_view(), name="support"),
    path("supported/", voting.SupportedListView.as_view(), name="supported"),
    path("<int:year>/vote/", voting.BallotView.as_view(), name="ballot"),
    path("<int:year>/vote/your-ballot/", voting.YourBallotView.as_view(), name="your-ballot"),
    path("<int:year>/results/", voting.ResultsView.as_view(), name="results"),
    path("<int:year>/turnout/", voting.TurnoutView.as_view(), name="turnout"),
]
