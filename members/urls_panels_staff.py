from django.urls import path

from .views import panels_staff

app_name = "panels-staff"

urlpatterns = [
    path("", panels_staff.RoundPanelListView.as_view(), name="panel-list"),
    path("start-review/", panels_staff.RoundStartReviewView.as_view(), name="start-review"),
    path("<int:panel>/", panels_staff.PanelStaffDetailView.as_view(), name="panel-detail"),
    path("<int:panel>/distribute/", panels_staff.PanelDistributeView.as_view(), name="distribute"),
    path(
        "<int:panel>/assignments/<int:pk>/reassign/",
        panels_staff.AssignmentReassignView.as_view(),
        name="reassign",
    ),
]
