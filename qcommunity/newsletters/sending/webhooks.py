"""The mail provider's tracking events (django-anymail webhooks at /anymail/<esp>/tracking/,
secured by HTTP basic auth with ANYMAIL_WEBHOOK_SECRET) turned into subscriber changes.

- bounced (hard): every subscription of the address bounced, suppressed for all newsletters
- complained: every subscription complained, suppressed for all newsletters
- unsubscribed: unsubscribed from the issue's newsletter (or all when the issue is unknown)
A matching newsletter delivery, found by message id or address, is marked failed with the
provider's reason. Soft bounces and other events change nothing."""

import logging

from anymail.signals import AnymailTrackingEvent, EventType

from ..subscriptions import services as subscriptions
from . import services

logger = logging.getLogger(__name__)

SOFT_BOUNCE_TYPES = {"SoftBounce", "Transient", "DnsError"}


def _is_soft_bounce(event: AnymailTrackingEvent) -> bool:
    """Anymail reports some temporary failures as "bounced" too; a soft bounce must not
    suppress an address. Postmark says so in Type, Mailgun in severity."""
    raw = event.esp_event if isinstance(event.esp_event, dict) else {}
    if raw.get("Type") in SOFT_BOUNCE_TYPES:
        return True
    data = raw.get("event-data", raw)
    return isinstance(data, dict) and data.get("severity") == "temporary"


def _reason(event: AnymailTrackingEvent) -> str:
    parts = [event.description or "", event.mta_response or ""]
    text = " ".join(p.strip() for p in parts if p and p.strip())
    return text or str(event.reject_reason or event.event_type)


def handle_tracking_event(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    """Receiver for `anymail.signals.tracking` (connected in the app config)."""
    email = event.recipient
    if not email:
        return
    kind = event.event_type
    if kind not in (EventType.BOUNCED, EventType.COMPLAINED, EventType.UNSUBSCRIBED):
        return
    if kind == EventType.BOUNCED and _is_soft_bounce(event):
        return
    reason = f"{esp_name}: {_reason(event)}"
    delivery = services.delivery_for_event(
        message_id=event.message_id, email=email, metadata=event.metadata or {}
    )
    if kind == EventType.BOUNCED:
        subscriptions.address_mark_bounced(email=email, detail=reason)
    elif kind == EventType.COMPLAINED:
        subscriptions.address_mark_complained(email=email, detail=reason)
    else:
        newsletter = delivery.issue.newsletter if delivery else None
        subscriptions.address_unsubscribe(email=email, newsletter=newsletter, detail=reason)
    if delivery is not None and kind in (EventType.BOUNCED, EventType.COMPLAINED):
        services.delivery_mark_failed(delivery=delivery, reason=f"{kind}: {reason}")
    logger.info("newsletters: %s event for a recipient handled (%s)", kind, esp_name)
