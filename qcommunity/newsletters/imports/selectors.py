from django.http import Http404

from .enums import ImportStatus
from .models import ImportBatch


def import_batch_get(pk: int) -> ImportBatch:
    batch = (
        ImportBatch.objects.select_related("created_by")
        .prefetch_related("newsletters")
        .filter(pk=pk)
        .first()
    )
    if batch is None:
        raise Http404
    return batch


def imports_waiting() -> list[ImportBatch]:
    """Contact imports previewed and not yet confirmed, oldest first. One query."""
    return list(
        ImportBatch.objects.filter(status=ImportStatus.PREVIEW)
        .only("pk", "filename", "created_at")
        .order_by("created_at", "pk")
    )
