"""Demo data for the Quality Mark (`seed_demo`)."""

from .standards import seed_standards

__all__ = ["seed_standards"]
