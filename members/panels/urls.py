"""The joining panels' pages. `members.urls` mounts each list at its address with its
namespace."""

from django.urls import path

from .views import staff, workspace

# /panels/ (namespace "panels")
urlpatterns = [
    path("", workspace.PanelListView.as_view(), name="panel-list"),
    path("<int:pk>/", workspace.PanelDetailView.as_view(), name="panel-detail"),
    path("<int:panel>/chair/", workspace.ChairWorkspaceView.as_view(), name="chair"),
    path(
        "<int:panel>/applications/<int:pk>/",
        workspace.ChairApplicationView.as_view(),
        name="chair-application",
    ),
    path(
        "assignments/<int:pk>/", workspace.AssignmentDetailView.as_view(), name="assignment-detail"
    ),
    path(
        "assignments/<int:pk>/review/",
        workspace.AssignmentReviewView.as_view(),
        name="assignment-review",
    ),
    path(
        "assignments/<int:pk>/check/",
        workspace.AssignmentCheckView.as_view(),
        name="assignment-check",
    ),
]

# /staff/rounds/<round>/panels/ (namespace "panels-staff")
staff_urlpatterns = [
    path("", staff.RoundPanelListView.as_view(), name="panel-list"),
    path("start-review/", staff.RoundStartReviewView.as_view(), name="start-review"),
    path("<int:panel>/", staff.PanelStaffDetailView.as_view(), name="panel-detail"),
    path("<int:panel>/distribute/", staff.PanelDistributeView.as_view(), name="distribute"),
    path(
        "<int:panel>/assignments/<int:pk>/reassign/",
        staff.AssignmentReassignView.as_view(),
        name="reassign",
    ),
]
