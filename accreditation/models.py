"""The Quality Mark's models, gathered from its features so Django finds them (app label
"accreditation")."""

from .providers.models import Organisation, Programme, ProviderStaff  # noqa: F401
