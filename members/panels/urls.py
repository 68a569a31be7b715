"""The joining panels' pages: the shared workspace's views (`qcommunity.scoring.views`) for
`APPLICATION_PANELS`, and joining's own (the chair's decision, a round's panels, starting
review). `members.urls` mounts each list at its address with its namespace."""

from django.urls import path

from qcommunity.scoring import views as workspace

from . import views
from .kind import APPLICATION_PANELS as KIND

# /panels/ (namespace "panels")
urlpatterns = [
    path("", workspace.PanelListView.as_view(kind=KIND), name="panel-list"),
    path("<int:pk>/", workspace.PanelDetailView.as_view(kind=KIND), name="panel-detail"),
    path("<int:pk>/chair/", workspace.ChairView.as_view(kind=KIND), name="chair"),
    path(
        "<int:panel>/applications/<int:pk>/",
        views.ChairApplicationView.as_view(),
        name="chair-application",
    ),
    path(
        "assignments/<int:pk>/",
        workspace.AssignmentDetailView.as_view(kind=KIND),
        name="assignment-detail",
    ),
    path(
        "assignments/<int:pk>/review/",
        workspace.AssignmentReviewView.as_view(kind=KIND),
        name="assignment-review",
    ),
    path(
        "assignments/<int:pk>/check/",
        workspace.AssignmentCheckView.as_view(kind=KIND),
        name="assignment-check",
    ),
]

# /staff/rounds/<round>/panels/ (namespace "panels-staff")
staff_urlpatterns = [
    path("", views.RoundPanelListView.as_view(), name="panel-list"),
    path("start-review/", views.RoundStartReviewView.as_view(), name="start-review"),
    path("<int:panel>/", workspace.StaffPanelDetailView.as_view(kind=KIND), name="panel-detail"),
    path(
        "<int:panel>/distribute/",
        workspace.PanelDistributeView.as_view(kind=KIND),
        name="distribute",
    ),
    path(
        "<int:panel>/assignments/<int:assignment>/reassign/",
        workspace.AssignmentReassignView.as_view(kind=KIND),
        name="reassign",
    ),
]
