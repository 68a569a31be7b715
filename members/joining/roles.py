"""Managing one round of joining Q, as a role staff give on a person's account page ("Round
manager: Regional wave 3"): the round's pages, dates, moves, report, download and audit trail,
without being a staff administrator. Its panels stay with staff administrators."""

from django.db import transaction
from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import UserRole
from qcommunity.accounts.roles import Holding, RoleKind
from qcommunity.accounts.services import role_grant, role_revoke
from qcommunity.core.errors import require_perm

from .enums import RoundStatus
from .models import Round, RoundManager
from .services import JoiningError


class RoundManagement(RoleKind):
    scope_label = "Round"

    def scopes(self) -> list[tuple[str, str]]:
        return [
            (f"round:{pk}", name)
            for pk, name in Round.objects.exclude(status=RoundStatus.RELEASED)
            .order_by("-opens_at", "-pk")
            .values_list("pk", "name")
        ]

    def _round(self, scope: str) -> Round | None:
        kind, _, key = scope.partition(":")
        if kind != "round" or not key.isdigit():
            return None
        return Round.objects.filter(pk=int(key)).first()

    def holdings(self, user) -> list[Holding]:
        return [
            Holding(
                kind=self,
                scope=f"round:{row.round_id}",
                scope_label=row.round.name,
                granted_at=row.added_at,
                granted_by=row.added_by.display_name if row.added_by else "",
                reason=row.reason,
            )
            for row in RoundManager.objects.filter(user=user)
            .select_related("round", "added_by")
            .order_by("-round__opens_at")
        ]

    def holder_ids(self):
        return RoundManager.objects.values("user_id")

    @transaction.atomic
    def grant(self, *, actor, user, scope: str, reason: str) -> None:
        require_perm(actor, "members.create_rounds", error=JoiningError)
        round_ = self._round(scope)
        if round_ is None or round_.status == RoundStatus.RELEASED:
            raise JoiningError("Choose a round from the list.", {"scope": "Choose a round"})
        _, created = RoundManager.objects.get_or_create(
            round=round_, user=user, defaults={"added_by": actor, "reason": reason}
        )
        if not created:
            raise JoiningError(f"{user.display_name} already manages {round_.name}.")
        role_grant(user=user, role=Role.ROUND_MANAGER, actor=actor)

    @transaction.atomic
    def revoke(self, *, actor, user, scope: str, reason: str) -> bool:
        require_perm(actor, "members.create_rounds", error=JoiningError)
        round_ = self._round(scope)
        deleted, _ = RoundManager.objects.filter(round=round_, user=user).delete()
        if deleted and not RoundManager.objects.filter(user=user).exists():
            role_revoke(user=user, role=Role.ROUND_MANAGER, actor=actor)
        return bool(deleted)

    def link(self, scope: str) -> str:
        round_ = self._round(scope)
        return reverse("members-staff:round-detail", args=[round_.pk]) if round_ else "/"


def round_managers_erase(user) -> None:
    """A deleted account manages nothing (`members.joining.personal_data`)."""
    RoundManager.objects.filter(user=user).delete()
    UserRole.objects.filter(user=user, role=Role.ROUND_MANAGER).delete()


ROUND_MANAGEMENT = RoundManagement(
    key="round_manager",
    label="Round manager",
    description=(
        "Runs one round of joining Q: its page, dates, opening and closing, the report, the "
        "spreadsheet of applications and decisions, releasing decisions. Sees applications, "
        "so two-factor authentication is required."
    ),
    order=35,
)
