from django.urls import path

from .views import profile

app_name = "profiles"

urlpatterns = [
    path("<slug:slug>/", profile.ProfileDetailView.as_view(), name="profile-detail"),
    path("<slug:slug>/photo/", profile.ProfilePhotoView.as_view(), name="profile-photo"),
    path("<slug:slug>/contact/", profile.ContactView.as_view(), name="contact"),
    path("<slug:slug>/contact/sent/", profile.ContactSentView.as_view(), name="contact-sent"),
]
