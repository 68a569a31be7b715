from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def _actor_fields(actor: Any) -> dict:
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return {"actor": actor_obj, "actor_label": actor_obj.email if actor_obj else "system"}


def _target_fields(target: models.Model) -> dict:
    return {
        "target_type": ContentType.objects.get_for_model(target, for_concrete_model=False),
        "target_id": str(target.pk),
        "target_label": str(target)[:254],
    }


def audit_record(
    *, actor: Any, action: str, target: models.Model | None = None, data: dict | None = None
) -> AuditEntry:
    """Append one audit entry. `actor` may be None (the system) or an anonymous user."""
    entry = AuditEntry(
        **_actor_fields(actor),
        action=action,
        data=data or {},
        **(_target_fields(target) if target is not None else {}),
    )
    entry.save()
    return entry


def audit_record_many(
    *, actor: Any, action: str, entries: Iterable[tuple[models.Model, dict]]
) -> list[AuditEntry]:
    """Append one audit entry per (target, data) pair, all in one INSERT: for services that
    change many rows at once. Same fields as audit_record; the targets must have primary keys."""
    who = _actor_fields(actor)
    rows = [
        AuditEntry(**who, action=action, data=data or {}, **_target_fields(target))
        for target, data in entries
    ]
    return AuditEntry.objects.bulk_create(rows) if rows else []
