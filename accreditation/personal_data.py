"""What the Quality Mark holds about a person (`qcommunity.privacy.registry`): the provider
organisations they work for, and the organisations they registered or verified. Deleting the
account takes them off every organisation's staff; the organisations stay (they belong to the
providers, not to one person), with "Former member" where the person registered or verified
one."""

from qcommunity.privacy.registry import PersonalData, register

from .providers.models import Organisation, ProviderStaff
from .providers.services import provider_staff_erase


def provider_staff_export(user) -> list[dict]:
    """One record per organisation the person works for, then one per organisation they
    registered (whether or not they still work for it)."""
    staff = [
        {
            "organisation": row.organisation.name,
            "role": row.get_role_display(),
            "since": row.added_at,
        }
        for row in ProviderStaff.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    ]
    registered = [
        {"organisation": name, "you_registered_it_on": created_at}
        for name, created_at in Organisation.objects.filter(created_by=user)
        .order_by("name")
        .values_list("name", "created_at")
    ]
    return staff + registered


register(
    PersonalData(
        key="accreditation.provider_staff",
        label="The provider organisations you work for on the Quality Mark, and your role in each",
        on_delete="You are taken off each organisation's staff. The organisations and their "
        'programmes stay; where you registered or verified one, it shows "Former member".',
        export=provider_staff_export,
        erase=provider_staff_erase,
        order=62,
    )
)
