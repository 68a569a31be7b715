"""Writes for the panel workspace and staff panel management of joining Q, on top of
`members.services_joining` and the scoring kit (whose rules they do not change): inviting a
person to a panel by email, and a reviewer saying they have no conflict of interest."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import require_perm
from qcommunity.core.formatting import uk_datetime
from qcommunity.outbox.services import email_queue_template
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment, Panel, PanelMember
from qcommunity.scoring.services import ScoringError

from .models_joining import Round
from .selectors_panels import NO_CONFLICT_ACTION, assignment_conflict_confirmed
from .services_joining import JoiningError, round_panel_member_add


@transaction.atomic
def panel_member_invite(
    *, actor, panel: Panel, email: str, role: str = PanelRole.REVIEWER, organisation: str = ""
) -> PanelMember:
    """Put the person with the account `email` on a round's panel as reviewer or chair and
    email them (through the outbox) that they have been added and, unless they already have
    it, that they must set up two-factor authentication. Rules: the person must already have
    an active account (a clear message otherwise); staff only (checked by the kit). An empty
    `organisation` falls back to their directory entry's. Audited by the kit
    (`scoring_panel.member_add`, `role.grant`)."""
    require_perm(actor, "scoring.manage_panels", error=JoiningError)
    email = (email or "").strip()
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise JoiningError(
            "No one has an account with that email address. Ask them to create an account "
            "first, then add them.",
            {"email": "Enter the email address of someone with an account"},
        )
    already = panel.members.filter(user=user).first()
    try:
        member = round_panel_member_add(
            actor=actor,
            panel=panel,
            user=user,
            role=role,
            organisation=organisation.strip() or None,
        )
    except ScoringError as error:
        raise JoiningError(str(error), error.errors) from error
    if already is None:
        round_ = Round.objects.get(pk=panel.owner_id)
        email_queue_template(
            to=user.email,
            kind="panel_invitation",
            related=panel,
            context={
                "name": user.display_name,
                "panel_name": panel.name,
                "round_name": round_.name,
                "role": "its chair" if member.role == PanelRole.CHAIR else "a reviewer",
                "review_deadline": uk_datetime(round_.review_deadline),
                "panels_url": f"{settings.SITE_URL}{reverse('panels:panel-list')}",
                "has_two_factor": is_mfa_enabled(user),
            },
        )
    return member


@transaction.atomic
def application_assignment_confirm_no_conflict(*, actor, assignment: Assignment) -> None:
    """The reviewer says they have no conflict of interest with the applicant, which opens the
    application for scoring. Only the reviewer, only while the review is to do. Recorded once
    as an audit row (`scoring_assignment.no_conflict`); saying it again changes nothing."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if actor is None or assignment.reviewer_id != actor.pk:
        raise JoiningError("Only the reviewer it was given to can do that.")
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise JoiningError("This review is no longer yours to start.")
    if not assignment_conflict_confirmed(assignment):
        audit_record(
            actor=actor,
            action=NO_CONFLICT_ACTION,
            target=assignment,
            data={"subject": assignment.subject_id},
        )
