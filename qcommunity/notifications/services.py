"""Writes for notifications: members' choices, the `notify` entry point every app calls, and the
daily summary (digest)."""

import datetime as dt
import functools
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from jinja2 import Environment

from qcommunity.accounts.models import User
from qcommunity.core.formatting import uk_date
from qcommunity.outbox.models import OutboxEmail
from qcommunity.outbox.services import email_queue_template

from .enums import Delivery
from .kinds import get_kind
from .models import Digest, DigestItem, NotificationPreference
from .selectors import digest_items_waiting, notification_delivery_for

logger = logging.getLogger(__name__)

NOTIFICATION_EMAIL = "notification"
DIGEST_EMAIL = "notification_digest"


def notification_preferences_set(*, user: User, choices: dict[str, str], actor: User) -> int:
    """Store `user`'s choice for each kind in `choices`. Required kinds and unknown keys are
    ignored: a required kind cannot be turned off. Returns how many choices were stored."""
    now = timezone.now()
    rows = []
    for key, delivery in choices.items():
        try:
            kind = get_kind(key)
        except LookupError:
            continue
        if kind.required:
            continue
        rows.append(
            NotificationPreference(user=user, kind=key, delivery=Delivery(delivery), updated_at=now)
        )
    with transaction.atomic():
        NotificationPreference.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["delivery", "updated_at"],
        )
    return len(rows)


@functools.lru_cache(maxsize=4)
def _plain_text_environment(environment: Environment) -> Environment:
    return environment.overlay(autoescape=False)


def _render_text(template_name: str, context: dict) -> str:
    environment = _plain_text_environment(engines["jinja2"].env)
    return environment.get_template(template_name).render(context)


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def notify(
    *,
    user: User,
    kind: str,
    subject: str,
    body: str = "",
    template: str = "",
    context: dict | None = None,
    related: models.Model | None = None,
    url: str = "",
) -> OutboxEmail | DigestItem | None:
    """Tell `user` about something, the way they chose for `kind`.

    The words are `body` (plain text), or `template` (a plain-text Jinja template such as
    "notifications/proposal_comment.txt") rendered with `context`. `url` (a path or full address)
    is where to read more.

    - required kinds, and kinds the user gets straight away: one outbox email now, queued in the
      caller's transaction (it goes out only if that commits);
    - daily summary: a DigestItem the next daily summary includes;
    - off: nothing is recorded.
    Inactive users get nothing. Returns the outbox row, the digest item, or None.
    """
    notification_kind = get_kind(kind)
    if not user.is_active:
        return None
    if template:
        body = _render_text(template, {"site_url": settings.SITE_URL, **(context or {})})
    body = body.strip()
    delivery = notification_delivery_for(user, kind)
    if delivery == Delivery.OFF:
        return None
    if delivery == Delivery.DAILY:
        item = DigestItem(user=user, kind=kind, subject=subject[:300], body=body, url=url)
        if related is not None:
            item.related_type = ContentType.objects.get_for_model(related)
            item.related_id = str(related.pk)
        item.save()
        return item
    return email_queue_template(
        to=user.email,
        kind=NOTIFICATION_EMAIL,
        related=related,
        context={
            "name": user.display_name,
            "subject": subject,
            "body": body,
            "url": _absolute(url) if url else "",
            "kind": notification_kind,
            "preferences_url": _absolute(reverse("notifications:preferences")),
        },
    )


def digest_send_for_user(*, user_id: int, date: dt.date) -> Digest | None:
    """Gather the user's waiting items into one summary email for `date`.

    In one transaction: lock the waiting items, write the Digest row (unique per user and day),
    mark the items as included and queue the email. A second run for the same day finds no
    waiting items (they are marked) or the day's Digest row, and sends nothing; items that arrive
    after the day's summary wait for the next day's. Returns the Digest, or None when nothing
    was sent."""
    with transaction.atomic():
        items = list(digest_items_waiting(user_id).select_for_update())
        if not items:
            return None
        digest, created = Digest.objects.get_or_create(user_id=user_id, date=date)
        if not created:
            return None
        user = User.objects.get(pk=user_id)
        DigestItem.objects.filter(pk__in=[item.pk for item in items]).update(digest=digest)
        digest.outbox_email = email_queue_template(
            to=user.email,
            kind=DIGEST_EMAIL,
            related=digest,
            context={
                "name": user.display_name,
                "date_label": uk_date(date),
                "items": [
                    {
                        "label": _kind_label(item.kind),
                        "subject": item.subject,
                        "body": item.body,
                        "url": _absolute(item.url) if item.url else "",
                    }
                    for item in items
                ],
                "preferences_url": _absolute(reverse("notifications:preferences")),
            },
        )
        digest.save(update_fields=["outbox_email"])
    return digest


def _kind_label(key: str) -> str:
    try:
        return get_kind(key).label
    except LookupError:
        return "Update"


def digest_send_daily(*, now: dt.datetime | None = None) -> int:
    """Send today's summary (Europe/London date) to every active user with waiting items, each
    in its own transaction. Safe to run twice: returns how many summaries this run sent."""
    date = timezone.localdate(now or timezone.now())
    user_ids = (
        DigestItem.objects.filter(digest__isnull=True, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(user_ids):
        try:
            if digest_send_for_user(user_id=user_id, date=date) is not None:
                sent += 1
        except Exception:  # one person's broken summary must not hold up everyone else's
            logger.exception("notifications: the summary for user %s failed", user_id)
    return sent
