"""Provider organisations: the landing page and the organisations' own pages under
/accreditation/ (namespace "accreditation"); the coordinators' list and verify action under
/accreditation/providers/ (namespace "accreditation-staff")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.LandingView.as_view(), name="landing"),
    path(
        "providers/register/",
        views.OrganisationRegisterView.as_view(),
        name="organisation-register",
    ),
    path(
        "providers/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"
    ),
    path(
        "providers/<slug:slug>/edit/",
        views.OrganisationEditView.as_view(),
        name="organisation-edit",
    ),
    path(
        "providers/<slug:slug>/programmes/new/",
        views.ProgrammeFormView.as_view(),
        name="programme-create",
    ),
    path(
        "providers/<slug:slug>/programmes/<int:pk>/",
        views.ProgrammeFormView.as_view(),
        name="programme-edit",
    ),
    path(
        "providers/<slug:slug>/programmes/<int:pk>/remove/",
        views.ProgrammeRemoveView.as_view(),
        name="programme-remove",
    ),
    path("providers/<slug:slug>/staff/", views.StaffListView.as_view(), name="staff-list"),
    path(
        "providers/<slug:slug>/staff/invite/", views.StaffInviteView.as_view(), name="staff-invite"
    ),
    path(
        "providers/<slug:slug>/staff/<int:user_id>/remove/",
        views.StaffRemoveView.as_view(),
        name="staff-remove",
    ),
    path(
        "providers/<slug:slug>/staff/invitations/<int:pk>/withdraw/",
        views.InvitationWithdrawView.as_view(),
        name="invitation-withdraw",
    ),
]

staff_urlpatterns = [
    path("providers/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "providers/<slug:slug>/verify/",
        views.OrganisationVerifyView.as_view(),
        name="organisation-verify",
    ),
]
