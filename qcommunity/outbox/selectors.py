from django.db.models import QuerySet

from .enums import EmailStatus
from .models import OutboxEmail


def outbox_email_list(*, status: str = "", kind: str = "") -> QuerySet[OutboxEmail]:
    qs = OutboxEmail.objects.defer("body_text", "body_html", "mime")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def outbox_failed_count() -> int:
    """Emails that failed for good (`outbox_failed_idx`). One query."""
    return OutboxEmail.objects.filter(status=EmailStatus.FAILED).order_by().count()


def outbox_email_get(pk: int) -> OutboxEmail:
    """One email for staff, without its bodies. DoesNotExist otherwise."""
    return OutboxEmail.objects.defer("body_text", "body_html", "mime").get(pk=pk)


def account_addresses(user, *, verified_only: bool = True) -> list[str]:
    """The addresses `user` has proved are theirs: every verified address on the account. With
    `verified_only=False`, the account's own address and unverified ones too. One query. The
    outbox stores an address exactly as it was given, so these are the forms to match."""
    from allauth.account.models import EmailAddress

    rows = EmailAddress.objects.filter(user=user)
    if verified_only:
        found = set(rows.filter(verified=True).values_list("email", flat=True))
    else:
        found = {user.email, *rows.values_list("email", flat=True)}
    return sorted(address for address in found if address)


def outbox_emails_to(addresses: list[str]) -> QuerySet[OutboxEmail]:
    """Every email to any of `addresses` (as stored, which is how they were queued)."""
    return OutboxEmail.objects.filter(recipient__in=addresses)
