from django.db.models import QuerySet

from .models import AuditEntry


def audit_entry_list(*, action: str = "", actor_email: str = "") -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.select_related("target_type")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor_email:
        qs = qs.filter(actor_label__iexact=actor_email)
    return qs
