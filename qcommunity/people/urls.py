"""Staff pages for people and their roles, under /staff/people/ (namespace "people": every
page here is for staff)."""

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person-list"),
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
]
