"""The emails the site sent to a person: what each was about, when and whether it went. Not the
bodies: a download lists the emails, the person already has the messages themselves."""

from qcommunity.privacy.registry import PersonalData, register

from .enums import EmailStatus
from .selectors import account_addresses, outbox_emails_to
from .services import outbox_emails_erase

STATUS_LABELS = dict(EmailStatus.choices)


def emails_export(user) -> list[dict]:
    rows = (
        outbox_emails_to(account_addresses(user))
        .order_by("created_at", "id")
        .values("recipient", "subject", "status", "created_at", "sent_at")
    )
    return [
        {
            "to": row["recipient"],
            "subject": row["subject"],
            "status": STATUS_LABELS.get(row["status"], row["status"]),
            "queued_at": row["created_at"],
            "sent_at": row["sent_at"],
        }
        for row in rows
    ]


def emails_erase(user) -> None:
    # Every address on the account, verified or not: a message waiting for an address the
    # person added but never confirmed must not go out after they have left.
    outbox_emails_erase(addresses=account_addresses(user, verified_only=False))


register(
    PersonalData(
        key="outbox.emails",
        label="Emails we have sent you",
        on_delete="Emails waiting to be sent to you are deleted. For emails already sent, we "
        "keep only what type of email it was and when it was sent, not your address or what "
        "it said. We then send one last email to your address to say your account has been "
        "deleted, and keep the record of sending it.",
        export=emails_export,
        erase=emails_erase,
        order=85,
    )
)
