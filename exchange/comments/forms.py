"""Forms for comments and their moderation. The services check the same limits; these give the
person the message next to the field and keep what they typed."""

from django import forms

from .services import COMMENT_MAX_CHARS, HIDE_REASON_MAX_CHARS, REPORT_MAX_CHARS


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Be kind and constructive. You can use markdown: **bold**, *italic*, "
        "[a link](https://example.org) and lists.",
        error_messages={
            "required": "Enter your comment",
            "max_length": f"Comment must be {COMMENT_MAX_CHARS:,} characters or fewer",
        },
    )


class CommentReportForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this comment?",
        max_length=REPORT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, it is abusive, shares someone's private information, or is "
        "advertising. Only the moderators see this.",
        error_messages={
            "required": "Enter what is wrong with the comment",
            "max_length": f"Reason must be {REPORT_MAX_CHARS:,} characters or fewer",
        },
    )


class CommentHideForm(forms.Form):
    reason = forms.CharField(
        label="Reason for hiding it",
        max_length=HIDE_REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the comment's place, so write it for everyone who reads the "
        "thread. For example: it was abusive towards another member.",
        error_messages={
            "required": "Enter the reason for hiding the comment",
            "max_length": f"Reason must be {HIDE_REASON_MAX_CHARS} characters or fewer",
        },
    )
