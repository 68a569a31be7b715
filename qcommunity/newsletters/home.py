"""Newsletters on the home page (`qcommunity.core.home`), declared in each feature's home.py."""

from .showcase import home as showcase_home  # noqa: F401
