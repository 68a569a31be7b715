"""Permission predicates for joining Q. Which application a person may reach is scoped by
`members.joining.selectors` (404 otherwise); these say who may take each move in the tables
of `members.joining.enums`."""

import rules
from django.contrib.contenttypes.models import ContentType

from qcommunity.accounts.rules import is_signed_in, is_staff_admin
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.models import PanelMember


@rules.predicate
def is_applicant(user, application) -> bool:
    return bool(
        application is not None
        and user
        and user.is_authenticated
        and application.applicant_id == user.pk
    )


@rules.predicate
def chairs_application_panel(user, application) -> bool:
    """The user chairs the panel of the application's round and region."""
    if application is None or not (user and user.is_authenticated and user.is_active):
        return False
    from .models import Round

    return PanelMember.objects.filter(
        user_id=user.pk,
        role=PanelRole.CHAIR,
        panel__owner_type=ContentType.objects.get_for_model(Round),
        panel__owner_id=application.round_id,
        panel__region=application.region,
    ).exists()


rules.add_perm("members.apply_to_join", is_signed_in)
rules.add_perm("members.change_own_application", is_signed_in & is_applicant)
rules.add_perm("members.manage_rounds", is_staff_admin)
rules.add_perm("members.decide_application", chairs_application_panel | is_staff_admin)
