from django.urls import path

from .views import browse

urlpatterns = [
    path("", browse.RoundListView.as_view(), name="round-list"),
    path("<int:year>/", browse.RoundDetailView.as_view(), name="round-detail"),
    path("<int:year>/feed/", browse.RoundFeed(), name="round-feed"),
]
