"""The accreditation app's models, gathered from its feature packages."""

from .standards.models import Criterion, Domain, Level, Standard, StandardVersion

__all__ = ["Criterion", "Domain", "Level", "Standard", "StandardVersion"]
