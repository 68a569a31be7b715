from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("two-factor-required/", views.TwoFactorRequiredView.as_view(), name="two-factor-required"),
    path(
        "email/undo/<str:token>/",
        views.EmailChangeUndoView.as_view(),
        name="email-change-undo",
    ),
]
