"""Staff pages for Q Exchange, mounted at /staff/exchange/ (namespace "exchange-staff")."""

from django.urls import path

from .views import rounds_staff

app_name = "exchange-staff"

urlpatterns = [
    path("rounds/", rounds_staff.RoundListView.as_view(), name="round-list"),
    path("rounds/new/", rounds_staff.RoundCreateView.as_view(), name="round-create"),
    path("rounds/<int:pk>/", rounds_staff.RoundEditView.as_view(), name="round-edit"),
    path("rounds/<int:pk>/publish/", rounds_staff.RoundPublishView.as_view(), name="round-publish"),
]
