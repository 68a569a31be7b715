from django.db import models


class OrganisationKind(models.TextChoices):
    CHARITY = "charity", "Charity"
    NHS_BODY = "nhs_body", "NHS body"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
    COMPANY = "company", "Company"
    LOCAL_AUTHORITY = "local_authority", "Local authority"


class ProgrammeFormat(models.TextChoices):
    GROUP = "group", "Group"
    ONLINE = "online", "Online"
    ONE_TO_ONE = "one_to_one", "One to one"


class StaffRole(models.TextChoices):
    ADMIN = "admin", "Admin"
    CONTRIBUTOR = "contributor", "Contributor"
