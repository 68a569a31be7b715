"""Showcase pages, mounted by the app's `urls.py`: members put their work forward at
/me/showcase/ (namespace "showcase"); editors review it at /staff/newsletters/issues/showcase/
(in the issues' namespace "newsletter-issues"); an item's image is served at
/newsletter/archive/showcase/<pk>/image/ (in the archive's "newsletter-archive")."""

from django.urls import path

from . import views

member_urlpatterns = [
    path("", views.ShowcaseListView.as_view(), name="item-list"),
    path("new/", views.ShowcaseSubmitView.as_view(), name="item-submit"),
    path("<int:pk>/", views.ShowcaseDetailView.as_view(), name="item-detail"),
    path("<int:pk>/edit/", views.ShowcaseSubmitView.as_view(), name="item-edit"),
]

review_urlpatterns = [
    path("", views.ShowcaseQueueView.as_view(), name="showcase-queue"),
    path("<int:pk>/", views.ShowcaseReviewView.as_view(), name="showcase-review"),
    path("<int:pk>/approve/", views.ShowcaseApproveView.as_view(), name="showcase-approve"),
    path("<int:pk>/return/", views.ShowcaseReturnView.as_view(), name="showcase-return"),
]

image_urlpatterns = [
    path("<int:pk>/image/", views.ShowcaseImageView.as_view(), name="showcase-image"),
]
