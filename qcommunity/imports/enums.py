from django.db import models


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Waiting for confirmation"
    APPLIED = "applied", "Imported"
    DISCARDED = "discarded", "Discarded"


class FileFormat(models.TextChoices):
    JSON = "json", "JSON"
    CSV = "csv", "CSV"
