from django.db import models


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Scope(models.TextChoices):
    """What a criterion is about: the provider as an organisation, a programme it runs, the
    people who deliver its programmes, or the people who train those deliverers."""

    PROVIDER = "provider", "Provider"
    PROGRAMME = "programme", "Programme"
    DELIVERERS = "deliverers", "Deliverers"
    TRAINERS = "trainers", "Trainers of deliverers"


class DraftSource(models.TextChoices):
    """Where a new draft's content comes from."""

    EMPTY = "empty", "Start from an empty version"
    CURRENT = "current", "Copy the current published version"
