"""A seat on a panel as a role staff give on a person's account page (`qcommunity.accounts.
roles`): one `PanelSeat` per kind of panel, registered by the app that owns the kind (joining's
regional panels, Exchange's shortlisting panels). The scope is one panel; a consumer may offer
scopes for panels that do not exist yet (joining: a round's region) by overriding
`open_scopes` and `panel_for_scope`. Giving the seat puts the person on the panel as a reviewer
(`panel_member_add`, which also gives the site-wide panel member role and so two-factor
authentication); taking it away takes them off (`panel_member_remove`: unfinished reviews are
withdrawn, submitted ones stay)."""

from django.contrib.contenttypes.models import ContentType

from qcommunity.accounts.roles import Holding, RoleKind

from . import services
from .enums import PanelRole
from .models import Panel, PanelMember


class PanelSeat(RoleKind):
    scope_label = "Panel"
    # The PanelKind whose panels these are (words, owner model, the reviewer's pages).
    panel_kind = None

    def owner_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.panel_kind.owner_model)

    def open_owner_ids(self):
        """The owners (rounds) whose panels still take reviewers: a queryset of ids, or None
        for all of them."""
        return

    def owner_name(self, owner_id: int, names: dict[int, str]) -> str:
        return names.get(owner_id, "")

    def owner_names(self, owner_ids) -> dict[int, str]:
        return dict(
            self.panel_kind.owner_model.objects.filter(pk__in=owner_ids).values_list("pk", "name")
        )

    def _panels(self):
        panels = Panel.objects.filter(owner_type=self.owner_type())
        owner_ids = self.open_owner_ids()
        if owner_ids is not None:
            panels = panels.filter(owner_id__in=owner_ids)
        return panels

    def _panel_label(self, panel: Panel, names: dict[int, str]) -> str:
        owner = self.owner_name(panel.owner_id, names)
        return f"{owner}: {panel.name}" if owner else panel.name

    def open_scopes(self) -> list[tuple[str, str]]:
        """Extra scopes for panels not made yet (none by default)."""
        return []

    def scopes(self) -> list[tuple[str, str]]:
        panels = list(self._panels().order_by("owner_id", "name"))
        names = self.owner_names({p.owner_id for p in panels})
        existing = [(f"panel:{p.pk}", self._panel_label(p, names)) for p in panels]
        return sorted(existing + self.open_scopes(), key=lambda choice: choice[1])

    def panel_for_scope(self, *, actor, scope: str) -> Panel:
        """The panel `scope` names (made on the way by consumers with open scopes)."""
        kind, _, key = scope.partition(":")
        if kind != "panel" or not key.isdigit():
            raise services.ScoringError("Choose a panel from the list.")
        panel = self._panels().filter(pk=int(key)).first()
        if panel is None:
            raise services.ScoringError("That panel no longer takes reviewers.")
        return panel

    def holdings(self, user) -> list[Holding]:
        seats = list(
            PanelMember.objects.filter(user=user, panel__owner_type=self.owner_type())
            .select_related("panel", "added_by")
            .order_by("panel__owner_id", "panel__name")
        )
        names = self.owner_names({seat.panel.owner_id for seat in seats})
        return [
            Holding(
                kind=self,
                scope=f"panel:{seat.panel_id}",
                scope_label=(
                    self._panel_label(seat.panel, names)
                    + (" (chair)" if seat.role == PanelRole.CHAIR else "")
                ),
                granted_at=seat.added_at,
                granted_by=seat.added_by.display_name if seat.added_by else "",
            )
            for seat in seats
        ]

    def holder_ids(self):
        return PanelMember.objects.filter(panel__owner_type=self.owner_type()).values("user_id")

    def grant(self, *, actor, user, scope: str, reason: str) -> None:
        panel = self.panel_for_scope(actor=actor, scope=scope)
        if PanelMember.objects.filter(panel=panel, user=user).exists():
            raise services.ScoringError(f"{user.display_name} is already on this panel.")
        services.panel_member_add(
            actor=actor,
            panel=panel,
            user=user,
            organisation=self.panel_kind.default_organisation(user),
        )

    def revoke(self, *, actor, user, scope: str, reason: str) -> bool:
        kind, _, key = scope.partition(":")
        panel = (
            Panel.objects.filter(owner_type=self.owner_type(), pk=int(key)).first()
            if kind == "panel" and key.isdigit()
            else None
        )
        if panel is None or not PanelMember.objects.filter(panel=panel, user=user).exists():
            return False
        services.panel_member_remove(actor=actor, panel=panel, user=user)
        return True

    def link(self, scope: str) -> str:
        return self.panel_kind.url("panel-list")
