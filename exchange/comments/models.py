"""Threaded comments on proposals and the reports people make about them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..proposals.models import Proposal


class Comment(models.Model):
    """A comment on a proposal, or a reply to one (`parent`). The markdown is rendered and
    sanitised once, when written, into `body_html`. A hidden comment keeps its place in the thread
    (replies still make sense) but shows only that it was hidden, and why. A removed comment
    (`removed_at`: its author deleted their account) keeps its place the same way, with its text
    blanked, and shows only that it was removed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # None only for a comment imported from the earlier Q Exchange site whose author has no
    # account here: they are shown by `guest_name`, as a guest.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exchange_comments",
    )
    guest_name = models.CharField(max_length=150, blank=True, db_default="")
    body = models.TextField(max_length=10000)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=500, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    # Set when brought in from the earlier Q Exchange site (exchange.imports); `created_at`
    # keeps the original date.
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(author__isnull=False)
                | (Q(imported_at__isnull=False) & ~Q(guest_name="")),
                name="exchange_comment_author_or_imported_guest",
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="exchange_comment_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | (Q(body="") & Q(body_html="")),
                name="exchange_comment_removed_is_blank",
            ),
        ]
        indexes = [
            models.Index(fields=["proposal", "created_at"], name="exchange_comment_prop_idx"),
            models.Index(fields=["parent"], name="exchange_comment_parent_idx"),
            models.Index(fields=["author"], name="exchange_comment_author_idx"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on proposal {self.proposal_id}"

    @property
    def author_name(self) -> str:
        """The author's name as pages show it: their account's, or an imported guest's."""
        return self.author.get_full_name() if self.author_id else self.guest_name


class CommentReport(models.Model):
    """A reader's report that a comment breaks the community's rules, for the moderators."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="exchange_comment_report_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(resolved_at__isnull=True),
                name="exchange_report_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Report on comment {self.comment_id}"
