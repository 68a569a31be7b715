"""An audit entry's details in words, for every page that shows audit rows.

Services record details as small JSON dicts: changes as {"field": {"from": x, "to": y}}, a status
move as {"from": "draft", "to": "open"}, ids of related rows ({"user": 12}), lists ({"erased":
[...]}) and flags. `describe_details` turns each key into one line a person can read:

    Closes: 21 December 2026, 5pm → 7 December 2026, 12:30pm
    Regions: Wessex, Oxford and Wales
    Allow reply: Yes

Times recorded as ISO text are shown in Europe/London in the UK format; booleans as Yes or No;
lists as "a, b and c"; ids as what they stand for where the page knows it (`AuditLabels`),
people by their address (or "Former member" once the account is deleted)."""

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from qcommunity.core.formatting import uk_date, uk_datetime

ARROW = "→"
FORMER_MEMBER = "Former member"
# Keys whose values are account ids: shown as the person, never as a number.
PERSON_KEYS = frozenset({"user", "reviewer", "voter", "actor", "recipient", "to_user", "lead"})
# Field names read better without their technical endings ("closes_at" is "Closes").
FIELD_LABELS = {
    "opens_at": "Opens",
    "closes_at": "Closes",
    "reviews_needed": "Reviews needed per application",
    "allow_reply": "Replies allowed",
    "reports_resolved": "Reports resolved",
    "rows": "Rows",
    "new": "Newly added",
}
# Words for recorded values that apps register once (members: regions and phases), so the site-wide
# audit log can name them without importing the apps.
_REGISTERED_VALUES: dict[str, Mapping[Any, str]] = {}


def register_value_labels(keys: Iterable[str], labels: Mapping[Any, str]) -> None:
    """Say what the values recorded under each of `keys` mean, for every audit page."""
    for key in keys:
        _REGISTERED_VALUES[key] = {**_REGISTERED_VALUES.get(key, {}), **labels}


_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class AuditLabels:
    """What the values in a page of entries stand for, looked up once per page.

    `values` maps a detail key to {recorded value: words} (for example {"subject": {5:
    "Q-2026-0005"}}, or a status key's choices); `statuses` maps a status value to its label
    for the {"from": ..., "to": ...} status moves; `fields` adds or overrides field labels."""

    values: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    statuses: Mapping[Any, str] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=dict)
    people: Mapping[int, str] = field(default_factory=dict)


def field_label(key: str, labels: AuditLabels | None = None) -> str:
    if labels and key in labels.fields:
        return labels.fields[key]
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    words = key.replace("_", " ").replace(".", " ").strip()
    words = re.sub(r" (at|on|id)$", "", words)
    return words[:1].upper() + words[1:]


def join_words(items: Iterable[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = [item for item in items if item != ""]
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def format_value(value: Any, *, key: str = "", labels: AuditLabels | None = None) -> str:
    """One recorded value in words (see the module's docstring)."""
    known = labels.values.get(key) if labels else None
    if known is None:
        known = _REGISTERED_VALUES.get(key, {})
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "none"
    if isinstance(value, (list, tuple, set)):
        return join_words(format_value(item, key=key, labels=labels) for item in value)
    if isinstance(value, dict):
        if set(value) == {"from", "to"}:
            source = format_value(value["from"], key=key, labels=labels)
            target = format_value(value["to"], key=key, labels=labels)
            return f"{source} {ARROW} {target}"
        return "; ".join(
            f"{field_label(str(k), labels)}: {format_value(v, key=str(k), labels=labels)}"
            for k, v in value.items()
        )
    if value in known:
        return str(known[value])
    if str(value) in known:
        return str(known[str(value)])
    if key in PERSON_KEYS and isinstance(value, int) and labels and value in labels.people:
        return labels.people[value]
    if isinstance(value, str):
        if _ISO_DATETIME.match(value):
            try:
                return uk_datetime(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
            except ValueError:
                return value
        if _ISO_DATE.match(value):
            try:
                return uk_date(dt.date.fromisoformat(value))
            except ValueError:
                return value
    return str(value)


def describe_details(data: Any, labels: AuditLabels | None = None) -> list[str]:
    """An entry's recorded details (`entry.data`) as lines of words, one per key: a status move
    first ("From Draft to Open"), then every other key as "Field: value"."""
    if not isinstance(data, dict):
        return [format_value(data, labels=labels)] if data not in (None, "", [], {}) else []
    data = dict(data)
    lines = []
    if "from" in data and "to" in data:
        statuses = labels.statuses if labels else {}
        source, target = data.pop("from"), data.pop("to")
        if isinstance(source, (str, int, type(None))) and isinstance(target, (str, int)):
            source_words = statuses.get(source, format_value(source, key="status", labels=labels))
            target_words = statuses.get(target, format_value(target, key="status", labels=labels))
            lines.append(f"From {source_words} to {target_words}")
        else:
            lines.append(
                f"Before: {format_value(source, labels=labels)}. "
                f"After: {format_value(target, labels=labels)}"
            )
    lines.extend(
        f"{field_label(str(key), labels)}: {format_value(value, key=str(key), labels=labels)}"
        for key, value in data.items()
    )
    return lines


def audit_people(entries: Iterable[Any]) -> dict[int, str]:
    """The people whose account ids `entries`' details hold (under `PERSON_KEYS`), as their
    address, or "Former member" for a deleted account. One query, whatever the number."""
    ids = set()
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        for key in PERSON_KEYS:
            value = data.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                ids.add(value)
    if not ids:
        return {}
    return {
        pk: FORMER_MEMBER if deleted_at else email
        for pk, email, deleted_at in get_user_model()
        .objects.filter(pk__in=ids)
        .values_list("pk", "email", "deleted_at")
    }
