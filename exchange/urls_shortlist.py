"""Shortlisting panel pages for reviewers, chairs and moderators (/exchange/panels/...)."""

from django.urls import path

from .views import shortlist

urlpatterns = [
    path("panels/", shortlist.MyPanelsView.as_view(), name="shortlist-panels"),
    path("panels/<int:pk>/", shortlist.PanelDetailView.as_view(), name="shortlist-panel"),
    path(
        "panels/<int:pk>/overview/",
        shortlist.PanelOverviewView.as_view(),
        name="shortlist-overview",
    ),
    path(
        "panels/assignments/<int:pk>/",
        shortlist.AssignmentDetailView.as_view(),
        name="shortlist-assignment",
    ),
    path(
        "panels/assignments/<int:pk>/review/",
        shortlist.AssignmentReviewView.as_view(),
        name="shortlist-review",
    ),
]
