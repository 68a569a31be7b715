"""Provider organisations for tests, written through the services."""

from accreditation.providers import services
from accreditation.providers.enums import OrganisationKind
from qcommunity.core.taxonomy import Region


def make_organisation(admin, name="Living Well Together", **kwargs):
    return services.organisation_register(
        actor=admin,
        name=name,
        kind=kwargs.pop("kind", OrganisationKind.CHARITY),
        regions=kwargs.pop("regions", [Region.WESSEX]),
        website=kwargs.pop("website", ""),
    )


def programme_fields(**overrides) -> dict:
    return {
        "name": "Taking Charge of Diabetes",
        "conditions": "Type 2 diabetes",
        "formats": ["group", "online"],
        "licensed": False,
        "licence_name": "",
        "deliverers": 12,
        "trainers": 2,
        **overrides,
    }
