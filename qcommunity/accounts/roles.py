"""The roles staff give and take away on a person's account page, declared by the apps that give
them meaning. Nothing here (nor the people pages) knows an app: each app registers its kinds in
its own `roles.py`, found by `autodiscover_modules("roles")` when the site starts:

    register(SiteRole(key=Role.EXCHANGE_MODERATOR, label="Exchange moderator", ...))

A kind is site-wide (`SiteRole`: a `UserRole` row) or scoped (a subclass whose `scopes()` lists
what it can be held for, such as one panel of a round, and whose `grant`/`revoke` write the
app's own rows through the app's services). The people service (`qcommunity.people.services`)
wraps every change: permission, reason, audit row, the email to the person.

`staff_level` kinds (staff administrator, editor...) need an administrator who re-authenticated
within the last few minutes to give them."""

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass

from qcommunity.core.registry import Registry

from .enums import Role
from .models import UserRole
from .services import role_grant, role_revoke


@dataclass(frozen=True)
class Holding:
    """One role a person holds: for a scope (a panel, a round) or site-wide (scope "")."""

    kind: "RoleKind"
    scope: str = ""
    scope_label: str = ""
    granted_at: dt.datetime | None = None
    granted_by: str = ""
    reason: str = ""

    @property
    def label(self) -> str:
        return f"{self.kind.label}: {self.scope_label}" if self.scope_label else self.kind.label


class RoleKind(ABC):
    """The hooks one kind of role fills in. Subclasses set the class attributes or pass them
    as keywords."""

    key: str = ""
    label: str = ""
    # What holding it lets a person do, in a sentence (on the grant page and in the email).
    description: str = ""
    order: int = 100
    staff_level: bool = False
    # "Panel", "Round": what a scope is called; empty for a site-wide role.
    scope_label: str = ""

    def __init__(self, **attributes):
        for name, value in attributes.items():
            if not hasattr(type(self), name):
                raise TypeError(f"{type(self).__name__} has no attribute {name!r}.")
            setattr(self, name, value)
        if not self.key or not self.label:
            raise ValueError("A role kind needs a key and a label.")

    @property
    def scoped(self) -> bool:
        return bool(self.scope_label)

    def scopes(self) -> list[tuple[str, str]]:
        """What the role can be given for now, as (scope key, label) choices."""
        return []

    def scope_name(self, scope: str) -> str:
        """The label of `scope`, or "" when it does not exist (or no longer takes people)."""
        return dict(self.scopes()).get(scope, "")

    @abstractmethod
    def holdings(self, user) -> list[Holding]:
        """See the module's docstring."""

    @abstractmethod
    def grant(self, *, actor, user, scope: str, reason: str) -> None:
        """See the module's docstring."""

    @abstractmethod
    def revoke(self, *, actor, user, scope: str, reason: str) -> bool:
        """See the module's docstring."""

    @abstractmethod
    def holder_ids(self):
        """The ids of the accounts holding it, as a queryset of `user_id` (for filters)."""

    def link(self, scope: str) -> str:
        """Where the person works with the role (a path), for the email and the account page."""
        return "/"

    def may_give(self, actor, scope: str) -> bool:
        """Whether `actor` may give (and take away, and invite people to) this role for `scope`
        ("" for site-wide, or when asking about the kind as a whole). By default only staff
        administrators, and only administrators who may give staff-level roles for those; a
        kind may widen it (a provider's admins give its staff roles for their own
        organisation)."""
        if actor is None or not actor.has_perm("people.manage_people"):
            return False
        return not self.staff_level or actor.has_perm("people.give_staff_roles")


class SiteRole(RoleKind):
    """A site-wide role, held as a `UserRole` row with the key as its role. `holdings` reads
    the rows prefetched on the user (`people` selectors prefetch `roles__granted_by`)."""

    def holdings(self, user) -> list[Holding]:
        return [
            Holding(
                kind=self,
                granted_at=row.granted_at,
                granted_by=row.granted_by.display_name if row.granted_by else "",
                reason=row.reason,
            )
            for row in user.roles.all()
            if row.role == self.key
        ]

    def holder_ids(self):
        return UserRole.objects.filter(role=self.key).values("user_id")

    def grant(self, *, actor, user, scope: str, reason: str) -> None:
        role_grant(user=user, role=self.key, actor=actor, reason=reason)

    def revoke(self, *, actor, user, scope: str, reason: str) -> bool:
        return role_revoke(user=user, role=self.key, actor=actor, reason=reason)


def _check(kind: RoleKind) -> None:
    if not isinstance(kind, RoleKind):
        raise TypeError("Register RoleKind instances.")
    if isinstance(kind, SiteRole) and kind.key not in Role.values:
        raise LookupError(f"{kind.key!r} is not a site-wide role (accounts.enums.Role).")


ROLES: Registry[RoleKind] = Registry("Role kind", check=_check)
register = ROLES.register
unregister = ROLES.unregister
all_roles = ROLES.all
get_role = ROLES.get


def find_role(key: str) -> RoleKind | None:
    """The kind registered as `key`, or None (an invitation to a kind no app registers now)."""
    return ROLES.get(key) if key in ROLES else None


# The accounts app's own role: the staff administrators who run the site.
register(
    SiteRole(
        key=Role.STAFF_ADMIN,
        label="Staff administrator",
        description=(
            "Runs the site: people and their roles, rounds, panels, imports, the audit log and "
            "the email outbox. Sees personal data, so two-factor authentication is required."
        ),
        order=10,
        staff_level=True,
    )
)
