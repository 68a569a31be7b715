"""The accreditation app's permissions, gathered from its features (each registers its own)."""

from .standards import rules as standards_rules  # noqa: F401
