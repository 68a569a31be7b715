from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="import-list"),
    path("<slug:kind>/upload/", views.ImportUploadView.as_view(), name="import-upload"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("<int:pk>/apply/", views.ImportApplyView.as_view(), name="import-apply"),
    path("<int:pk>/discard/", views.ImportDiscardView.as_view(), name="import-discard"),
]
