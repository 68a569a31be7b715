from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.OutboxEmailListView.as_view(), name="email-list"),
    path("<int:pk>/retry/", views.OutboxEmailRetryView.as_view(), name="email-retry"),
]
