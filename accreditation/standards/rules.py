"""Who may keep the Quality Mark standards: accreditation coordinators and staff admins."""

import rules

from qcommunity.accounts.rules import is_accreditation_coordinator, is_staff_admin

can_manage_standards = is_accreditation_coordinator | is_staff_admin

rules.add_perm("accreditation.manage_standards", can_manage_standards)
