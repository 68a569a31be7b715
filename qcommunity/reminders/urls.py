from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [path("", views.ReminderListView.as_view(), name="reminder-list")]
