from django.urls import path

from .views import staff

app_name = "directory-staff"

urlpatterns = [
    path("", staff.DirectoryInsightsView.as_view(), name="insights"),
    path("export.csv", staff.DirectoryExportView.as_view(), name="export"),
]
