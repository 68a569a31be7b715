"""Sending an issue: the fan-out that writes one delivery (and one outbox row) per recipient
before anything is sent, the transitions into and out of "sending", and the deliveries the mail
provider reports on.

The outbox does the sending itself, batch by batch over one connection each; this module keeps
each delivery's status in step with its outbox row through the outbox's listeners, and marks the
issue sent once every delivery is sent, failed or suppressed."""

import datetime as dt
import logging
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from qcommunity.audit.services import audit_record
from qcommunity.core.attention import attention_changed
from qcommunity.core.errors import ServiceError
from qcommunity.outbox.enums import EmailStatus
from qcommunity.outbox.models import OutboxEmail
from qcommunity.outbox.services import outbox_listen, outbox_mime, stale_claim

from ..issues.enums import SENDABLE, DeliveryStatus, IssueStatus
from ..issues.models import Delivery, Issue
from ..issues.render import issue_render_email
from ..issues.selectors import issue_delivery_counts, issue_recipient_subscriptions
from ..issues.services import issue_mark_sent, issue_start_sending
from ..subscriptions.models import Subscription, Suppression
from ..subscriptions.services import normalise_email
from ..subscriptions.tokens import unsubscribe_url
from . import rules  # noqa: F401 (registers the sending permissions)

logger = logging.getLogger(__name__)

EMAIL_KIND = "newsletter_issue"
# The staff home's line of failed and bounced deliveries (`attention.py`).
FAILED_DELIVERIES = "newsletters.failed_deliveries"
# Recipients written per transaction: big enough to be quick, small enough that a worker killed
# mid-fan-out loses little and holds the issue's lock only briefly.
FAN_OUT_CHUNK = 1000


class _FanOutBusyError(Exception):
    """Another fan-out of the same issue holds its lock."""


class SendingError(ServiceError):
    """A send that cannot start, with a message for the editor (see `ServiceError`)."""


def _recipients(issue: Issue) -> QuerySet[Subscription]:
    """Confirmed, segmented subscriptions of the issue's newsletter, suppressed addresses
    included: fan-out gives those a "suppressed" delivery and no email."""
    return issue_recipient_subscriptions(issue, include_suppressed=True)


def _start_sending(issue: Issue, *, actor, action: str) -> None:
    # The compose transition fixes the content (reusable blocks copied into their sections)
    # and records the status change; `action` says what started it.
    issue_start_sending(actor=actor, issue=issue)
    issue.status = IssueStatus.SENDING
    audit_record(actor=actor, action=action, target=issue, data={"issue": issue.pk})
    transaction.on_commit(lambda: _queue_fan_out(issue.pk))


def _queue_fan_out(issue_id: int, *, after_pk: int = 0) -> None:
    from .tasks import issue_send

    issue_send.delay(issue_id, after_pk)


def issue_send_now(*, actor, issue: Issue) -> Issue:
    """An editor sends an approved (or scheduled) issue now. Rules: the actor may send issues;
    the issue is approved or scheduled (a second click finds it sending and is refused, so
    nothing is sent twice). Side effects: status "sending", an audit row, and the fan-out task
    after commit."""
    if not actor.has_perm("newsletters.send_issue"):
        raise PermissionDenied
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.status not in SENDABLE:
            if issue.status in (IssueStatus.SENDING, IssueStatus.SENT):
                raise SendingError("This issue has already been sent.")
            raise SendingError("Only an approved issue can be sent.")
        _start_sending(issue, actor=actor, action="newsletters.issue_send_now")
    return issue


def issues_start_due(*, now=None) -> list[int]:
    """Start every scheduled issue whose time has come (the beat task, every minute); and pick up
    again any issue left sending whose fan-out did not finish or whose completion was missed
    (a worker killed mid-way). Returns the ids of the issues it queued a fan-out for."""
    now = now or timezone.now()
    started = []
    with transaction.atomic():
        due = Issue.objects.select_for_update(skip_locked=True).filter(
            status=IssueStatus.SCHEDULED, scheduled_for__lte=now
        )
        for issue in due:
            _start_sending(issue, actor=None, action="newsletters.issue_send_scheduled")
            started.append(issue.pk)
    # A fan-out touches its issue after every chunk; one quiet for longer than a stale claim
    # belonged to a worker that died.
    unfinished = Issue.objects.filter(
        status=IssueStatus.SENDING,
        deliveries_written_at=None,
        updated_at__lt=now - stale_claim(),
    )
    for issue_id in unfinished.exclude(pk__in=started).values_list("pk", flat=True):
        transaction.on_commit(lambda issue_id=issue_id: _queue_fan_out(issue_id))
        started.append(issue_id)
    for issue_id in Issue.objects.filter(
        status=IssueStatus.SENDING, deliveries_written_at__isnull=False
    ).values_list("pk", flat=True):
        issue_complete_if_done(issue_id=issue_id)
    return started


def issue_send(*, issue_id: int, after_pk: int = 0, max_chunks: int | None = None) -> int:
    """The fan-out: write one delivery per recipient (unique on issue and contact) and, with it
    in the same transaction, one outbox row, before anything is sent. Suppressed addresses get
    a "suppressed" delivery and no outbox row. Idempotent: a second run (a retried task, a
    double start) writes nothing twice. Does nothing unless the issue is sending. Returns how
    many deliveries it wrote.

    Recipients are taken in subscription order from `after_pk`. With `max_chunks`, a run that
    reaches that many chunks queues the rest as a new task (after commit) and stops, so one
    task's length stays bounded however long the list."""
    issue = Issue.objects.select_related("newsletter").filter(pk=issue_id).first()
    if issue is None or issue.status != IssueStatus.SENDING:
        return 0
    recipients = _recipients(issue).select_related("contact").order_by("pk")
    written = 0
    last_pk = after_pk
    chunks = 0
    while chunk := list(recipients.filter(pk__gt=last_pk)[:FAN_OUT_CHUNK]):
        if max_chunks is not None and chunks >= max_chunks:
            transaction.on_commit(lambda at=last_pk: _queue_fan_out(issue.pk, after_pk=at))
            return written
        chunks += 1
        last_pk = chunk[-1].pk
        try:
            wrote = _fan_out_chunk(issue, chunk)
        except _FanOutBusyError:
            return written  # another run is writing this issue's deliveries right now
        written += wrote
        if wrote:
            # Sending starts while the rest is written: the first readers have the issue in
            # seconds, and another worker sends while this one writes.
            transaction.on_commit(_queue_outbox_send)
    with transaction.atomic():
        unfinished = Issue.objects.filter(
            pk=issue.pk, status=IssueStatus.SENDING, deliveries_written_at=None
        )
        if unfinished.update(deliveries_written_at=timezone.now()):
            audit_record(
                actor=None,
                action="newsletters.issue_deliveries_written",
                target=issue,
                data={"deliveries": Delivery.objects.filter(issue=issue).count()},
            )
        transaction.on_commit(_queue_outbox_sends)
    issue_complete_if_done(issue_id=issue.pk)
    return written


def _queue_outbox_send() -> None:
    from qcommunity.outbox.tasks import outbox_send_queued

    outbox_send_queued.delay()


def _queue_outbox_sends() -> None:
    # One task per worker process we expect, so they share the issue; each run queues the next
    # while there is more to send.
    for _ in range(getattr(settings, "OUTBOX_PARALLEL_TASKS", 2)):
        _queue_outbox_send()


def _suppressed_addresses(issue: Issue, emails: list[str]) -> set[str]:
    return set(
        Suppression.objects.annotate(address=Lower("email"))
        .filter(address__in=[e.lower() for e in emails])
        .filter(Q(newsletter__isnull=True) | Q(newsletter_id=issue.newsletter_id))
        .values_list("address", flat=True)
    )


def _from_address(issue: Issue) -> str:
    return formataddr((issue.newsletter.from_name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def list_headers(issue: Issue, unsubscribe: str) -> dict[str, str]:
    """RFC 2369, 2919 and 8058 headers: mail clients show an unsubscribe button that works with
    one click (a POST to the https address)."""
    return {
        "List-Id": f"<{issue.newsletter.list_id}>",
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _fan_out_chunk(issue: Issue, chunk: list[Subscription]) -> int:
    with transaction.atomic():
        # One fan-out at a time per issue: the lock makes "which contacts have a delivery
        # already" a stable question, so two runs never write two outbox rows for one person.
        locked = (
            Issue.objects.select_for_update(skip_locked=True)
            .filter(pk=issue.pk)
            .values("status")
            .first()
        )
        if locked is None:
            raise _FanOutBusyError
        if locked["status"] != IssueStatus.SENDING:
            return 0
        Issue.objects.filter(pk=issue.pk).update(updated_at=timezone.now())
        have = set(
            Delivery.objects.filter(
                issue=issue, contact_id__in=[s.contact_id for s in chunk]
            ).values_list("contact_id", flat=True)
        )
        new = [s for s in chunk if s.contact_id not in have]
        if not new:
            return 0
        suppressed = _suppressed_addresses(issue, [s.contact.email for s in new])
        now = timezone.now()
        Delivery.objects.bulk_create(
            [
                Delivery(
                    issue=issue,
                    contact_id=s.contact_id,
                    email=s.contact.email,
                    status=(
                        DeliveryStatus.SUPPRESSED
                        if s.contact.email.lower() in suppressed
                        else DeliveryStatus.QUEUED
                    ),
                    created_at=now,
                )
                for s in new
            ],
            ignore_conflicts=True,
        )
        subscriptions = {s.contact_id: s for s in new}
        deliveries = list(
            Delivery.objects.filter(
                issue=issue,
                contact_id__in=list(subscriptions),
                status=DeliveryStatus.QUEUED,
                outbox_email__isnull=True,
            ).order_by("pk")
        )
        delivery_type = ContentType.objects.get_for_model(Delivery)
        from_email = _from_address(issue)
        rows = []
        for delivery in deliveries:
            subscription = subscriptions[delivery.contact_id]
            unsubscribe = unsubscribe_url(subscription)
            content = issue_render_email(
                issue, subscription=subscription, unsubscribe_url=unsubscribe
            )
            rows.append(
                OutboxEmail(
                    kind=EMAIL_KIND,
                    recipient=delivery.email,
                    from_email=from_email,
                    subject=content["subject"],
                    body_text=content["body_text"],
                    body_html=content["body_html"],
                    headers=list_headers(issue, unsubscribe),
                    related_type=delivery_type,
                    related_id=str(delivery.pk),
                    created_at=now,
                    next_attempt_at=now,
                )
            )
        for row in rows:
            row.mime = outbox_mime(row)  # built here, so sending only hands it over
        OutboxEmail.objects.bulk_create(rows)
        for delivery, row in zip(deliveries, rows, strict=True):
            delivery.outbox_email = row
        Delivery.objects.bulk_update(deliveries, ["outbox_email"], batch_size=FAN_OUT_CHUNK)
    return len(new)


def issue_complete_if_done(*, issue_id: int) -> bool:
    """Mark a sending issue sent once its fan-out has finished and no delivery is still queued
    (each is sent, failed or suppressed). Returns whether it did."""
    with transaction.atomic():
        issue = (
            Issue.objects.select_for_update(skip_locked=True)
            .filter(pk=issue_id, status=IssueStatus.SENDING, deliveries_written_at__isnull=False)
            .first()
        )
        if issue is None:
            return False
        _deliveries_sync_sent(issue_id=issue.pk)
        if Delivery.objects.filter(issue=issue, status=DeliveryStatus.QUEUED).exists():
            return False
        issue_mark_sent(actor=None, issue=issue)
        audit_record(
            actor=None,
            action="newsletters.issue_sent",
            target=issue,
            data=issue_delivery_counts(issue),
        )
    return True


# Keeping deliveries in step with their outbox rows.

_DELIVERY_STATUS = {
    EmailStatus.SENT: DeliveryStatus.SENT,
    EmailStatus.FAILED: DeliveryStatus.FAILED,
    EmailStatus.QUEUED: DeliveryStatus.QUEUED,
}


_DELIVERY_STATUS_SQL = (
    "UPDATE newsletters_delivery SET status = %s, last_error = %s, "
    "sent_at = COALESCE(%s, sent_at) WHERE outbox_email_id = ANY(%s)"
)


# Sent deliveries follow their outbox rows once per batch, not once per message (a per-message
# statement was a third of the cost of handing a message over); `_deliveries_sync_sent` also
# runs before an issue is checked for completion, which catches a batch whose worker died.
_SYNC_SENT_SQL = (
    "UPDATE newsletters_delivery AS d SET status = %s, last_error = '', sent_at = o.sent_at "
    "FROM outbox_outboxemail AS o WHERE d.outbox_email_id = o.id AND o.status = %s "
    "AND d.status <> %s AND "
)


def _deliveries_sync_sent(*, row_ids: list[int] | None = None, issue_id: int | None = None):
    """Mark sent the deliveries whose outbox rows are sent: those of `row_ids`, or of an issue."""
    condition, value = (
        ("d.outbox_email_id = ANY(%s)", list(row_ids or []))
        if issue_id is None
        else ("d.issue_id = %s", issue_id)
    )
    sent = [DeliveryStatus.SENT, EmailStatus.SENT, DeliveryStatus.SENT]
    with db_connection.cursor() as cursor:
        cursor.execute(_SYNC_SENT_SQL + condition, [*sent, value])


def _delivery_status_changed(row_ids: list[int], status: str, error: str) -> None:
    """Runs inside the transaction that changes the outbox rows: failures and retries show at
    once, with the server's reply; "sent" is brought over per batch (`_deliveries_sync_sent`)."""
    if status == EmailStatus.SENT:
        return
    if (delivery_status := _DELIVERY_STATUS.get(status)) is None:
        return
    sent_at = timezone.now() if delivery_status == DeliveryStatus.SENT else None
    # A plain statement rather than a queryset: it runs once per message sent.
    with db_connection.cursor() as cursor:
        cursor.execute(
            _DELIVERY_STATUS_SQL,
            [delivery_status, error, sent_at, list(row_ids)],
        )
    attention_changed(FAILED_DELIVERIES)  # an UPDATE sends no signal


def _deliveries_batch_done(row_ids: list[int]) -> None:
    _deliveries_sync_sent(row_ids=row_ids)
    issue_ids = (
        Delivery.objects.filter(outbox_email_id__in=row_ids)
        .values_list("issue_id", flat=True)
        .distinct()
    )
    for issue_id in list(issue_ids):
        issue_complete_if_done(issue_id=issue_id)


outbox_listen(
    kind=EMAIL_KIND, on_status=_delivery_status_changed, on_batch_done=_deliveries_batch_done
)


# Mail provider events ----------------------------------------------------------------------------

# A delivery reported against by address is only matched when it went out this recently.
DELIVERY_MATCH_WINDOW = dt.timedelta(days=30)


def delivery_for_event(
    *, message_id: str | None, email: str | None, metadata: dict
) -> Delivery | None:
    """The newsletter delivery a provider event is about: by the delivery id in the message's
    metadata, by Message-ID stored on its outbox row, or else the latest delivery to the
    address in the last 30 days."""
    deliveries = Delivery.objects.select_related("issue__newsletter")
    delivery_id = (metadata or {}).get("delivery_id")
    if delivery_id and str(delivery_id).isdigit():
        found = deliveries.filter(pk=int(delivery_id)).first()
        if found:
            return found
    if message_id:
        for header in ("Message-ID", "Message-Id"):
            found = (
                deliveries.filter(outbox_email__headers__contains={header: message_id}).first()
                or deliveries.filter(
                    outbox_email__headers__contains={header: f"<{message_id.strip('<>')}>"}
                ).first()
            )
            if found:
                return found
    if email:
        since = timezone.now() - DELIVERY_MATCH_WINDOW
        return (
            deliveries.annotate(address=Lower("email"))
            .filter(address=normalise_email(email).lower(), created_at__gte=since)
            .exclude(status=DeliveryStatus.SUPPRESSED)
            .order_by("-created_at", "-id")
            .first()
        )
    return None


def delivery_mark_failed(*, delivery: Delivery, reason: str) -> None:
    """Record the provider's report of a failed delivery, keeping its answer."""
    delivery.status = DeliveryStatus.FAILED
    delivery.last_error = reason[:2000]
    delivery.save(update_fields=["status", "last_error"])
