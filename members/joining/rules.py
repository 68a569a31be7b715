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


@rules.predicate
def manages_round(user, obj) -> bool:
    """The user manages the round `obj` (or the round of the application `obj`)."""
    if obj is None or not (user and user.is_authenticated and user.is_active):
        return False
    from .models import RoundManager

    round_id = getattr(obj, "round_id", None) or obj.pk
    return RoundManager.objects.filter(user_id=user.pk, round_id=round_id).exists()


@rules.predicate
def manages_a_round(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    from .models import RoundManager

    return RoundManager.objects.filter(user_id=user.pk).exists()


rules.add_perm("members.apply_to_join", is_signed_in)
rules.add_perm("members.change_own_application", is_signed_in & is_applicant)
# On a round (or one of its applications): staff administrators, and its round managers.
# Without an object (creating a round): staff administrators only.
rules.add_perm("members.manage_rounds", is_staff_admin | manages_round)
rules.add_perm("members.create_rounds", is_staff_admin)
rules.add_perm("members.view_rounds", is_staff_admin | manages_a_round)
rules.add_perm("members.decide_application", chairs_application_panel | is_staff_admin)
