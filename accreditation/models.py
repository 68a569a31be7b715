"""The Quality Mark's models, gathered from its features so Django finds them (app label
"accreditation")."""

from .providers.models import Organisation, Programme, ProviderStaff
from .standards.models import Criterion, Domain, Level, Standard, StandardVersion

__all__ = [
    "Criterion",
    "Domain",
    "Level",
    "Organisation",
    "Programme",
    "ProviderStaff",
    "Standard",
    "StandardVersion",
]
