from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from .models import AuditEntry


def audit_entry_list(*, action: str = "", actor_email: str = "") -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.select_related("target_type")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor_email:
        qs = qs.filter(actor_label__iexact=actor_email)
    return qs


def audit_entries_for_targets(
    targets: Iterable[tuple[type[models.Model], QuerySet | Iterable[int]]],
) -> QuerySet[AuditEntry]:
    """Entries about any of `targets`, newest first: (model, ids) pairs, where ids is a list of
    primary keys or a queryset of the model (run as a subquery, so a whole round's
    applications cost nothing extra). One query, whatever the number of targets."""
    condition = None
    for model, ids in targets:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        if isinstance(ids, QuerySet):
            # target_id is text (any kind of key), so the subquery's keys are cast to match.
            keys = (
                ids.order_by()
                .annotate(audit_target_id=Cast("pk", CharField()))
                .values("audit_target_id")
            )
        else:
            keys = [str(pk) for pk in ids]
        clause = Q(target_type=content_type, target_id__in=keys)
        condition = clause if condition is None else condition | clause
    if condition is None:
        return AuditEntry.objects.none()
    return (
        AuditEntry.objects.filter(condition)
        .select_related("target_type")
        .order_by("-created_at", "-id")
    )
