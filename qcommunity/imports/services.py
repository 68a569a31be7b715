"""Every write of the import kit: checking an uploaded file into a preview, applying it, and
discarding it. The kind's hooks do the kind's own work (`kinds.ImportKind`).

Rules:
- Uploading writes only the `DataImport` (content, preview, audit row): parsing, checking and
  planning write nothing else.
- Applying runs in one transaction: the file is parsed, checked and planned again (the site
  may have changed since the preview), refused if it now has errors, then the kind makes what
  is missing and every new thing's key is recorded. Imports of one kind take turns (an
  advisory lock), so two imports of overlapping files cannot both create the same thing.
- An import is applied at most once, and its stored file is then emptied (the result and the
  records say what it made); an applied or discarded import cannot be applied or
  discarded again.
- Imports send no email and no notification; each import is audited once when uploaded, once
  when applied (with what it made) and once when discarded."""

import hashlib

from django.db import connection, transaction
from django.utils import timezone

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import ServiceError, require_perm

from .enums import ImportStatus
from .kinds import ApplyContext, ImportFileError, ImportKind, file_format_of, get_kind
from .models import DataImport, ImportedRecord

PERMISSION = "imports.manage_imports"


class DataImportError(ServiceError):
    """An import was refused (see `ServiceError`)."""


class ImportAlreadyDoneError(DataImportError):
    """The import was already applied or discarded."""


class ImportHasErrorsError(DataImportError):
    """The file has errors (now, when it is applied); nothing was written."""


def _check(kind: ImportKind, data: bytes, file_format: str) -> tuple[object, dict, list[str]]:
    """Parse, validate and plan: (rows, preview, every key the file names). ImportFileError
    when unreadable."""
    rows = kind.parse(data, file_format)
    errors = kind.validate(rows)
    preview: dict = {
        "errors": [{"where": e.where, "message": e.message} for e in errors],
        "types": [],
        "create": [],
        "unchanged": [],
    }
    if errors:
        return rows, preview, []
    items = kind.plan(rows)
    recorded = set(
        ImportedRecord.objects.filter(kind=kind.key, key__in=[i.key for i in items]).values_list(
            "key", flat=True
        )
    )
    counts: dict[str, dict] = {t: {"type": t, "create": 0, "unchanged": 0} for t in kind.types}
    for item in items:
        bucket = "unchanged" if item.exists or item.key in recorded else "create"
        preview[bucket].append({"type": item.type, "label": item.label})
        counts.setdefault(item.type, {"type": item.type, "create": 0, "unchanged": 0})
        counts[item.type][bucket] += 1
    preview["types"] = list(counts.values())
    return rows, preview, [item.key for item in items]


def data_import_create(*, actor, kind_key: str, filename: str, data: bytes) -> DataImport:
    """Check an uploaded file for `kind_key` and keep it with its preview (status previewed).
    Raises ImportFileError when the file cannot be read; row errors go into the preview."""
    require_perm(actor, PERMISSION, error=DataImportError)
    kind = get_kind(kind_key)
    file_format = file_format_of(filename, kind.formats)
    _rows, preview, _keys = _check(kind, data, file_format)
    with transaction.atomic():
        data_import = DataImport.objects.create(
            kind=kind.key,
            filename=filename[:255],
            file_format=file_format,
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
            preview=preview,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="import.preview",
            target=data_import,
            data={
                "kind": kind.key,
                "sha256": data_import.sha256,
                "errors": len(preview["errors"]),
                "to_create": len(preview["create"]),
                "unchanged": len(preview["unchanged"]),
            },
        )
    return data_import


def data_import_apply(*, actor, data_import: DataImport) -> DataImport:
    """Apply a previewed import in one transaction (see the module's rules). Returns the import,
    applied, with its result: what was made, by type, with links."""
    require_perm(actor, PERMISSION, error=DataImportError)
    kind = get_kind(data_import.kind)
    with transaction.atomic():
        locked = DataImport.objects.select_for_update().get(pk=data_import.pk)
        if locked.status != ImportStatus.PREVIEWED:
            raise ImportAlreadyDoneError(
                "This import has already been applied."
                if locked.status == ImportStatus.APPLIED
                else "This import was discarded. Upload the file again to import it."
            )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"imports:{kind.key}"])
        try:
            rows, preview, keys = _check(kind, bytes(locked.content), locked.file_format)
        except ImportFileError as error:
            raise ImportHasErrorsError(str(error)) from None
        if preview["errors"]:
            raise ImportHasErrorsError(
                "The file has errors now, so nothing was imported. Fix the file and upload it "
                "again."
            )
        recorded = {
            r.key: (r.model, r.object_id)
            for r in ImportedRecord.objects.filter(kind=kind.key, key__in=keys).only(
                "key", "model", "object_id"
            )
        }
        context = ApplyContext(actor=actor, data_import=locked, recorded=recorded)
        kind.apply(rows, context)
        ImportedRecord.objects.bulk_create(
            ImportedRecord(
                kind=kind.key,
                key=key,
                model=obj._meta.label_lower,
                object_id=str(obj.pk),
                data_import=locked,
            )
            for key, obj in context.new_records
        )
        counts: dict[str, dict] = {t: {"type": t, "created": 0} for t in kind.types}
        for made in context.created:
            counts.setdefault(made["type"], {"type": made["type"], "created": 0})
            counts[made["type"]]["created"] += 1
        unchanged: dict[str, int] = {}
        for item in preview["unchanged"]:
            unchanged[item["type"]] = unchanged.get(item["type"], 0) + 1
        for type_, row in counts.items():
            row["unchanged"] = unchanged.get(type_, 0)
        locked.status = ImportStatus.APPLIED
        locked.applied_by = actor
        locked.applied_at = timezone.now()
        locked.preview = preview
        locked.result = {"types": list(counts.values()), "created": context.created}
        locked.content = b""  # needed only to apply; what was made is recorded
        locked.save(
            update_fields=["status", "applied_by", "applied_at", "preview", "result", "content"]
        )
        audit_record(
            actor=actor,
            action="import.apply",
            target=locked,
            data={"kind": kind.key, "created": len(context.created)},
        )
    return locked


def data_import_discard(*, actor, data_import: DataImport) -> DataImport:
    """Set aside a previewed import without applying it; the stored file is emptied."""
    require_perm(actor, PERMISSION, error=DataImportError)
    with transaction.atomic():
        locked = DataImport.objects.select_for_update().get(pk=data_import.pk)
        if locked.status != ImportStatus.PREVIEWED:
            raise ImportAlreadyDoneError(
                "This import has already been applied, so it cannot be discarded."
                if locked.status == ImportStatus.APPLIED
                else "This import was already discarded."
            )
        locked.status = ImportStatus.DISCARDED
        locked.discarded_at = timezone.now()
        locked.content = b""
        locked.save(update_fields=["status", "discarded_at", "content"])
        audit_record(
            actor=actor, action="import.discard", target=locked, data={"kind": locked.kind}
        )
    return locked
