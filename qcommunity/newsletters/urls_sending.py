from django.urls import path

from . import views_sending

app_name = "newsletter-sending"

urlpatterns = [
    path("<int:pk>/", views_sending.IssueSendingProgressView.as_view(), name="progress"),
    path("<int:pk>/send/", views_sending.IssueSendNowView.as_view(), name="send"),
]
