"""Setting up a round: staff pages under /staff/exchange/ (namespace "exchange-staff")."""

from django.urls import path

from . import views

staff_urlpatterns = [
    path("rounds/new/", views.RoundCreateView.as_view(), name="round-create"),
    path("rounds/<int:pk>/", views.RoundEditView.as_view(), name="round-edit"),
    path("rounds/<int:pk>/publish/", views.RoundPublishView.as_view(), name="round-publish"),
]
