"""The members app's admin pages, registered by its features."""

from .directory import admin  # noqa: F401
