"""Staff changes to people's accounts: giving and taking away roles (any kind an app
registers, `qcommunity.accounts.roles`), suspending and reinstating. Every change needs a
reason, is audited and is told to the person by email.

Rules held here, whatever page calls them:
- only staff administrators change roles or suspend accounts, and staff-level roles (staff
  administrator, editor, coordinator) are given only by administrators (the pages also ask
  them to re-authenticate first); a kind may let others give it for some scopes
  (`RoleKind.may_give`: a provider's admins give its staff roles);
- the last active staff administrator can be neither stripped of the role nor suspended, so
  the site is never left without someone to run it;
- nobody suspends their own account, and a deleted account (a "Former member") takes no
  change;
- suspending signs the person out everywhere and stops them signing in; what they wrote
  stays."""

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User, UserRole
from qcommunity.accounts.roles import RoleKind
from qcommunity.audit.services import audit_record
from qcommunity.core.errors import PERMISSION_MESSAGE, ServiceError, require_perm
from qcommunity.outbox.services import email_queue_template

REASON_MAX = 1000


class PeopleError(ServiceError):
    """A change to a person's account that cannot be made (see `ServiceError`)."""


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise PeopleError("Say why, for the audit log.", {"reason": "Enter a reason"})
    if len(reason) > REASON_MAX:
        raise PeopleError(
            f"The reason must be {REASON_MAX} characters or fewer.",
            {"reason": f"Reason must be {REASON_MAX} characters or fewer"},
        )
    return reason


def _locked(user: User) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at is not None:
        raise PeopleError("This account has been deleted; nothing about it can be changed.")
    return user


def _require_may_give(actor, kind: RoleKind, scope: str = "") -> None:
    if not kind.may_give(actor, scope):
        raise PeopleError(PERMISSION_MESSAGE)


def _other_active_admins(user: User) -> bool:
    """Whether an active staff administrator other than `user` exists (rows locked, so two
    administrators removing each other at once cannot both succeed)."""
    admins = list(
        UserRole.objects.select_for_update()
        .filter(role=Role.STAFF_ADMIN, user__is_active=True, user__deleted_at__isnull=True)
        .exclude(user=user)
        .values_list("user_id", flat=True)
    )
    return bool(admins)


def _tell(user: User, template: str, context: dict) -> None:
    email_queue_template(
        to=user.email,
        kind=template,
        context={"name": user.display_name, **context},
        related=user,
    )


@transaction.atomic
def person_role_grant(*, actor, user: User, kind: RoleKind, scope: str = "", reason: str):
    """Give `user` the role `kind` (for `scope` when the kind is scoped)."""
    _require_may_give(actor, kind, scope)
    reason = _check_reason(reason)
    user = _locked(user)
    scope_label = ""
    if kind.scoped:
        scope_label = kind.scope_name(scope)
        if not scope_label:
            raise PeopleError(
                f"Choose a {kind.scope_label.lower()} from the list.",
                {"scope": f"Choose a {kind.scope_label.lower()}"},
            )
    elif any(h.kind.key == kind.key for h in kind.holdings(user)):
        raise PeopleError(f"{user.display_name} already holds the role {kind.label}.")
    try:
        kind.grant(actor=actor, user=user, scope=scope, reason=reason)
    except ServiceError as error:
        raise PeopleError(str(error), error.errors) from error
    if kind.scoped:
        # Site-wide roles are audited with the reason by `role_grant`; a scope is the app's own
        # row, so the change in words is recorded here.
        audit_record(
            actor=actor,
            action="role.grant",
            target=user,
            data={"role": kind.key, "scope": scope_label, "reason": reason},
        )
    user.__dict__.pop("_role_names", None)
    _tell(
        user,
        "people_role_granted",
        {
            "role": kind.label,
            "scope": scope_label,
            "description": kind.description,
            "reason": reason,
            "link": _absolute(kind.link(scope)),
            "two_factor": user.needs_two_factor,
            "security_url": _absolute(reverse("mfa_index")),
        },
    )


@transaction.atomic
def person_role_revoke(*, actor, user: User, kind: RoleKind, scope: str = "", reason: str):
    """Take the role `kind` (for `scope`) away from `user`."""
    _require_may_give(actor, kind, scope)
    reason = _check_reason(reason)
    user = _locked(user)
    holding = next((h for h in kind.holdings(user) if h.scope == scope), None)
    if holding is None:
        raise PeopleError(f"{user.display_name} does not hold this role.")
    if kind.key == Role.STAFF_ADMIN and not _other_active_admins(user):
        raise PeopleError(
            "This is the last staff administrator. Make someone else an administrator before "
            "taking the role away, so the site always has someone to run it."
        )
    try:
        kind.revoke(actor=actor, user=user, scope=scope, reason=reason)
    except ServiceError as error:
        raise PeopleError(str(error), error.errors) from error
    if kind.scoped:
        audit_record(
            actor=actor,
            action="role.revoke",
            target=user,
            data={"role": kind.key, "scope": holding.scope_label, "reason": reason},
        )
    user.__dict__.pop("_role_names", None)
    _tell(
        user,
        "people_role_revoked",
        {"role": kind.label, "scope": holding.scope_label, "reason": reason},
    )


@transaction.atomic
def person_suspend(*, actor, user: User, reason: str) -> User:
    """Stop `user` signing in and sign them out everywhere; what they wrote stays."""
    require_perm(actor, "people.manage_people")
    reason = _check_reason(reason)
    user = _locked(user)
    if user.pk == actor.pk:
        raise PeopleError("You cannot suspend your own account.")
    if not user.is_active:
        raise PeopleError(f"{user.display_name}'s account is already suspended.")
    if user.has_role(Role.STAFF_ADMIN) and not _other_active_admins(user):
        raise PeopleError("This is the last staff administrator; their account stays active.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    for session in UserSession.objects.filter(user=user):
        session.end()
    audit_record(actor=actor, action="account.suspend", target=user, data={"reason": reason})
    _tell(
        user,
        "people_account_suspended",
        {"reason": reason, "contact_url": _absolute(reverse("core:contact"))},
    )
    return user


@transaction.atomic
def person_reinstate(*, actor, user: User, reason: str) -> User:
    """Let a suspended account sign in again."""
    require_perm(actor, "people.manage_people")
    reason = _check_reason(reason)
    user = _locked(user)
    if user.is_active:
        raise PeopleError(f"{user.display_name}'s account is not suspended.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="account.reinstate", target=user, data={"reason": reason})
    _tell(
        user,
        "people_account_reinstated",
        {"reason": reason, "sign_in_url": _absolute(reverse("account_login"))},
    )
    return user
