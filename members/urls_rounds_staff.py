from django.urls import path

from .views import rounds_report, rounds_staff

app_name = "join-staff"

urlpatterns = [
    path("", rounds_staff.RoundListView.as_view(), name="round-list"),
    path("new/", rounds_staff.RoundCreateView.as_view(), name="round-create"),
    path("<int:pk>/", rounds_staff.RoundDetailView.as_view(), name="round-detail"),
    path("<int:pk>/edit/", rounds_staff.RoundEditView.as_view(), name="round-edit"),
    # Before the transition route, whose "<pk>/<action>/" would otherwise take "report/".
    path("<int:pk>/report/", rounds_report.RoundReportView.as_view(), name="round-report"),
    path(
        "<int:pk>/decisions.csv",
        rounds_report.RoundDecisionsCsvView.as_view(),
        name="round-decisions-csv",
    ),
    path("<int:pk>/audit/", rounds_report.RoundAuditView.as_view(), name="round-audit"),
    path(
        "<int:pk>/<str:action>/confirm/",
        rounds_staff.RoundConfirmView.as_view(),
        name="round-confirm",
    ),
    path(
        "<int:pk>/<str:action>/",
        rounds_staff.RoundTransitionView.as_view(),
        name="round-transition",
    ),
]
