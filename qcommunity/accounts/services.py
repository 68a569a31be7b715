"""Writes for accounts and roles."""

from django.db import transaction

from qcommunity.audit.services import audit_record

from .enums import Role
from .models import User, UserRole


@transaction.atomic
def role_grant(*, user: User, role: Role | str, actor: User | None, reason: str = "") -> UserRole:
    """Give `user` a site-wide role. Idempotent: granting a held role changes nothing.
    Records an audit row (with the reason, when given) when the role is new."""
    role = Role(role)
    grant, created = UserRole.objects.get_or_create(
        user=user, role=role, defaults={"granted_by": actor, "reason": reason}
    )
    if created:
        data = {"role": role.value, **({"reason": reason} if reason else {})}
        audit_record(actor=actor, action="role.grant", target=user, data=data)
    user.__dict__.pop("_role_names", None)
    return grant


@transaction.atomic
def role_revoke(*, user: User, role: Role | str, actor: User | None, reason: str = "") -> bool:
    """Remove a site-wide role. Returns whether the user held it; audited (with the reason,
    when given) when it did."""
    role = Role(role)
    deleted, _ = UserRole.objects.filter(user=user, role=role).delete()
    if deleted:
        data = {"role": role.value, **({"reason": reason} if reason else {})}
        audit_record(actor=actor, action="role.revoke", target=user, data=data)
    user.__dict__.pop("_role_names", None)
    return bool(deleted)
