from django.db import models


class Role(models.TextChoices):
    """Site-wide roles. Scoped roles (panel member for a region and round, provider staff for an
    organisation) are granted by the apps that own the scope."""

    MEMBER = "member", "Member"
    EXCHANGE_MODERATOR = "exchange_moderator", "Exchange moderator"
    LAB_FACILITATOR = "lab_facilitator", "Lab facilitator"
    ACCREDITATION_COORDINATOR = "accreditation_coordinator", "Accreditation coordinator"
    ASSESSOR = "assessor", "Assessor"
    # Held while the person sits on any scoring panel (chairs too); granted and removed by
    # `qcommunity.scoring.services`. It is here so two-factor authentication is enforced.
    PANEL_MEMBER = "panel_member", "Panel member"
    EDITOR = "editor", "Editor"
    # Held while the person manages any round of joining Q; given and taken away with the round
    # (`members.joining.roles`). It is here so two-factor authentication is enforced.
    ROUND_MANAGER = "round_manager", "Round manager"
    # Held while the person administers any provider organisation; given and taken away with
    # the organisation's staff rows (`accreditation.providers`), so two-factor is enforced.
    PROVIDER_ADMIN = "provider_admin", "Provider admin"
    STAFF_ADMIN = "staff_admin", "Staff admin"


# Roles that see other people's personal data must use two-factor authentication.
TWO_FACTOR_ROLES = frozenset(
    {
        Role.EXCHANGE_MODERATOR,
        Role.ACCREDITATION_COORDINATOR,
        Role.ASSESSOR,
        Role.PANEL_MEMBER,
        Role.EDITOR,
        Role.ROUND_MANAGER,
        Role.PROVIDER_ADMIN,
        Role.STAFF_ADMIN,
    }
)
