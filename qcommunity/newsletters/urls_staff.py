from django.urls import path

from . import views_staff

app_name = "newsletters-staff"

urlpatterns = [
    path("", views_staff.NewsletterListView.as_view(), name="newsletter-list"),
    path("contacts/", views_staff.ContactListView.as_view(), name="contact-list"),
    path("contacts/<int:pk>/", views_staff.ContactDetailView.as_view(), name="contact-detail"),
    path("suppressions/", views_staff.SuppressionListView.as_view(), name="suppression-list"),
    path("import/", views_staff.ImportUploadView.as_view(), name="import-upload"),
    path("import/<int:pk>/", views_staff.ImportPreviewView.as_view(), name="import-preview"),
    path("import/<int:pk>/result/", views_staff.ImportResultView.as_view(), name="import-result"),
]
