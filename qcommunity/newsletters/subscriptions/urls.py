"""Subscribers' pages, mounted by the app's `urls.py`: the public ones at /newsletter/
(namespace "newsletters"), the staff ones at /staff/newsletters/ ("newsletters-staff")."""

from django.urls import path

from . import views

public_urlpatterns = [
    path("", views.SubscribeView.as_view(), name="subscribe"),
    path("check-your-email/", views.SubscribeSentView.as_view(), name="subscribe-sent"),
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]

staff_urlpatterns = [
    path("", views.NewsletterListView.as_view(), name="newsletter-list"),
    path("contacts/", views.ContactListView.as_view(), name="contact-list"),
    path("contacts/<int:pk>/", views.ContactDetailView.as_view(), name="contact-detail"),
    path("suppressions/", views.SuppressionListView.as_view(), name="suppression-list"),
]
