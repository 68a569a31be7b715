"""The contact import, mounted by the app's `urls.py` at /staff/newsletters/import/ (namespace
"newsletters-staff", shared with the subscribers' staff pages)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ImportUploadView.as_view(), name="import-upload"),
    path("<int:pk>/", views.ImportPreviewView.as_view(), name="import-preview"),
    path("<int:pk>/result/", views.ImportResultView.as_view(), name="import-result"),
]
