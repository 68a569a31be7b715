"""The roles the Quality Mark gives meaning to (`qcommunity.accounts.roles`)."""

from qcommunity.accounts.enums import Role
from qcommunity.accounts.roles import SiteRole, register

register(
    SiteRole(
        key=Role.ACCREDITATION_COORDINATOR,
        label="Accreditation coordinator",
        description=(
            "Runs Quality Mark accreditation: organisations' applications, assessors and "
            "decisions. Sees organisations' evidence, so two-factor authentication is required."
        ),
        order=70,
        staff_level=True,
    )
)
register(
    SiteRole(
        key=Role.ASSESSOR,
        label="Assessor",
        description=(
            "Assesses organisations applying for the Quality Mark. Sees their evidence, so "
            "two-factor authentication is required."
        ),
        order=80,
    )
)
