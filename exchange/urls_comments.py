"""Comments on proposals and their moderation (mounted under /exchange/ by exchange/urls.py)."""

from django.urls import path

from .views import comments

urlpatterns = [
    path(
        "proposals/<slug:slug>/comments/",
        comments.CommentCreateView.as_view(),
        name="comment-create",
    ),
    path(
        "proposals/<slug:slug>/comments/<int:pk>/reply/",
        comments.CommentReplyView.as_view(),
        name="comment-reply",
    ),
    path(
        "proposals/<slug:slug>/comments/<int:pk>/edit/",
        comments.CommentEditView.as_view(),
        name="comment-edit",
    ),
    path(
        "proposals/<slug:slug>/comments/<int:pk>/report/",
        comments.CommentReportView.as_view(),
        name="comment-report",
    ),
    path("moderation/", comments.ModerationQueueView.as_view(), name="moderation-queue"),
    path(
        "moderation/comments/<int:pk>/",
        comments.ModerationCommentView.as_view(),
        name="moderation-comment",
    ),
    path(
        "moderation/comments/<int:pk>/hide/",
        comments.ModerationHideView.as_view(),
        name="moderation-comment-hide",
    ),
    path(
        "moderation/comments/<int:pk>/dismiss/",
        comments.ModerationDismissView.as_view(),
        name="moderation-comment-dismiss",
    ),
    path(
        "moderation/comments/<int:pk>/unhide/",
        comments.ModerationUnhideView.as_view(),
        name="moderation-comment-unhide",
    ),
]
