"""The site's own pages (namespace "core") and the staff index ("core-staff"), under the rule
every app follows: one namespace for the pages members and visitors use, "<app>-staff" for
staff pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyNoticeView.as_view(), name="privacy"),
    path("cookies/", views.CookiesView.as_view(), name="cookies"),
    path("contact/", views.ContactView.as_view(), name="contact"),
    path("health/", views.health, name="health"),
]

staff_urlpatterns = [path("", views.StaffIndexView.as_view(), name="index")]
