"""The public round pages (list, round, feed) and a proposal's page under /exchange/, and the
staff list of rounds and a round's proposals, votes and outcomes as a CSV under
/staff/exchange/."""

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
    path("rounds/<int:pk>/export/", views.StaffRoundExportView.as_view(), name="round-export"),
    path(
        "rounds/<int:pk>/proposals.csv",
        views.StaffRoundProposalsCsvView.as_view(),
        name="round-proposals-csv",
    ),
]
