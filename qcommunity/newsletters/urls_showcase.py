"""Members put their work forward for the newsletter. Mounted at /me/showcase/."""

from django.urls import path

from . import views_compose as views

app_name = "showcase"

urlpatterns = [
    path("", views.ShowcaseListView.as_view(), name="item-list"),
    path("new/", views.ShowcaseSubmitView.as_view(), name="item-submit"),
    path("<int:pk>/", views.ShowcaseDetailView.as_view(), name="item-detail"),
    path("<int:pk>/edit/", views.ShowcaseSubmitView.as_view(), name="item-edit"),
]
