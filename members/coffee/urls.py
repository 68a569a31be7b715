"""Random coffee's pages. `members.urls` mounts each list at its address with its namespace."""

from django.urls import path

from . import views

# /me/coffee/ (namespace "coffee")
urlpatterns = [
    path("", views.CoffeeSettingsView.as_view(), name="coffee-settings"),
    path("<int:pk>/message/", views.CoffeeMessageView.as_view(), name="coffee-message"),
]

# /staff/directory/coffee/ (namespace "directory-staff", beside the directory's staff pages)
staff_urlpatterns = [
    path("coffee/", views.CoffeeStaffView.as_view(), name="coffee"),
    path("coffee/run/", views.CoffeeRunView.as_view(), name="coffee-run"),
]
