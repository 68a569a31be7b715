"""The public web archive of sent issues. Mounted at /newsletter/archive/."""

from django.urls import path

from . import views_compose as views

app_name = "newsletter-archive"

urlpatterns = [
    path("", views.ArchiveListView.as_view(), name="issue-list"),
    path("showcase/<int:pk>/image/", views.ShowcaseImageView.as_view(), name="showcase-image"),
    path("<slug:newsletter>/", views.ArchiveListView.as_view(), name="newsletter-issues"),
    path("<slug:newsletter>/<slug:issue>/", views.ArchiveIssueView.as_view(), name="issue-detail"),
]
