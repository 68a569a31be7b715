from django.urls import path

from .views import panels

app_name = "panels"

urlpatterns = [
    path("", panels.PanelListView.as_view(), name="panel-list"),
    path("<int:pk>/", panels.PanelDetailView.as_view(), name="panel-detail"),
    path("<int:panel>/chair/", panels.ChairWorkspaceView.as_view(), name="chair"),
    path(
        "<int:panel>/applications/<int:pk>/",
        panels.ChairApplicationView.as_view(),
        name="chair-application",
    ),
    path("assignments/<int:pk>/", panels.AssignmentDetailView.as_view(), name="assignment-detail"),
    path(
        "assignments/<int:pk>/review/",
        panels.AssignmentReviewView.as_view(),
        name="assignment-review",
    ),
    path(
        "assignments/<int:pk>/check/",
        panels.AssignmentCheckView.as_view(),
        name="assignment-check",
    ),
]
