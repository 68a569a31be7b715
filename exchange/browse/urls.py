"""The public round pages (list, round, feed) and a proposal's page under /exchange/, and the
staff list of rounds under /staff/exchange/."""

from django.urls import path

from . import views

urlpatterns = [
    path("proposals/<slug:slug>/", views.ProposalDetailView.as_view(), name="proposal-detail"),
    path("", views.RoundListView.as_view(), name="round-list"),
    path("<int:year>/", views.RoundDetailView.as_view(), name="round-detail"),
    path("<int:year>/feed/", views.RoundFeed(), name="round-feed"),
]

staff_urlpatterns = [
    path("rounds/", views.StaffRoundListView.as_view(), name="round-list"),
]
