"""Reads for the import pages and for other pages that list imports waiting."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .enums import ImportStatus
from .models import DataImport, ImportedRecord

LIST_FIELDS = (
    "id",
    "kind",
    "filename",
    "status",
    "created_at",
    "applied_at",
    "created_by__email",
    "created_by__full_name",
    "created_by__preferred_name",
)


def data_import_list() -> QuerySet[DataImport]:
    """Every import, newest first, without the stored file. One query per page."""
    return DataImport.objects.select_related("created_by").only(*LIST_FIELDS)


def data_import_get(pk: int) -> DataImport:
    return get_object_or_404(
        DataImport.objects.select_related("created_by", "applied_by").defer("content"), pk=pk
    )


def imports_awaiting_confirmation() -> QuerySet[DataImport]:
    """Imports previewed but neither applied nor discarded, oldest first: someone uploaded a
    file and has still to confirm or discard it."""
    return (
        DataImport.objects.filter(status=ImportStatus.PREVIEWED)
        .select_related("created_by")
        .only(*LIST_FIELDS)
        .order_by("created_at", "id")
    )


def imported_ids(kind: str, keys) -> dict[str, str]:
    """{key: object id} for those of `keys` that earlier imports of `kind` recorded: a kind's
    `validate` tells what it made before from what the site made itself. One query."""
    return dict(
        ImportedRecord.objects.filter(kind=kind, key__in=list(keys)).values_list("key", "object_id")
    )
