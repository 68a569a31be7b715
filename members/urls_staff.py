from django.urls import path

from .views import coffee_staff, staff

app_name = "directory-staff"

urlpatterns = [
    path("", staff.DirectoryInsightsView.as_view(), name="insights"),
    path("export.csv", staff.DirectoryExportView.as_view(), name="export"),
    path("coffee/", coffee_staff.CoffeeStaffView.as_view(), name="coffee"),
    path("coffee/run/", coffee_staff.CoffeeRunView.as_view(), name="coffee-run"),
]
