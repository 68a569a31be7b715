from django.db.models import QuerySet

from .models import OutboxEmail


def outbox_email_list(*, status: str = "", kind: str = "") -> QuerySet[OutboxEmail]:
    qs = OutboxEmail.objects.defer("body_text", "body_html", "mime")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs
