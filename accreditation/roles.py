"""The roles the Quality Mark gives meaning to (`qcommunity.accounts.roles`): coordinators,
assessors, and provider staff for one organisation."""

from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.accounts.roles import Holding, RoleKind, SiteRole, register

from .providers.enums import StaffRole
from .providers.models import Organisation, ProviderStaff
from .providers.services import ProviderError, provider_staff_add, provider_staff_remove

register(
    SiteRole(
        key=Role.ACCREDITATION_COORDINATOR,
        label="Accreditation coordinator",
        description=(
            "Runs Quality Mark accreditation: organisations' applications, assessors and "
            "decisions. Sees organisations' evidence, so two-factor authentication is required."
        ),
        order=70,
        staff_level=True,
    )
)
register(
    SiteRole(
        key=Role.ASSESSOR,
        label="Assessor",
        description=(
            "Assesses organisations applying for the Quality Mark. Sees their evidence, so "
            "two-factor authentication is required."
        ),
        order=80,
    )
)


class ProviderStaffRole(RoleKind):
    """Working for one provider organisation, as its admin or a contributor. The scope is
    "organisation:<id>:<admin|contributor>". Staff administrators give it on the staff people
    pages; an organisation's own admins give it for their organisation only, by inviting
    people from its staff page (`may_give`)."""

    scope_label = "Organisation"

    def _parse(self, scope: str) -> tuple[Organisation | None, str]:
        kind, _, rest = scope.partition(":")
        key, _, role = rest.partition(":")
        if kind != "organisation" or not key.isdigit() or role not in StaffRole.values:
            return None, ""
        return Organisation.objects.filter(pk=int(key)).first(), role

    @staticmethod
    def scope_for(organisation: Organisation, role: str) -> str:
        return f"organisation:{organisation.pk}:{role}"

    @staticmethod
    def _label(name: str, role: str) -> str:
        return f"{name} ({StaffRole(role).label.lower()})"

    def scopes(self) -> list[tuple[str, str]]:
        return [
            (f"organisation:{pk}:{role}", self._label(name, role))
            for pk, name in Organisation.objects.order_by("name", "pk").values_list("pk", "name")
            for role in (StaffRole.ADMIN, StaffRole.CONTRIBUTOR)
        ]

    def scope_name(self, scope: str) -> str:
        organisation, role = self._parse(scope)
        return self._label(organisation.name, role) if organisation else ""

    def may_give(self, actor, scope: str) -> bool:
        if super().may_give(actor, scope):
            return True
        organisation, _ = self._parse(scope)
        return organisation is not None and bool(
            actor and actor.has_perm("accreditation.manage_provider_staff", organisation)
        )

    def holdings(self, user) -> list[Holding]:
        return [
            Holding(
                kind=self,
                scope=f"organisation:{row.organisation_id}:{row.role}",
                scope_label=self._label(row.organisation.name, row.role),
                granted_at=row.added_at,
                granted_by=row.added_by.display_name if row.added_by else "",
            )
            for row in ProviderStaff.objects.filter(user=user)
            .select_related("organisation", "added_by")
            .order_by("organisation__name")
        ]

    def holder_ids(self):
        return ProviderStaff.objects.values("user_id")

    def grant(self, *, actor, user, scope: str, reason: str) -> None:
        organisation, role = self._parse(scope)
        if organisation is None:
            raise ProviderError("Choose an organisation from the list.", {"scope": "Choose one"})
        provider_staff_add(actor=actor, organisation=organisation, user=user, role=role)

    def revoke(self, *, actor, user, scope: str, reason: str) -> bool:
        organisation, _ = self._parse(scope)
        if organisation is None:
            return False
        return provider_staff_remove(actor=actor, organisation=organisation, user=user)

    def link(self, scope: str) -> str:
        organisation, _ = self._parse(scope)
        if organisation is None:
            return reverse("accreditation:landing")
        return reverse("accreditation:organisation-detail", args=[organisation.slug])


PROVIDER_STAFF = ProviderStaffRole(
    key="provider_staff",
    label="Provider staff",
    description=(
        "Works on one provider organisation's pages for the Quality Mark: as an admin, its "
        "details, programmes and staff (two-factor authentication is required); as a "
        "contributor, its programmes."
    ),
    order=85,
)
register(PROVIDER_STAFF)
