"""Shortlisting's pages: the shared workspace's views (`qcommunity.scoring.views`) for
`PROPOSAL_PANELS`, and shortlisting's own (criteria, a round's panels)."""

from django.urls import path

from qcommunity.scoring import views as workspace

from . import views
from .kind import PROPOSAL_PANELS as KIND

# Reviewers, chairs and moderators (/exchange/panels/...).
urlpatterns = [
    path("panels/", workspace.PanelListView.as_view(kind=KIND), name="shortlist-panels"),
    path("panels/<int:pk>/", workspace.PanelDetailView.as_view(kind=KIND), name="shortlist-panel"),
    path(
        "panels/<int:pk>/overview/",
        workspace.ChairView.as_view(kind=KIND),
        name="shortlist-overview",
    ),
    path(
        "panels/assignments/<int:pk>/",
        workspace.AssignmentDetailView.as_view(kind=KIND),
        name="shortlist-assignment",
    ),
    path(
        "panels/assignments/<int:pk>/review/",
        workspace.AssignmentReviewView.as_view(kind=KIND),
        name="shortlist-review",
    ),
]

# Staff: criteria, panels, members, sharing proposals out (/staff/exchange/).
staff_urlpatterns = [
    path("rounds/<int:pk>/criteria/", views.RoundCriteriaView.as_view(), name="round-criteria"),
    path("rounds/<int:pk>/panels/", views.RoundPanelListView.as_view(), name="round-panels"),
    path(
        "rounds/<int:pk>/panels/<int:panel>/",
        workspace.StaffPanelDetailView.as_view(kind=KIND),
        name="panel-detail",
    ),
    path(
        "rounds/<int:pk>/panels/<int:panel>/distribute/",
        workspace.PanelDistributeView.as_view(kind=KIND),
        name="panel-distribute",
    ),
    path(
        "rounds/<int:pk>/panels/<int:panel>/assignments/<int:assignment>/reassign/",
        workspace.AssignmentReassignView.as_view(kind=KIND),
        name="assignment-reassign",
    ),
]
