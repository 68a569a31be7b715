"""Demo data for the Quality Mark (`seed_demo`): the standard, and ten provider organisations."""

from .providers import seed_providers
from .standards import seed_standards

__all__ = ["seed_providers", "seed_standards"]
