"""The email of an issue for one subscriber. A minimal version for sending; the compose work
replaces it with the full one (sections, blocks, showcase items, merge fields)."""

from django.conf import settings
from django.template.loader import render_to_string

from qcommunity.outbox.services import _render_plain_text

from .models import Issue, Subscription


def issue_render_email(
    issue: Issue, *, subscription: Subscription | None = None, unsubscribe_url: str = ""
) -> dict[str, str]:
    """{"subject", "body_text", "body_html"} for `issue`, personalised for `subscription`."""
    context = {
        "site_url": settings.SITE_URL,
        "issue": issue,
        "newsletter": issue.newsletter,
        "subscription": subscription,
        "unsubscribe_url": unsubscribe_url,
    }
    return {
        "subject": " ".join(issue.title.split()),
        "body_text": _render_plain_text("emails/newsletter_issue/body.txt", context),
        "body_html": render_to_string("emails/newsletter_issue/body.html", context),
    }
