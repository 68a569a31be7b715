"""The directory's pages. `members.urls` mounts each list at its address with its namespace."""

from django.urls import path

from . import views

# /directory/ (namespace "directory")
search_urlpatterns = [
    path("", views.DirectorySearchView.as_view(), name="search"),
]

# /directory/<slug>/ (namespace "profiles")
profile_urlpatterns = [
    path("<slug:slug>/", views.ProfileDetailView.as_view(), name="profile-detail"),
    path("<slug:slug>/photo/", views.ProfilePhotoView.as_view(), name="profile-photo"),
    path("<slug:slug>/contact/", views.ContactView.as_view(), name="contact"),
    path("<slug:slug>/contact/sent/", views.ContactSentView.as_view(), name="contact-sent"),
]

# /me/profile/ (namespace "me")
me_urlpatterns = [
    path("profile/", views.ProfileEditView.as_view(), name="profile-edit"),
    path("profile/preview/", views.ProfilePreviewView.as_view(), name="profile-preview"),
    path("profile/photo/", views.ProfilePhotoUploadView.as_view(), name="profile-photo-edit"),
    path(
        "profile/photo/remove/", views.ProfilePhotoRemoveView.as_view(), name="profile-photo-remove"
    ),
    path("profile/visibility/", views.ProfileVisibilityView.as_view(), name="profile-visibility"),
    path("profile/confirm/", views.ProfileConfirmView.as_view(), name="profile-confirm"),
    path("profile/messages/", views.ProfileMessagesView.as_view(), name="profile-messages"),
]

# /staff/directory/ (namespace "directory-staff", shared with random coffee's staff pages)
staff_urlpatterns = [
    path("", views.DirectoryInsightsView.as_view(), name="insights"),
    path("export.csv", views.DirectoryExportView.as_view(), name="export"),
]
