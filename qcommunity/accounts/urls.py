from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("two-factor-required/", views.TwoFactorRequiredView.as_view(), name="two-factor-required"),
]
