"""Writes for the outbox: queue emails as rows, then claim and send them in batches."""

import contextlib
import datetime as dt
import functools
import html as html_lib
import logging
import re
import smtplib
import socket
import struct
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.core.mail.backends.smtp import EmailBackend as SmtpEmailBackend
from django.db import connection as db_connection
from django.db import models, transaction
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from jinja2 import Environment

from qcommunity.audit.services import audit_record
from qcommunity.core.attention import attention_changed
from qcommunity.core.errors import ServiceError, require_perm

from .enums import EmailStatus
from .mime import message_bytes
from .models import OutboxEmail

logger = logging.getLogger(__name__)

# A row left in "sending" this long was claimed by a worker that died; it goes back in the queue.
# OUTBOX_STALE_CLAIM_SECONDS overrides it (the fault tests use a few seconds).
STALE_CLAIM = dt.timedelta(minutes=10)


# The staff home's line of failed emails (`attention.py`).
FAILED_EMAILS = "outbox.failed"


def stale_claim() -> dt.timedelta:
    seconds = getattr(settings, "OUTBOX_STALE_CLAIM_SECONDS", None)
    return dt.timedelta(seconds=seconds) if seconds else STALE_CLAIM


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
    row.full_clean(exclude=["related_type", "mime"])
    row.mime = outbox_mime(row)
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
    Rows locked by a worker that is sending them right now are left alone (SKIP LOCKED).
    Returns how many rows were requeued or failed."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(status=EmailStatus.SENDING, claimed_at__lt=now - stale_claim())
            .values_list("id", "kind", "attempts")
        )
        limit = settings.OUTBOX_MAX_ATTEMPTS
        exhausted = [(pk, kind) for pk, kind, attempts in stale if attempts >= limit]
        requeued = [pk for pk, _, attempts in stale if attempts < limit]
        error = "The worker stopped while sending; no attempts left."
        OutboxEmail.objects.filter(id__in=[pk for pk, _ in exhausted]).update(
            status=EmailStatus.FAILED, claimed_at=None, last_error=error
        )
        if exhausted:
            attention_changed(FAILED_EMAILS)  # an UPDATE sends no signal
        for kind in {kind for _, kind in exhausted}:
            ids = [pk for pk, k in exhausted if k == kind]
            _notify_status(kind, ids, EmailStatus.FAILED, error)
        OutboxEmail.objects.filter(id__in=requeued).update(
            status=EmailStatus.QUEUED, claimed_at=None
        )
    return len(stale)


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


def outbox_mime(row: OutboxEmail) -> bytes:
    """The row's message as bytes for SMTP (Date and Message-ID fixed now, so a retry sends
    the same message). Call when queueing; sending uses the stored bytes. Built by
    `mime.message_bytes` (held to Django's builder by tests), about 30 times quicker."""
    return message_bytes(
        subject=row.subject,
        from_email=row.from_email,
        to=row.recipient,
        body_text=row.body_text,
        body_html=row.body_html,
        reply_to=row.reply_to,
        headers=row.headers or None,
    )


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
    every failure keeps the server's answer in `last_error`. An SMTP delivery mailer goes through
    `_send_over_smtp` (each row committed as sent at the moment its message is handed over);
    any other backend (console, locmem, an ESP's API) through Django's `send_messages`."""
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
        if isinstance(connection, SmtpEmailBackend) and connection.connection is not None:
            _send_over_smtp(connection, rows)
        else:
            _send_through_backend(connection, rows)
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    _notify_batch_done(rows)
    return len(rows)


def _send_through_backend(connection, rows: list[OutboxEmail]) -> None:
    for row in rows:
        try:
            # Straight to the open connection: EmailMessage(connection=...) is deprecated in
            # Django 6.1, and send(using=...) would open a new connection per message.
            connection.send_messages([_build_message(row)])
        except Exception as exc:  # noqa: BLE001 (any transport error fails only this row)
            _mark_failed_attempt(row, str(exc) or exc.__class__.__name__)
            logger.info("outbox: %s to %s failed: %s", row.kind, row.recipient, exc)
        else:
            with transaction.atomic():
                if _mark_sent(row):
                    _notify_status(row.kind, [row.pk], EmailStatus.SENT, "")


class _RefusedError(Exception):
    """The server answered a command with an error code: (code, reply text)."""

    def __init__(self, code: int, reply: str):
        super().__init__(reply)
        self.code = code
        self.reply = reply


def _reply_text(code: int, message: bytes) -> str:
    return f"{code} {message.decode('utf-8', 'replace')}".strip()[:2000]


_LINE_ENDINGS = re.compile(rb"\r\n|\n|\r")
_LEADING_DOT = re.compile(rb"(?m)^\.")


def _data_bytes(connection: SmtpEmailBackend, row: OutboxEmail) -> tuple[str, str, bytes]:
    from_email = _prep_address(connection, row.from_email)
    recipient = _prep_address(connection, row.recipient)
    content = bytes(row.mime) or outbox_mime(row)
    # What smtplib.SMTP.data() does to the content, minus the final ".\r\n", which is sent
    # separately at the one moment that matters (see _send_over_smtp).
    content = _LEADING_DOT.sub(b"..", _LINE_ENDINGS.sub(b"\r\n", content))
    if not content.endswith(b"\r\n"):
        content += b"\r\n"
    return from_email, recipient, content


def _prep_address(connection: SmtpEmailBackend, address: str) -> str:
    """connection.prep_address, remembered for the connection: a batch usually has one sender."""
    known = connection.__dict__.setdefault("_qc_prepared", {})
    if address not in known:
        known[address] = connection.prep_address(address)
    return known[address]


def _cork(sock, on: bool) -> None:
    """TCP_CORK (Linux): hold written bytes in the kernel until uncorked. Elsewhere a no-op."""
    if hasattr(socket, "TCP_CORK"):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1 if on else 0)


def _abort(sock) -> None:
    """Close with a reset, discarding anything still unsent (a corked ".\r\n"): the server
    drops the unfinished message."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


def _hand_over(smtp, row: OutboxEmail, from_email: str, recipient: str, content: bytes) -> bool:
    """One SMTP transaction inside one database transaction (see _send_over_smtp). Returns
    False, sending nothing, if the row's claim is no longer this worker's; raises _RefusedError
    for a refusal before the content."""
    with transaction.atomic():
        if not _mark_sent(row):
            return False
        _notify_status(row.kind, [row.pk], EmailStatus.SENT, "")
        smtp.ehlo_or_helo_if_needed()
        code, message = smtp.mail(from_email)
        if code != 250:
            raise _RefusedError(code, _reply_text(code, message))
        code, message = smtp.rcpt(recipient)
        if code not in (250, 251):
            raise _RefusedError(code, _reply_text(code, message))
        smtp.putcmd("data")
        code, message = smtp.getreply()
        if code != 354:
            raise _RefusedError(code, _reply_text(code, message))
        smtp.send(content)
        _cork(smtp.sock, True)
        # The message is complete at the server with these bytes (held by the kernel until
        # uncorked, or flushed if the process dies); the COMMIT follows at once as atomic()
        # exits. Nothing else may go between them.
        smtp.sock.sendall(b".\r\n")
    # Committed: let the ".\r\n" go. Should this fail, the socket is broken; reading the reply
    # fails next and the row stays sent (closing the socket flushes what is queued).
    with contextlib.suppress(OSError):
        _cork(smtp.sock, False)
    return True


def _send_over_smtp(connection: SmtpEmailBackend, rows: list[OutboxEmail]) -> None:
    """Send each claimed row over the one open SMTP connection, exactly once even if the worker
    is killed (SIGKILL) at any moment, save for one window of two system calls (below).

    For each row, in one database transaction: mark the row (and, through the listeners, its
    delivery) sent, uncommitted; run MAIL FROM, RCPT TO, DATA and the message content; write the
    final ".\r\n" that tells the server to take the message; then COMMIT at once, before reading
    the server's reply. A refusal at RCPT or DATA rolls the transaction back (the message was
    not taken) and the row is failed (5xx) or retried (4xx) with the reply, and the batch goes on
    over the same connection after RSET. A reply other than 250 after the content turns the
    committed "sent" back into failed or retry, in a new transaction.

    The ".\r\n" is written with the socket corked (TCP_CORK): the kernel holds it until the
    COMMIT has been written to PostgreSQL, then it goes out. Once in the kernel it is delivered
    even if the process dies (closing a socket sends what is queued), and once COMMIT is written
    PostgreSQL commits even if the client is gone. So:
    - killed before the ".\r\n" is written: the server discards the unfinished message, the
      transaction never committed and the row is still "sending"; outbox_requeue_stale puts it
      back after OUTBOX_STALE_CLAIM_SECONDS and it is sent once.
    - killed after COMMIT is written: the row is "sent" and the server gets the ".\r\n"
      (flushed at close if need be): sent once.
    - the remaining window: killed between writing the corked ".\r\n" and writing COMMIT (two
      system calls back to back, with only Django's transaction exit between them; the corked
      write wakes no other process, so nothing invites the scheduler to switch away there).
      Then the server takes the message while the row rolls back, and it is sent a second time.
    - also, if the server refuses the message after the content (content filters) and the
      worker dies before it reads that reply, the row stays "sent" though nothing was taken.

    Each row's first statement is a conditional update on its claim (status "sending" and this
    worker's claim time), so a row that another worker requeued and reclaimed meanwhile is
    skipped, never sent twice; its row lock also keeps outbox_requeue_stale away mid-send."""
    smtp = connection.connection
    # The content and the final ".\r\n" are two writes, then we wait for the reply: with
    # Nagle's algorithm the second would wait for the ACK of the first (a delayed ACK).
    with contextlib.suppress(OSError, AttributeError):
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for index, row in enumerate(rows):
        try:
            from_email, recipient, content = _data_bytes(connection, row)
        except ValueError as exc:
            _mark_failed_attempt(row, str(exc), final=True)
            continue
        refused = None
        try:
            if not _hand_over(smtp, row, from_email, recipient, content):
                continue  # requeued and claimed elsewhere: not ours to send any more
        except _RefusedError as exc:
            refused = exc
        except (smtplib.SMTPException, OSError) as exc:
            # The connection broke before the message was handed over: this row and the rest
            # of the batch are retried later.
            logger.warning("outbox: the SMTP connection broke: %s", exc)
            _abort(smtp.sock)  # a ".\r\n" may be corked: it must not go out now
            for rest in rows[index:]:
                _mark_failed_attempt(rest, f"Connection lost: {exc}")
            return
        except BaseException:
            # Anything else (the database failing at COMMIT) with the message unfinished or its
            # ".\r\n" still corked: reset the connection so the server drops the message.
            _abort(smtp.sock)
            raise
        if refused is not None:
            _mark_failed_attempt(row, refused.reply, final=refused.code >= 500)
            logger.info("outbox: %s to %s refused: %s", row.kind, row.recipient, refused.reply)
            try:
                smtp.rset()
            except (smtplib.SMTPException, OSError) as exc:
                for rest in rows[index + 1 :]:
                    _mark_failed_attempt(rest, f"Connection lost: {exc}")
                return
            continue
        try:
            code, message = smtp.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            # The message was complete at the server and the row is committed as sent; the reply
            # never came. Sending again could duplicate it, so it stays sent, with a note.
            OutboxEmail.objects.filter(pk=row.pk).update(last_error=f"No reply after data: {exc}")
            for rest in rows[index + 1 :]:
                _mark_failed_attempt(rest, f"Connection lost: {exc}")
            return
        if code != 250:
            _mark_failed_attempt(row, _reply_text(code, message), final=code >= 500)


_MARK_SENT_SQL = (
    "UPDATE outbox_outboxemail SET status = %s, sent_at = %s, last_error = '' "
    "WHERE id = %s AND status = %s AND claimed_at = %s"
)


def _mark_sent(row: OutboxEmail) -> bool:
    """Mark a claimed row sent if the claim is still this worker's. Returns whether it was.
    One prepared statement rather than a queryset: it runs once per message sent."""
    with db_connection.cursor() as cursor:
        cursor.execute(
            _MARK_SENT_SQL,
            [EmailStatus.SENT, timezone.now(), row.pk, EmailStatus.SENDING, row.claimed_at],
        )
        return cursor.rowcount == 1


def _mark_failed_attempt(row: OutboxEmail, error: str, *, final: bool = False) -> None:
    """Put the row back in the queue with back-off, or fail it for good when the attempts are
    used up or the failure is permanent (an SMTP 5xx reply)."""
    final = final or row.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    status = EmailStatus.FAILED if final else EmailStatus.QUEUED
    with transaction.atomic():
        OutboxEmail.objects.filter(pk=row.pk).update(
            status=status,
            last_error=error[:2000],
            next_attempt_at=timezone.now() + backoff(row.attempts),
            claimed_at=None,
        )
        if status == EmailStatus.FAILED:
            attention_changed(FAILED_EMAILS)  # an UPDATE sends no signal
        _notify_status(row.kind, [row.pk], status, error[:2000])


# Listeners by email kind, for models that keep a status in step with their outbox rows (a
# newsletter delivery). A status listener runs inside the transaction that changes the rows:
# listener(row_ids, status, error). A batch listener runs after a batch: listener(row_ids).
_status_listeners: dict[str, Callable[[list[int], str, str], None]] = {}
_batch_listeners: dict[str, Callable[[list[int]], None]] = {}


def outbox_listen(
    *,
    kind: str,
    on_status: Callable[[list[int], str, str], None],
    on_batch_done: Callable[[list[int]], None] | None = None,
) -> None:
    _status_listeners[kind] = on_status
    if on_batch_done is not None:
        _batch_listeners[kind] = on_batch_done


def _notify_status(kind: str, ids: list[int], status: str, error: str) -> None:
    if ids and (listener := _status_listeners.get(kind)):
        listener(ids, status, error)


def _notify_batch_done(rows: list[OutboxEmail]) -> None:
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row.pk)
    for kind, ids in by_kind.items():
        if listener := _batch_listeners.get(kind):
            listener(ids)


def outbox_send_queued(*, max_batches: int | None = None) -> int:
    """Send due rows batch by batch, at most `max_batches` (OUTBOX_TASK_BATCHES) of them;
    returns how many were claimed."""
    outbox_requeue_stale()
    total = 0
    for _ in range(max_batches or getattr(settings, "OUTBOX_TASK_BATCHES", 50)):
        claimed = outbox_send_batch()
        if not claimed:
            break
        total += claimed
    return total


# Erasing what was sent to a person (account deletion) ------------------------------------------

UNSENT = (EmailStatus.QUEUED, EmailStatus.FAILED)


def outbox_emails_erase(*, addresses: list[str]) -> dict[str, int]:
    """Forget the email sent to `addresses`, keeping the counts. Emails not yet sent (queued, or
    failed) are deleted; for emails sent (or being handed over right now), the row stays with
    its kind, status and times, but the address, reply-to, subject, bodies, headers, stored
    message bytes and error are blanked. Two statements, whatever the number of emails. The
    conditional updates of a worker sending a row at this moment leave the blanks alone."""
    from .selectors import outbox_emails_to

    rows = outbox_emails_to(addresses)
    deleted, _ = rows.filter(status__in=UNSENT).delete()
    if deleted:
        attention_changed(FAILED_EMAILS)
    blanked = rows.exclude(status__in=UNSENT).update(
        recipient="",
        reply_to="",
        subject="",
        body_text="",
        body_html="",
        headers={},
        mime=b"",
        last_error="",
    )
    return {"deleted": deleted, "blanked": blanked}


# Staff dealing with a failed email ------------------------------------------------------------


class OutboxRetryError(ServiceError):
    """An email that cannot be sent again (it is not failed)."""


@transaction.atomic
def outbox_email_retry(*, actor, email: OutboxEmail) -> OutboxEmail:
    """Put a failed email back in the queue to be sent once more, as it was stored (the same
    message and Message-ID), with its attempts counted afresh; the worker sends it after the
    transaction commits. Only failed emails (refused otherwise, so a second press does
    nothing); staff who may see the outbox. Audited as `outbox.retry` with the last error. A
    newsletter delivery it carries goes back to queued with it."""
    require_perm(actor, "accounts.view_outbox", error=OutboxRetryError)
    row = OutboxEmail.objects.select_for_update().get(pk=email.pk)
    if row.status != EmailStatus.FAILED:
        raise OutboxRetryError(
            f"This email is {row.get_status_display().lower()}, not failed: there is nothing to "
            "send again."
        )
    error = row.last_error
    row.status = EmailStatus.QUEUED
    row.attempts = 0
    row.next_attempt_at = timezone.now()
    row.claimed_at = None
    row.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_at"])
    audit_record(
        actor=actor,
        action="outbox.retry",
        target=row,
        data={"kind": row.kind, "last_error": error[:500]},
    )
    _notify_status(row.kind, [row.pk], EmailStatus.QUEUED, "")
    attention_changed(FAILED_EMAILS)
    _schedule_send()
    return row
