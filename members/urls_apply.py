from django.urls import path

from .views import apply

app_name = "joining"

urlpatterns = [
    path("", apply.JoinLandingView.as_view(), name="landing"),
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
