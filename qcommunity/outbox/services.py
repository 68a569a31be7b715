"""Writes for the outbox: queue emails as rows, then claim and send them in batches."""

import datetime as dt
import functools
import html as html_lib
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.db import models, transaction
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from jinja2 import Environment

from .enums import EmailStatus
from .models import OutboxEmail

logger = logging.getLogger(__name__)

# A row left in "sending" this long was claimed by a worker that died; it goes back in the queue.
STALE_CLAIM = dt.timedelta(minutes=10)


def _schedule_send() -> None:
    from .tasks import outbox_send_queued

    transaction.on_commit(outbox_send_queued.delay)


def email_queue(
    *,
    to: str,
    kind: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    related: models.Model | None = None,
    reply_to: str = "",
    headers: dict | None = None,
    from_email: str | None = None,
) -> OutboxEmail:
    """Write one queued email row and, after the transaction commits, ask a worker to send."""
    row = OutboxEmail(
        recipient=to,
        kind=kind,
        subject=" ".join(subject.split()),
        body_text=body_text,
        body_html=body_html,
        reply_to=reply_to,
        headers=headers or {},
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
    )
    if related is not None:
        row.related_type = ContentType.objects.get_for_model(related)
        row.related_id = str(related.pk)
    row.full_clean(exclude=["related_type"])
    row.save()
    _schedule_send()
    return row


@functools.lru_cache(maxsize=4)
def _plain_text_environment(environment: Environment) -> Environment:
    return environment.overlay(autoescape=False)


def _render_plain_text(template_name: str, context: dict) -> str:
    # The site environment escapes HTML everywhere, which would turn "Tom & Jerry" into
    # "Tom &amp; Jerry" in a subject line or a plain-text body; text parts render unescaped.
    environment = _plain_text_environment(engines["jinja2"].env)
    return environment.get_template(template_name).render(context)


def email_queue_template(
    *, to: str, kind: str, context: dict, related: models.Model | None = None, **extra
) -> OutboxEmail:
    """Render `templates/emails/<kind>/{subject.txt, body.txt, body.html}` and queue the email.
    The subject and plain-text body are rendered without HTML escaping; the HTML body with it."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = _render_plain_text(f"emails/{kind}/subject.txt", context).strip()
    body_text = _render_plain_text(f"emails/{kind}/body.txt", context)
    body_html = render_to_string(f"emails/{kind}/body.html", context)
    return email_queue(
        to=to,
        kind=kind,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        related=related,
        **extra,
    )


def email_queue_message(*, message: EmailMessage, kind: str) -> list[OutboxEmail]:
    """Queue a Django EmailMessage (one row per recipient); used by allauth and the backend."""
    html = ""
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            html = content
    if message.content_subtype == "html":
        # The row always carries a plain-text part, so an HTML-only message gets one derived
        # from its HTML rather than failing validation on an empty body.
        html, text = message.body, html_to_text(message.body)
    else:
        text = message.body
    return [
        email_queue(
            to=recipient,
            kind=kind,
            subject=message.subject,
            body_text=text,
            body_html=html,
            reply_to=", ".join(message.reply_to),
            headers=dict(message.extra_headers),
            from_email=message.from_email,
        )
        for recipient in [*message.to, *message.cc, *message.bcc]
    ]


def html_to_text(html: str) -> str:
    """A readable plain-text part for a message that only came with HTML."""
    text = html_lib.unescape(strip_tags(html.replace("</p>", "</p>\n\n").replace("<br>", "\n")))
    return "\n".join(line.strip() for line in text.splitlines()).strip() + "\n"


def outbox_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Put rows whose worker died mid-send back in the queue. A row that has already used all
    its attempts is failed instead, so a message that kills the worker cannot loop for ever.
    Returns how many rows were requeued or failed."""
    now = now or timezone.now()
    stale = OutboxEmail.objects.filter(status=EmailStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    exhausted = stale.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).update(
        status=EmailStatus.FAILED,
        claimed_at=None,
        last_error="The worker stopped while sending; no attempts left.",
    )
    return exhausted + stale.update(status=EmailStatus.QUEUED, claimed_at=None)


def outbox_claim_batch(*, size: int) -> list[OutboxEmail]:
    """Claim up to `size` due rows atomically (FOR UPDATE SKIP LOCKED): two workers never get the
    same row. Claimed rows are marked sending with the claim time."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(status=EmailStatus.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:size]
        )
        if not ids:
            return []
        OutboxEmail.objects.filter(id__in=ids).update(
            status=EmailStatus.SENDING, claimed_at=now, attempts=models.F("attempts") + 1
        )
    return list(OutboxEmail.objects.filter(id__in=ids).order_by("id"))


def _build_message(row: OutboxEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=row.from_email,
        to=[row.recipient],
        reply_to=[row.reply_to] if row.reply_to else None,
        headers=row.headers or None,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


def backoff(attempts: int) -> dt.timedelta:
    """1, 4, 16, 64 minutes... between attempts."""
    return dt.timedelta(minutes=4 ** max(attempts - 1, 0))


def outbox_send_batch(*, size: int | None = None) -> int:
    """Claim one batch and send it over one connection. Returns how many rows were claimed.
    A failed row goes back in the queue with back-off until OUTBOX_MAX_ATTEMPTS, then is failed;
    every failure keeps the server's answer in `last_error`."""
    rows = outbox_claim_batch(size=size or settings.OUTBOX_BATCH_SIZE)
    if not rows:
        return 0
    connection = mailers["delivery"]
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 (rows must not stay "sending" until they go stale)
        for row in rows:
            _mark_failed_attempt(row, f"Could not connect: {exc}")
        logger.warning("outbox: could not open the mail connection: %s", exc)
        return len(rows)
    try:
        for row in rows:
            try:
                # Straight to the open connection: EmailMessage(connection=...) is deprecated in
                # Django 6.1, and send(using=...) would open a new connection per message.
                connection.send_messages([_build_message(row)])
            except Exception as exc:  # noqa: BLE001 (any transport error fails only this row)
                _mark_failed_attempt(row, str(exc) or exc.__class__.__name__)
                logger.info("outbox: %s to %s failed: %s", row.kind, row.recipient, exc)
            else:
                OutboxEmail.objects.filter(pk=row.pk).update(
                    status=EmailStatus.SENT, sent_at=timezone.now(), last_error=""
                )
    finally:
        connection.close()
    return len(rows)


def _mark_failed_attempt(row: OutboxEmail, error: str) -> None:
    final = row.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    OutboxEmail.objects.filter(pk=row.pk).update(
        status=EmailStatus.FAILED if final else EmailStatus.QUEUED,
        last_error=error[:2000],
        next_attempt_at=timezone.now() + backoff(row.attempts),
        claimed_at=None,
    )


def outbox_send_queued(*, max_batches: int = 50) -> int:
    """Send due rows batch by batch; returns how many were claimed."""
    outbox_requeue_stale()
    total = 0
    for _ in range(max_batches):
        claimed = outbox_send_batch()
        if not claimed:
            break
        total += claimed
    return total
