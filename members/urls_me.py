from django.urls import path

from .views import me

app_name = "me"

urlpatterns = [
    path("profile/", me.ProfileEditView.as_view(), name="profile-edit"),
    path("profile/preview/", me.ProfilePreviewView.as_view(), name="profile-preview"),
    path("profile/photo/", me.ProfilePhotoUploadView.as_view(), name="profile-photo"),
    path("profile/photo/remove/", me.ProfilePhotoRemoveView.as_view(), name="profile-photo-remove"),
    path("profile/visibility/", me.ProfileVisibilityView.as_view(), name="profile-visibility"),
    path("profile/confirm/", me.ProfileConfirmView.as_view(), name="profile-confirm"),
    path("profile/messages/", me.ProfileMessagesView.as_view(), name="profile-messages"),
]
