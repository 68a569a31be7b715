"""Who may do what with a provider organisation. Its staff see only their own organisations;
coordinators and staff administrators see all of them (anyone else gets 404 from the pages).

- its pages: the organisation's staff, coordinators, staff administrators;
- its details: its admins; its programmes: its admins and contributors;
- its staff (inviting, removing): its admins and staff administrators (who also give the role on
  the staff people pages);
- verifying new organisations: coordinators and staff administrators."""

import rules

from qcommunity.accounts.rules import is_accreditation_coordinator, is_signed_in, is_staff_admin

from .enums import StaffRole
from .models import ProviderStaff


def _staff_role(user, organisation) -> str | None:
    """The user's role for the organisation, read once per request and organisation."""
    if not (user and user.is_authenticated and user.is_active) or organisation is None:
        return None
    cache = user.__dict__.setdefault("_provider_roles", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            ProviderStaff.objects.filter(organisation_id=organisation.pk, user_id=user.pk)
            .values_list("role", flat=True)
            .first()
        )
    return cache[organisation.pk]


@rules.predicate
def works_for(user, organisation) -> bool:
    return _staff_role(user, organisation) is not None


@rules.predicate
def administers(user, organisation) -> bool:
    return _staff_role(user, organisation) == StaffRole.ADMIN


oversees = is_accreditation_coordinator | is_staff_admin

rules.add_perm("accreditation.register_organisation", is_signed_in)
rules.add_perm("accreditation.view_organisation", works_for | oversees)
rules.add_perm("accreditation.change_organisation", administers)
rules.add_perm("accreditation.change_programmes", works_for)
rules.add_perm("accreditation.manage_provider_staff", administers | is_staff_admin)
rules.add_perm("accreditation.verify_organisations", oversees)
