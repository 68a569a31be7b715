from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("data/", views.PersonalDataView.as_view(), name="data"),
    path("delete/", views.AccountDeleteView.as_view(), name="delete"),
    path("deleted/", views.AccountDeletedView.as_view(), name="deleted"),
]
