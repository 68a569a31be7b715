"""Staff CSV import of contacts: parse and check a file into a preview (stored on an
ImportBatch, nothing else written), then apply exactly that preview in one transaction.

Rules:
- The file is UTF-8 (with or without a byte order mark), at most IMPORT_MAX_BYTES, with a
  header row of known columns: email (required), name, organisation, interests.
- Every row that is not imported is reported with its row number and reason: a bad address,
  a duplicate of an earlier row, or an address that is suppressed or has left a newsletter
  ("needs fresh confirmation"). Nothing is dropped silently.
- A suppressed address is never subscribed by an import, for any reason or lawful basis.
- Imported subscriptions are confirmed: the editor states the lawful basis for the whole
  import. When that basis is consent, the note must say where and how the consent was
  collected; it is quoted in each consent record (method staff_import)."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from qcommunity.audit.services import audit_record

from .enums import (
    SUPPRESSING_STATUSES,
    ConsentMethod,
    ImportStatus,
    LawfulBasis,
    SubscriptionStatus,
)
from .models import ConsentRecord, Contact, ImportBatch, Newsletter, Subscription, Suppression
from .services import normalise_email, subscription_transition

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 20_000
COLUMNS = ("email", "name", "organisation", "interests")
FIELD_LIMITS = {"name": 200, "organisation": 200}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is fit to show."""


@dataclass
class ParsedRow:
    row: int
    email: str
    name: str = ""
    organisation: str = ""
    interests: str = ""


@dataclass
class ParsedFile:
    rows: list[ParsedRow] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)


def read_csv(data: bytes) -> ParsedFile:
    """Decode and split the file into rows with checked addresses. Row numbers count the
    header as row 1, as a spreadsheet shows them."""
    if len(data) > IMPORT_MAX_BYTES:
        raise ImportFileError(
            f"The file must be smaller than {IMPORT_MAX_BYTES // (1024 * 1024)}MB."
        )
    if b"\x00" in data:
        raise ImportFileError("The file must be a CSV file, not a spreadsheet or other file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "The file must be saved as CSV UTF-8. In Excel, choose Save as, then "
            "CSV UTF-8 (comma delimited)."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    except csv.Error as error:
        raise ImportFileError(f"The file could not be read as CSV: {error}.") from None
    header = [h.strip().lower() for h in header]
    unknown = [h for h in header if h not in COLUMNS]
    if "email" not in header or unknown or len(set(header)) != len(header):
        raise ImportFileError(
            "The first row must name the columns: email, name, organisation, interests "
            "(email is required; each name once)."
            + (f" Unknown columns: {', '.join(unknown)}." if unknown else "")
        )
    parsed = ParsedFile()
    seen: dict[str, int] = {}
    try:
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if number - 1 > IMPORT_MAX_ROWS:
                raise ImportFileError(f"The file must have at most {IMPORT_MAX_ROWS} rows.")
            raw_email = values[header.index("email")].strip() if len(values) == len(header) else ""
            if len(values) != len(header):
                parsed.rejected.append(
                    {
                        "row": number,
                        "email": values[0].strip()[:254] if values else "",
                        "reason": f"The row has {len(values)} values; the header has "
                        f"{len(header)}.",
                    }
                )
                continue
            record = dict(zip(header, (v.strip() for v in values), strict=True))
            reason = _address_problem(raw_email)
            if reason is None:
                for name, limit in FIELD_LIMITS.items():
                    if len(record.get(name, "")) > limit:
                        reason = f"The {name} is longer than {limit} characters."
            if reason:
                parsed.rejected.append({"row": number, "email": raw_email[:254], "reason": reason})
                continue
            email = normalise_email(raw_email)
            key = email.lower()
            if key in seen:
                parsed.rejected.append(
                    {
                        "row": number,
                        "email": email,
                        "reason": f"Duplicate of row {seen[key]} in this file.",
                    }
                )
                continue
            seen[key] = number
            parsed.rows.append(
                ParsedRow(
                    row=number,
                    email=email,
                    name=record.get("name", ""),
                    organisation=record.get("organisation", ""),
                    interests=record.get("interests", ""),
                )
            )
    except csv.Error as error:
        raise ImportFileError(f"The file could not be read as CSV: {error}.") from None
    return parsed


def _address_problem(email: str) -> str | None:
    if not email:
        return "No email address."
    if len(email) > 254:
        return "The email address is too long."
    try:
        validate_email(email)
    except ValidationError:
        return "Not a valid email address."
    return None


def import_preview(*, parsed: ParsedFile, newsletters: list[Newsletter]) -> dict:
    """What applying the file would change, computed from the database now (nothing written).
    Keys: new_contacts, updated_contacts, subscriptions, already_subscribed, rejected."""
    addresses = [r.email.lower() for r in parsed.rows]
    contacts = {
        c.address: c
        for c in Contact.objects.annotate(address=Lower("email")).filter(address__in=addresses)
    }
    statuses = {
        (s.contact_id, s.newsletter_id): s.status
        for s in Subscription.objects.filter(
            contact__in=contacts.values(), newsletter__in=newsletters
        )
    }
    suppressed: dict[str, set[int | None]] = {}
    for address, newsletter_id in (
        Suppression.objects.annotate(address=Lower("email"))
        .filter(address__in=addresses)
        .values_list("address", "newsletter_id")
    ):
        suppressed.setdefault(address, set()).add(newsletter_id)

    preview = {
        "new_contacts": [],
        "updated_contacts": [],
        "subscriptions": [],
        "already_subscribed": [],
        "rejected": list(parsed.rejected),
    }
    for row in parsed.rows:
        key = row.email.lower()
        contact = contacts.get(key)
        blocked_for = []
        adds = []
        for newsletter in newsletters:
            status = statuses.get((contact.pk, newsletter.pk)) if contact else None
            scopes = suppressed.get(key, set())
            if (
                None in scopes
                or newsletter.pk in scopes
                or (status is not None and status in SUPPRESSING_STATUSES)
            ):
                blocked_for.append(newsletter.name)
            elif status == SubscriptionStatus.CONFIRMED:
                preview["already_subscribed"].append(
                    {"row": row.row, "email": row.email, "newsletter": newsletter.name}
                )
            else:
                adds.append(
                    {
                        "row": row.row,
                        "email": row.email,
                        "newsletter_id": newsletter.pk,
                        "newsletter": newsletter.name,
                        "was": status or "",
                    }
                )
        if blocked_for:
            preview["rejected"].append(
                {
                    "row": row.row,
                    "email": row.email,
                    "reason": "Suppressed or unsubscribed from "
                    f"{', '.join(blocked_for)}: needs fresh confirmation.",
                }
            )
        if not adds:
            continue
        preview["subscriptions"].extend(adds)
        values = {"name": row.name, "organisation": row.organisation, "interests": row.interests}
        if contact is None:
            preview["new_contacts"].append({"row": row.row, "email": row.email, **values})
        else:
            changes = {
                name: [getattr(contact, name), value]
                for name, value in values.items()
                if value and value != getattr(contact, name)
            }
            if changes:
                preview["updated_contacts"].append(
                    {"row": row.row, "email": row.email, "changes": changes}
                )
    preview["rejected"].sort(key=lambda r: r["row"])
    return preview


@transaction.atomic
def import_batch_create(
    *,
    actor,
    filename: str,
    data: bytes,
    newsletters: list[Newsletter],
    lawful_basis: str,
    note: str,
) -> ImportBatch:
    """Check the file and store its preview. Raises ImportFileError for a file that cannot be
    read at all. Writes only the ImportBatch row."""
    parsed = read_csv(data)
    batch = ImportBatch.objects.create(
        created_by=actor,
        filename=filename[:255],
        lawful_basis=LawfulBasis(lawful_basis),
        note=note.strip(),
        preview=import_preview(parsed=parsed, newsletters=newsletters),
    )
    batch.newsletters.set(newsletters)
    return batch


class ImportAlreadyAppliedError(Exception):
    pass


@transaction.atomic
def import_batch_apply(*, batch: ImportBatch, actor) -> ImportBatch:
    """Apply the stored preview in one transaction: create and update contacts, add confirmed
    subscriptions each with a ConsentRecord (method staff_import, the import's lawful basis,
    source "import #N by <editor>"), audit the import. Checks suppression again at this moment:
    an address suppressed since the preview is reported as rejected, never subscribed.
    Raises ImportAlreadyAppliedError on a second confirm (a double click changes nothing)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.PREVIEW:
        raise ImportAlreadyAppliedError("This import has already been applied.")
    preview = batch.preview
    newsletters = {n.pk: n for n in batch.newsletters.all()}
    source = f"import #{batch.pk} by {actor.email}"
    wording = (
        f"Imported by staff on the lawful basis of {LawfulBasis(batch.lawful_basis).label}. "
        f"{batch.note}"
    ).strip()
    rows = {r["row"]: r for r in preview["new_contacts"]}
    updates = {r["email"].lower(): r["changes"] for r in preview["updated_contacts"]}
    result = {"contacts_created": 0, "contacts_updated": 0, "subscriptions": 0, "rejected": []}
    result["rejected"] = list(preview["rejected"])
    contacts: dict[str, Contact] = {}
    for row in rows.values():
        contact = Contact.objects.annotate(address=Lower("email")).filter(
            address=row["email"].lower()
        ).first() or Contact(email=row["email"])
        created = contact.pk is None
        for name in ("name", "organisation", "interests"):
            if row[name] and (created or not getattr(contact, name)):
                setattr(contact, name, row[name])
        contact.save()
        result["contacts_created"] += created
        contacts[row["email"].lower()] = contact
    for address, changes in updates.items():
        contact = Contact.objects.annotate(address=Lower("email")).get(address=address)
        for name, (_old, new) in changes.items():
            setattr(contact, name, new)
        contact.save(update_fields=list(changes))
        result["contacts_updated"] += 1
        contacts[address] = contact
    for item in preview["subscriptions"]:
        address = item["email"].lower()
        newsletter = newsletters[item["newsletter_id"]]
        contact = contacts.get(address) or (
            Contact.objects.annotate(a=Lower("email")).filter(a=address).first()
        )
        if contact is None:
            contact = Contact.objects.create(email=item["email"])
            contacts[address] = contact
            result["contacts_created"] += 1
        suppressed = (
            Suppression.objects.annotate(address=Lower("email"))
            .filter(address=address)
            .filter(newsletter__isnull=True)
            .exists()
            or Suppression.objects.annotate(address=Lower("email"))
            .filter(address=address, newsletter=newsletter)
            .exists()
        )
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            contact=contact,
            newsletter=newsletter,
            defaults={"status": SubscriptionStatus.PENDING},
        )
        if suppressed or subscription.status in SUPPRESSING_STATUSES:
            result["rejected"].append(
                {
                    "row": item["row"],
                    "email": item["email"],
                    "reason": f"Suppressed or unsubscribed from {newsletter.name} since the "
                    "preview: needs fresh confirmation.",
                }
            )
            if created:
                subscription.delete()
            continue
        if subscription.status == SubscriptionStatus.CONFIRMED:
            continue
        subscription_transition(
            subscription=subscription,
            to=SubscriptionStatus.CONFIRMED,
            actor=actor,
            reason=source,
        )
        ConsentRecord.objects.create(
            subscription=subscription,
            wording=wording,
            method=ConsentMethod.STAFF_IMPORT,
            lawful_basis=batch.lawful_basis,
            source=source,
            recorded_by=actor,
        )
        result["subscriptions"] += 1
    result["rejected"].sort(key=lambda r: r["row"])
    batch.status = ImportStatus.APPLIED
    batch.applied_at = timezone.now()
    batch.result = result
    batch.save(update_fields=["status", "applied_at", "result"])
    audit_record(
        actor=actor,
        action="newsletter.import",
        target=batch,
        data={
            "filename": batch.filename,
            "newsletters": sorted(newsletters),
            "lawful_basis": batch.lawful_basis,
            "contacts_created": result["contacts_created"],
            "contacts_updated": result["contacts_updated"],
            "subscriptions": result["subscriptions"],
            "rejected": len(result["rejected"]),
        },
    )
    return batch
