"""The account's own personal data: the account, its roles, email addresses, two-factor devices
and signed-in devices. Deleting the account removes all of it (qcommunity.privacy.services makes
the account a tombstone), so no erase step is registered here."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from qcommunity.privacy.registry import PersonalData, register

from .enums import Role
from .models import KnownSignIn, UserRole

ROLE_LABELS = dict(Role.choices)


def account_export(user) -> list[dict]:
    roles = UserRole.objects.filter(user=user).order_by("granted_at", "id")
    return [
        {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_name": user.preferred_name,
            "joined_at": user.date_joined,
            "last_signed_in_at": user.last_login,
            "roles": [
                {"role": ROLE_LABELS.get(r.role, r.role), "granted_at": r.granted_at} for r in roles
            ],
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("id")
            ],
            "two_factor_methods": [
                {
                    "type": a.get_type_display(),
                    "added_at": a.created_at,
                    "last_used_at": a.last_used_at,
                }
                for a in Authenticator.objects.filter(user=user).order_by("id")
            ],
        }
    ]


def devices_export(user) -> list[dict]:
    return [
        {
            "signed_in_at": s.created_at,
            "last_seen_at": s.last_seen_at,
            "ip_address": s.ip,
            "browser": s.user_agent,
        }
        for s in UserSession.objects.filter(user=user).order_by("created_at", "id")
    ]


def sign_ins_export(user) -> list[dict]:
    return [
        {
            "browser": s.browser,
            "network": s.network,
            "first_signed_in_at": s.first_seen_at,
            "last_signed_in_at": s.last_seen_at,
        }
        for s in KnownSignIn.objects.filter(user=user).order_by("first_seen_at", "id")
    ]


def sign_ins_erase(user) -> None:
    KnownSignIn.objects.filter(user=user).delete()


register(
    PersonalData(
        key="accounts.account",
        label="Your account",
        on_delete="Your name, email addresses, password, roles and two-factor authentication "
        "are removed.",
        export=account_export,
        order=10,
    )
)
register(
    PersonalData(
        key="accounts.devices",
        label="Signed-in devices",
        on_delete="You are signed out everywhere and the list is removed.",
        export=devices_export,
        order=11,
    )
)
register(
    PersonalData(
        key="accounts.sign_ins",
        label="Browsers and networks you have signed in from",
        on_delete="Deleted.",
        export=sign_ins_export,
        erase=sign_ins_erase,
        order=12,
    )
)
