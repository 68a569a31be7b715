"""Demo data for the people pages: invitations in each state staff meet (waiting, expired,
one accepted by an invented person who made an account from it) and one suspended account, so
`/staff/people/` and its invitations page show what they do. Idempotent."""

import datetime as dt

from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User

from .invitations import invitations_read, invitations_send
from .models import Invitation
from .services import person_suspend

WAITING = (
    "name,email,role\n"
    "Morwenna Tregear,morwenna.tregear@demo.q.example,member\n"
    "Idris Pryce,idris.pryce@demo.q.example,exchange_moderator\n"
    "Hollis Adeyemi,hollis.adeyemi@demo.q.example,member\n"
)
EXPIRED = "hollis.adeyemi@demo.q.example"


def seed_people() -> int:
    """Send the demo invitations (once) and suspend one invented member. Returns how many
    invitations were made."""
    admin = User.objects.filter(roles__role=Role.STAFF_ADMIN, is_active=True).order_by("pk").first()
    if admin is None or Invitation.objects.exists():
        return 0
    plan = invitations_read(actor=admin, data=WAITING.encode())
    sent = invitations_send(actor=admin, plan=plan, reason="Founding members of the Kernow group")
    Invitation.objects.filter(email=EXPIRED).update(
        sent_at=timezone.now() - dt.timedelta(days=20),
        expires_at=timezone.now() - dt.timedelta(days=6),
    )
    suspended = (
        User.objects.filter(email__endswith=".7@demo.q.example", is_active=True)
        .order_by("pk")
        .first()
    )
    if suspended is not None:
        person_suspend(
            actor=admin,
            user=suspended,
            reason="Messages reported as unwanted by three members; account paused while we talk",
        )
    return len(sent)
