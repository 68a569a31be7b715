"""Choices for people and membership. The shared vocabularies (nations, regions, role and
organisation types) are site-wide, in `qcommunity.core.taxonomy`; topics, approaches and offers
are taxonomies staff edit (models)."""

from django.db import models


class Visibility(models.TextChoices):
    """Who can see a directory entry. Hidden is the default until the member publishes."""

    HIDDEN = "hidden", "Hidden: only you and Q staff can see it"
    MEMBERS = "members", "Q members only"
    PUBLIC = "public", "Everyone, including people who are not signed in"
