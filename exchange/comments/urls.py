"""Comments on proposals and their moderation (mounted under /exchange/ by exchange/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "proposals/<slug:slug>/comments/",
        views.CommentCreateView.as_view(),
        name="comment-create",
    ),
    path(
        "proposals/<slug:slug>/comments/<int:pk>/reply/",
        views.CommentReplyView.as_view(),
        name="comment-reply",
    ),
    path(
        "proposals/<slug:slug>/comments/<int:pk>/edit/",
        views.CommentEditView.as_view(),
        name="comment-edit",
    ),
    path(
        "proposals/<slug:slug>/comments/<int:pk>/report/",
        views.CommentReportView.as_view(),
        name="comment-report",
    ),
    path("moderation/", views.ModerationQueueView.as_view(), name="moderation-queue"),
    path(
        "moderation/comments/<int:pk>/",
        views.ModerationCommentView.as_view(),
        name="moderation-comment",
    ),
    path(
        "moderation/comments/<int:pk>/hide/",
        views.ModerationHideView.as_view(),
        name="moderation-comment-hide",
    ),
    path(
        "moderation/comments/<int:pk>/dismiss/",
        views.ModerationDismissView.as_view(),
        name="moderation-comment-dismiss",
    ),
    path(
        "moderation/comments/<int:pk>/unhide/",
        views.ModerationUnhideView.as_view(),
        name="moderation-comment-unhide",
    ),
]
