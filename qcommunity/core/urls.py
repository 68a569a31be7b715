from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyNoticeView.as_view(), name="privacy"),
    path("cookies/", views.CookiesView.as_view(), name="cookies"),
    path("contact/", views.ContactView.as_view(), name="contact"),
    path("health/", views.health, name="health"),
    path("staff/", views.StaffIndexView.as_view(), name="staff-index"),
]
