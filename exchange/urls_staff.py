"""Staff pages for Q Exchange, mounted at /staff/exchange/ (namespace "exchange-staff")."""

from django.urls import path

from .views import rounds_staff, shortlist

app_name = "exchange-staff"

urlpatterns = [
    path("rounds/", rounds_staff.RoundListView.as_view(), name="round-list"),
    path("rounds/new/", rounds_staff.RoundCreateView.as_view(), name="round-create"),
    path("rounds/<int:pk>/", rounds_staff.RoundEditView.as_view(), name="round-edit"),
    path("rounds/<int:pk>/publish/", rounds_staff.RoundPublishView.as_view(), name="round-publish"),
    # Shortlisting (issue 6 point 6): criteria, panels, members, sharing proposals out.
    path("rounds/<int:pk>/criteria/", shortlist.RoundCriteriaView.as_view(), name="round-criteria"),
    path("rounds/<int:pk>/panels/", shortlist.RoundPanelListView.as_view(), name="round-panels"),
    path(
        "rounds/<int:pk>/panels/<int:panel>/",
        shortlist.PanelStaffDetailView.as_view(),
        name="panel-detail",
    ),
    path(
        "rounds/<int:pk>/panels/<int:panel>/distribute/",
        shortlist.PanelDistributeView.as_view(),
        name="panel-distribute",
    ),
    path(
        "rounds/<int:pk>/panels/<int:panel>/assignments/<int:assignment>/reassign/",
        shortlist.AssignmentReassignView.as_view(),
        name="assignment-reassign",
    ),
]
