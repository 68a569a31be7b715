import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

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


# Deleting an account: the person's name leaves the audit log -------------------------------

FORMER_MEMBER = "Former member"
# A name as a word of its own, never part of an email address ("aileen@...", "a.aileen@...").
_NAME_BEFORE = r"(?<![[:alnum:]_.@+-])"
_NAME_AFTER = r"(?![[:alnum:]_@-])(?!\.[[:alnum:]])"
# Keys under which details hold an account id (qcommunity.audit.describe.PERSON_KEYS).
_PERSON_KEYS = ("user", "reviewer", "voter", "actor", "recipient", "to_user", "lead")
_SCRUB_SETTING = "qcommunity.audit_scrub"
_SCRUB_EVERYWHERE = """
UPDATE audit_auditentry
SET target_label = left(regexp_replace(target_label, %(p)s, %(r)s, 'g'), 254),
    data = regexp_replace(data::text, %(p)s, %(r)s, 'g')::jsonb
WHERE target_label ~ %(p)s OR data::text ~ %(p)s
"""
_SCRUB_TIED = """
UPDATE audit_auditentry
SET target_label = left(regexp_replace(target_label, %(p)s, %(r)s, 'g'), 254),
    data = regexp_replace(data::text, %(p)s, %(r)s, 'g')::jsonb
WHERE (target_label ~ %(p)s OR data::text ~ %(p)s)
  AND (actor_id = %(uid)s
       OR (target_type_id = %(ct)s AND target_id = %(uid_text)s)
       OR data @> ANY(%(ids)s::jsonb[]))
"""
_SCRUB_SUBJECT = """
UPDATE audit_auditentry
SET target_label = left(regexp_replace(target_label, %(p)s, '\\1' || %(r)s, 'g'), 254)
WHERE target_label ~ %(p)s
"""


def _names_alternation(names: Iterable[str]) -> str:
    """`names` as one PostgreSQL regular-expression alternation, literal, longest first (so a
    full name goes before the first name it starts with)."""
    special = set("\\^$.|?*+()[]{}")
    escaped = [
        "".join(f"\\{char}" if char in special else char for char in name)
        for name in sorted(set(names), key=len, reverse=True)
    ]
    return "|".join(escaped)


def _names_pattern(names: Iterable[str]) -> str:
    """Any of `names` as a whole word (see `_NAME_BEFORE`)."""
    return f"{_NAME_BEFORE}(?:{_names_alternation(names)}){_NAME_AFTER}"


def audit_names_scrub(*, user, full_names: Iterable[str], short_names: Iterable[str]) -> int:
    """Replace a deleted account's names with "Former member" in audit labels and details, and
    return how many entries changed. Runs inside the account deletion's transaction.

    - A full name (two words or more, so unlikely to be anyone else's) goes from every entry.
    - A short name (a preferred name, "Aileen") goes from entries tied to the account (it
      acted, it was the target, or the details hold its id), and from any label that names it
      as its subject ("Directory entry of Aileen", "Message to Aileen (...)", "Aileen
      (Reviewer, ...)"), but not from other text, where "Hope" or "Will" may be a word.
    - Who acted (`actor`, `actor_label`: the email address the privacy notice says stays),
      what, when and on which object stay as recorded: the append-only trigger allows this
      one update (migration 0003) only while `qcommunity.audit_scrub` is set for this
      transaction, and only for `target_label` and `data`."""
    full = [n.strip() for n in full_names if n and len(n.strip().split()) >= 2]
    short = [n.strip() for n in short_names if n and n.strip() and n.strip() not in full]
    if not full and not short:
        return 0
    user_type = ContentType.objects.get_for_model(user, for_concrete_model=False)
    changed = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [_SCRUB_SETTING])
        if full:
            cursor.execute(_SCRUB_EVERYWHERE, {"p": _names_pattern(full), "r": FORMER_MEMBER})
            changed += cursor.rowcount
        if short:
            cursor.execute(
                _SCRUB_TIED,
                {
                    "p": _names_pattern(short),
                    "r": FORMER_MEMBER,
                    "uid": user.pk,
                    "ct": user_type.pk,
                    "uid_text": str(user.pk),
                    "ids": [json.dumps({key: user.pk}) for key in _PERSON_KEYS],
                },
            )
            changed += cursor.rowcount
            subject = rf"(^|\m(?:of|to|for) )(?:{_names_alternation(short)})(?= \(|:|$| on )"
            cursor.execute(_SCRUB_SUBJECT, {"p": subject, "r": FORMER_MEMBER})
            changed += cursor.rowcount
        cursor.execute("SELECT set_config(%s, 'off', true)", [_SCRUB_SETTING])
    return changed
