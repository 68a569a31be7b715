"""Demo accounts for local development: one per role, known passwords, never in production."""

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.accounts.services import role_grant

DEMO_PASSWORD = "demo-password-2026"
# Development only: the two-factor secret every demo account that needs two-factor shares.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# The one two-factor demo account left without recovery codes, so its security page offers to
# create them (the others offer to view them).
WITHOUT_RECOVERY_CODES = "assessor@demo.q.example"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    preferred_name: str
    roles: tuple[Role, ...]
    description: str


DEMO_ACCOUNTS = (
    DemoAccount(
        "user@demo.q.example", "Robin Ashby", "Robin", (), "registered user (not yet a member)"
    ),
    DemoAccount("member@demo.q.example", "Priya Natarajan", "Priya", (Role.MEMBER,), "member"),
    DemoAccount(
        "moderator@demo.q.example",
        "Tom Okafor",
        "Tom",
        (Role.MEMBER, Role.EXCHANGE_MODERATOR),
        "Exchange moderator",
    ),
    DemoAccount(
        "facilitator@demo.q.example",
        "Aileen MacRae",
        "Aileen",
        (Role.MEMBER, Role.LAB_FACILITATOR),
        "lab facilitator",
    ),
    DemoAccount(
        "coordinator@demo.q.example",
        "Gareth Pryce",
        "Gareth",
        (Role.ACCREDITATION_COORDINATOR,),
        "accreditation coordinator",
    ),
    DemoAccount("assessor@demo.q.example", "Nuala Byrne", "Nuala", (Role.ASSESSOR,), "assessor"),
    DemoAccount("editor@demo.q.example", "Hannah Lowe", "Hannah", (Role.EDITOR,), "editor"),
    DemoAccount(
        "panel@demo.q.example",
        "Femi Adeyemi",
        "Femi",
        (Role.MEMBER, Role.PANEL_MEMBER),
        "panel member (reviewer on the demo joining panels)",
    ),
    DemoAccount(
        "chair@demo.q.example",
        "Morwenna Quillan",
        "Morwenna",
        (Role.MEMBER, Role.PANEL_MEMBER),
        "panel chair (chairs the demo joining panels)",
    ),
    DemoAccount(
        "manager@demo.q.example",
        "Rhodri Pryce",
        "Rhodri",
        (Role.ROUND_MANAGER,),
        "round manager (runs Regional wave 3, not a staff admin)",
    ),
    DemoAccount(
        "provider@demo.q.example",
        "Imogen Hartley",
        "Imogen",
        (Role.PROVIDER_ADMIN,),
        "provider admin (administers Living Well Together)",
    ),
    DemoAccount(
        "admin@demo.q.example",
        "Sam Whitfield",
        "Sam",
        (Role.STAFF_ADMIN,),
        "staff admin (also the Django admin)",
    ),
)


def refuse_in_production() -> None:
    if settings.SETTINGS_MODULE.endswith(".production"):
        raise ImproperlyConfigured("Demo data must never be loaded with production settings.")


@transaction.atomic
def seed_accounts() -> list[tuple[DemoAccount, User]]:
    """Create or refresh the demo accounts; those that need two-factor get the shared
    authenticator and (all but one) their own recovery codes. Idempotent: running it again
    changes nothing new."""
    refuse_in_production()
    result = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                email=account.email,
                password=DEMO_PASSWORD,
                full_name=account.full_name,
                preferred_name=account.preferred_name,
            )
        if Role.STAFF_ADMIN in account.roles and not user.is_staff:
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        for role in account.roles:
            role_grant(user=user, role=role, actor=None)
        if (
            user.needs_two_factor
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
        if user.needs_two_factor and account.email != WITHOUT_RECOVERY_CODES:
            # As allauth gives them when someone sets up an authenticator; a no-op once made.
            RecoveryCodes.activate(user)
        result.append((account, user))
    return result


def current_demo_code() -> str:
    """The current six-digit code for the shared demo two-factor secret."""
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
