from django.http import Http404

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
