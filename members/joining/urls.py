"""Joining Q's pages. `members.urls` mounts each list at its address with its namespace."""

from django.urls import path

from .views import apply, report, rounds

# /join/ (namespace "joining")
urlpatterns = [
    path("", apply.JoinLandingView.as_view(), name="join"),
    path("eligibility/", apply.EligibilityView.as_view(), name="eligibility"),
    path("rounds/<int:pk>/start/", apply.ApplicationStartView.as_view(), name="application-start"),
    path("applications/", apply.ApplicationListView.as_view(), name="application-list"),
    path(
        "applications/<int:pk>/", apply.ApplicationDetailView.as_view(), name="application-detail"
    ),
    path(
        "applications/<int:pk>/edit/", apply.ApplicationEditView.as_view(), name="application-edit"
    ),
    path(
        "applications/<int:pk>/check/",
        apply.ApplicationCheckView.as_view(),
        name="application-check",
    ),
    path(
        "applications/<int:pk>/submitted/",
        apply.ApplicationSubmittedView.as_view(),
        name="application-submitted",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        apply.ApplicationWithdrawView.as_view(),
        name="application-withdraw",
    ),
]

# /staff/rounds/ (namespace "join-staff")
staff_urlpatterns = [
    path("", rounds.RoundListView.as_view(), name="round-list"),
    path("new/", rounds.RoundCreateView.as_view(), name="round-create"),
    path("<int:pk>/", rounds.RoundDetailView.as_view(), name="round-detail"),
    path("<int:pk>/edit/", rounds.RoundEditView.as_view(), name="round-edit"),
    # Before the transition route, whose "<pk>/<action>/" would otherwise take "report/".
    path("<int:pk>/report/", report.RoundReportView.as_view(), name="round-report"),
    path(
        "<int:pk>/applications.csv",
        report.RoundApplicationsCsvView.as_view(),
        name="round-applications-csv",
    ),
    path("<int:pk>/audit/", report.RoundAuditView.as_view(), name="round-audit"),
    path(
        "<int:pk>/<str:action>/confirm/",
        rounds.RoundConfirmView.as_view(),
        name="round-confirm",
    ),
    path(
        "<int:pk>/<str:action>/",
        rounds.RoundTransitionView.as_view(),
        name="round-transition",
    ),
]
