"""Inviting people to take a role: staff send a list (a CSV of name, email, role and scope,
checked row by row and previewed before anything is sent), the person follows the link in the
email, signs in or creates an account with that address, and accepts. Invitations expire after
`INVITATION_DAYS`; staff can send one again (a new link and a new expiry; the old link stops
working) or withdraw it.

Giving the role on acceptance goes through the same service as the people pages
(`services.person_role_grant`) on behalf of the member of staff who sent it, so it is refused
if they may no longer give that role."""

import csv
import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from qcommunity.accounts.roles import RoleKind, all_roles, find_role
from qcommunity.audit.services import audit_record
from qcommunity.core.formatting import uk_date
from qcommunity.outbox.services import email_queue_template

from .models import Invitation, InvitationStatus
from .services import PeopleError, _check_reason, person_role_grant

INVITATION_DAYS = 14
MAX_BYTES = 512 * 1024
MAX_ROWS = 500
COLUMNS = ("name", "email", "role", "scope")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _hash(token)


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("invited_by").filter(token_hash=_hash(token)).first()


# Reading and checking a list -------------------------------------------------------------------


@dataclass
class PlannedInvitation:
    row: int
    name: str
    email: str
    role: str
    scope: str
    kind: RoleKind | None = None
    scope_key: str = ""
    scope_label: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class InvitationPlan:
    rows: list[PlannedInvitation] = field(default_factory=list)
    # A problem with the file as a whole (not a CSV, no header...): nothing else is checked.
    file_error: str = ""

    @property
    def errors(self) -> list[PlannedInvitation]:
        return [row for row in self.rows if row.errors]

    @property
    def ready(self) -> bool:
        return bool(self.rows) and not self.file_error and not self.errors


def givable_kinds(actor) -> list[RoleKind]:
    """The kinds `actor` may invite people to from a list (staff: `RoleKind.may_give`)."""
    return [kind for kind in all_roles() if kind.may_give(actor, "")]


def _require_may_invite(actor, invitation: Invitation) -> None:
    kind = find_role(invitation.role)
    if kind is None or not kind.may_give(actor, invitation.scope):
        raise PeopleError("You cannot send or withdraw this invitation.")


def _match_scope(kind: RoleKind, text: str, scopes: dict) -> tuple[str, str]:
    """The scope a person wrote, by its code or its words (any case)."""
    wanted = " ".join(text.split()).lower()
    for key, label in scopes[kind.key]:
        if wanted in (key.lower(), label.lower()):
            return key, label
    return "", ""


def invitations_read(*, actor, data: bytes) -> InvitationPlan:
    """Parse and check a CSV of invitations. Writes nothing."""
    plan = InvitationPlan()
    if len(data) > MAX_BYTES:
        plan.file_error = "The file must be smaller than 512KB."
        return plan
    if b"\x00" in data:
        plan.file_error = "The file must be a CSV file, not a spreadsheet or other file."
        return plan
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        plan.file_error = "The file must be saved as CSV UTF-8."
        return plan
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in ("name", "email", "role") if name not in header]
    if missing:
        plan.file_error = (
            "The first row must name the columns: name, email, role and scope "
            f"(missing: {', '.join(missing)})."
        )
        return plan
    reader.fieldnames = header
    kinds = {kind.key: kind for kind in givable_kinds(actor)}
    labels = {kind.label.lower(): kind for kind in kinds.values()}
    scopes = {key: kind.scopes() for key, kind in kinds.items() if kind.scoped}
    seen: set[tuple[str, str, str]] = set()
    for number, record in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            plan.file_error = f"A list can have at most {MAX_ROWS} people; split it in two."
            return plan
        values = {name: (record.get(name) or "").strip() for name in COLUMNS}
        if not any(values.values()):
            continue
        row = PlannedInvitation(number, values["name"], values["email"].lower(), values["role"],
                                values["scope"])  # fmt: skip
        if not row.name:
            row.errors.append("Enter the person's name")
        elif len(row.name) > 200:
            row.errors.append("Name must be 200 characters or fewer")
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(f"'{values['email']}' is not an email address")
        kind = kinds.get(row.role.lower()) or labels.get(row.role.lower())
        if kind is None:
            row.errors.append(f"'{row.role}' is not a role you can give")
        else:
            row.kind = kind
            if kind.scoped:
                row.scope_key, row.scope_label = _match_scope(kind, row.scope, scopes)
                if not row.scope_key:
                    row.errors.append(
                        f"Give the {kind.scope_label.lower()} for {kind.label}, as listed on "
                        "this page"
                        if not row.scope
                        else f"'{row.scope}' is not one of the choices of "
                        f"{kind.scope_label.lower()} for {kind.label}"
                    )
        key = (row.email, row.kind.key if row.kind else row.role, row.scope_key)
        if key in seen:
            row.errors.append("This person is invited to this role earlier in the list")
        seen.add(key)
        plan.rows.append(row)
    if not plan.rows:
        plan.file_error = "The file has no people in it."
    return plan


# Sending, sending again, withdrawing -----------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _email(invitation: Invitation, token: str) -> None:
    inviter = invitation.invited_by
    kind = find_role(invitation.role)
    email_queue_template(
        to=invitation.email,
        kind="people_invitation",
        context={
            "name": invitation.name,
            "role": invitation.label,
            "description": kind.description if kind else "",
            "reason": invitation.reason,
            "inviter": inviter.display_name if inviter else "Q Community",
            "expires": uk_date(invitation.expires_at),
            "link": _absolute(reverse("people:invitation", args=[token])),
        },
        related=invitation,
    )


@transaction.atomic
def invitations_send(*, actor, plan: InvitationPlan, reason: str) -> list[Invitation]:
    """Send every invitation of a checked list, or none: a list with any row error is refused.
    An address already waiting on the same role and scope is sent a fresh link instead of a
    second invitation."""
    reason = _check_reason(reason)
    if not plan.ready:
        raise PeopleError("Fix the rows with problems and upload the list again.")
    return [
        invitation_send(
            actor=actor,
            email=row.email,
            name=row.name,
            kind=row.kind,
            scope=row.scope_key,
            reason=reason,
        )
        for row in plan.rows
    ]


@transaction.atomic
def invitation_send(
    *, actor, email: str, name: str, kind: RoleKind, scope: str = "", reason: str
) -> Invitation:
    """Invite one person to `kind` (for `scope`), if `actor` may give it there
    (`RoleKind.may_give`). An address already waiting on the same role and scope is sent a
    fresh link instead of a second invitation."""
    reason = _check_reason(reason)
    email = email.strip().lower()
    name = " ".join(name.split())
    if not kind.may_give(actor, scope):
        raise PeopleError(f"You cannot give the role {kind.label}.")
    scope_label = ""
    if kind.scoped:
        scope_label = kind.scope_name(scope)
        if not scope_label:
            raise PeopleError(
                f"Choose a {kind.scope_label.lower()} from the list.",
                {"scope": f"Choose a {kind.scope_label.lower()}"},
            )
    waiting = (
        Invitation.objects.select_for_update()
        .annotate(address=Lower("email"))
        .filter(address=email, role=kind.key, scope=scope, status=InvitationStatus.PENDING)
        .first()
    )
    if waiting is not None:
        return invitation_resend(actor=actor, invitation=waiting)
    now = timezone.now()
    token, token_hash = _new_token()
    invitation = Invitation.objects.create(
        email=email,
        name=name,
        role=kind.key,
        role_label=kind.label,
        scope=scope,
        scope_label=scope_label,
        reason=reason,
        token_hash=token_hash,
        invited_by=actor,
        created_at=now,
        sent_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        action="invitation.send",
        target=invitation,
        data={"role": kind.key, "scope": scope_label, "reason": reason},
    )
    _email(invitation, token)
    return invitation


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> Invitation:
    """A new link, valid for another `INVITATION_DAYS`; the old link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_may_invite(actor, invitation)
    if invitation.status != InvitationStatus.PENDING:
        raise PeopleError(f"This invitation was {invitation.get_status_display().lower()}.")
    now = timezone.now()
    token, invitation.token_hash = _new_token()
    invitation.sent_at = now
    invitation.expires_at = now + dt.timedelta(days=INVITATION_DAYS)
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "send_count"])
    audit_record(actor=actor, action="invitation.resend", target=invitation)
    _email(invitation, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_may_invite(actor, invitation)
    if invitation.status != InvitationStatus.PENDING:
        raise PeopleError(f"This invitation was {invitation.get_status_display().lower()}.")
    invitation.status = InvitationStatus.REVOKED
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["status", "revoked_at"])
    audit_record(actor=actor, action="invitation.revoke", target=invitation)
    return invitation


# Accepting -------------------------------------------------------------------------------------


def invitation_problem(invitation: Invitation, user) -> str:
    """Why `user` cannot accept `invitation` now, in words ("" when they can)."""
    if invitation.status == InvitationStatus.ACCEPTED:
        return "This invitation has already been accepted."
    if invitation.status == InvitationStatus.REVOKED:
        return "This invitation has been withdrawn."
    if invitation.is_expired():
        return "This invitation has expired. Ask the person who invited you to send it again."
    if user.is_authenticated and user.email.lower() != invitation.email.lower():
        return (
            f"This invitation was sent to another email address. Sign out, then sign in or "
            f"create an account with that address. You are signed in as {user.email}."
        )
    return ""


@transaction.atomic
def invitation_accept(*, user, invitation: Invitation) -> Invitation:
    """Give `user` the role they were invited to, on behalf of the member of staff who sent
    the invitation."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation, user)
    if problem:
        raise PeopleError(problem)
    kind = find_role(invitation.role)
    if kind is None or invitation.invited_by is None:
        raise PeopleError("This invitation can no longer be accepted. Ask staff to send another.")
    reason = invitation.reason or f"Invited by {invitation.invited_by.display_name}"
    already = any(h.scope == invitation.scope for h in kind.holdings(user))
    if not already:
        try:
            person_role_grant(
                actor=invitation.invited_by,
                user=user,
                kind=kind,
                scope=invitation.scope,
                reason=reason,
            )
        except PeopleError as error:
            raise PeopleError(
                f"{error.message} Ask the person who invited you to send a new invitation."
            ) from error
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
    audit_record(actor=user, action="invitation.accept", target=invitation)
    return invitation
