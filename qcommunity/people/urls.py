"""Staff pages for people and their roles, under /staff/people/ (namespace "people-staff"), and
the page where an invited person accepts (namespace "people")."""

from django.urls import path

from . import invitation_views, views

urlpatterns = [
    path(
        "invitations/<str:token>/",
        invitation_views.InvitationAcceptView.as_view(),
        name="invitation",
    ),
]

staff_urlpatterns = [
    path("", views.PersonListView.as_view(), name="person-list"),
    path("accounts.csv", views.PersonExportView.as_view(), name="person-export"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("<int:pk>/roles/give/", views.RoleGrantView.as_view(), name="role-grant"),
    path("<int:pk>/roles/remove/", views.RoleRevokeView.as_view(), name="role-revoke"),
    path(
        "<int:pk>/suspend/",
        views.AccountStatusView.as_view(action="suspend"),
        name="account-suspend",
    ),
    path(
        "<int:pk>/reinstate/",
        views.AccountStatusView.as_view(action="reinstate"),
        name="account-reinstate",
    ),
    path("invitations/", invitation_views.InvitationListView.as_view(), name="invitation-list"),
    path(
        "invitations/send/",
        invitation_views.InvitationSendView.as_view(),
        name="invitation-send",
    ),
    path(
        "invitations/<int:pk>/send-again/",
        invitation_views.InvitationActionView.as_view(action="resend"),
        name="invitation-resend",
    ),
    path(
        "invitations/<int:pk>/withdraw/",
        invitation_views.InvitationActionView.as_view(action="revoke"),
        name="invitation-revoke",
    ),
]
