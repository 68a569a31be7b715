"""Demo data for the outbox: one email that failed for good (its address refused by the mail
server), so the staff home lists a failed email that staff can send again. Idempotent: nothing
is added while an email to the address exists (sent again or not). Refuses production
settings."""

from django.db import transaction

from qcommunity.core.demo import refuse_in_production

from .models import OutboxEmail
from .services import _mark_failed_attempt, email_queue

DEMO_FAILED_TO = "ruth.oyelaran@old-trust.demo.q.example"
DEMO_FAILED_ERROR = (
    "550 5.1.1 <ruth.oyelaran@old-trust.demo.q.example>: Recipient address rejected: "
    "User unknown in virtual mailbox table"
)


@transaction.atomic
def seed_failed_email() -> int:
    """Queue a member's message to an address that no longer exists and fail it, as the worker
    does on a 5xx refusal. Returns 1 when it was added."""
    refuse_in_production()
    if OutboxEmail.objects.filter(recipient=DEMO_FAILED_TO).exists():
        return 0
    row = email_queue(
        to=DEMO_FAILED_TO,
        kind="member_contact",
        subject="A message from a Q member about your falls project",
        body_text=(
            "Hello Ruth,\n\nI read about your falls project in the directory and would like to "
            "hear how you kept it going after the first year.\n\nBest wishes,\nAsha\n"
        ),
    )
    OutboxEmail.objects.filter(pk=row.pk).update(attempts=1)
    row.attempts = 1
    _mark_failed_attempt(row, DEMO_FAILED_ERROR, final=True)
    return 1
