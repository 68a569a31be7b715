"""Permission predicates for site-wide roles. Apps combine these with their own object rules."""

import rules

from .enums import Role


def _has_role(role: str):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.has_role(role))

    return predicate


is_signed_in = rules.is_authenticated & rules.is_active
is_member = _has_role(Role.MEMBER)
is_exchange_moderator = _has_role(Role.EXCHANGE_MODERATOR)
is_lab_facilitator = _has_role(Role.LAB_FACILITATOR)
is_accreditation_coordinator = _has_role(Role.ACCREDITATION_COORDINATOR)
is_assessor = _has_role(Role.ASSESSOR)
is_panel_member = _has_role(Role.PANEL_MEMBER)
is_editor = _has_role(Role.EDITOR)
is_staff_admin = _has_role(Role.STAFF_ADMIN)

rules.add_perm("accounts.view_audit_log", is_staff_admin)
rules.add_perm("accounts.view_outbox", is_staff_admin)
rules.add_perm("accounts.manage_roles", is_staff_admin)
