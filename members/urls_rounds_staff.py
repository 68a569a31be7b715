from django.urls import path

from .views import rounds_staff

app_name = "join-staff"

urlpatterns = [
    path("", rounds_staff.RoundListView.as_view(), name="round-list"),
    path("new/", rounds_staff.RoundCreateView.as_view(), name="round-create"),
    path("<int:pk>/", rounds_staff.RoundDetailView.as_view(), name="round-detail"),
    path("<int:pk>/edit/", rounds_staff.RoundEditView.as_view(), name="round-edit"),
    path(
        "<int:pk>/<str:action>/",
        rounds_staff.RoundTransitionView.as_view(),
        name="round-transition",
    ),
]
