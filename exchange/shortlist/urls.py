"""Shortlisting panel pages for reviewers, chairs and moderators (/exchange/panels/...)."""

from django.urls import path

from . import views

urlpatterns = [
    path("panels/", views.MyPanelsView.as_view(), name="shortlist-panels"),
    path("panels/<int:pk>/", views.PanelDetailView.as_view(), name="shortlist-panel"),
    path(
        "panels/<int:pk>/overview/",
        views.PanelOverviewView.as_view(),
        name="shortlist-overview",
    ),
    path(
        "panels/assignments/<int:pk>/",
        views.AssignmentDetailView.as_view(),
        name="shortlist-assignment",
    ),
    path(
        "panels/assignments/<int:pk>/review/",
        views.AssignmentReviewView.as_view(),
        name="shortlist-review",
    ),
]

# Staff: criteria, panels, members, sharing proposals out (/staff/exchange/).
staff_urlpatterns = [
    path("rounds/<int:pk>/criteria/", views.RoundCriteriaView.as_view(), name="round-criteria"),
    path("rounds/<int:pk>/panels/", views.RoundPanelListView.as_view(), name="round-panels"),
    path(
        "rounds/<int:pk>/panels/<int:panel>/",
        views.PanelStaffDetailView.as_view(),
        name="panel-detail",
    ),
    path(
        "rounds/<int:pk>/panels/<int:panel>/distribute/",
        views.PanelDistributeView.as_view(),
        name="panel-distribute",
    ),
    path(
        "rounds/<int:pk>/panels/<int:panel>/assignments/<int:assignment>/reassign/",
        views.AssignmentReassignView.as_view(),
        name="assignment-reassign",
    ),
]
