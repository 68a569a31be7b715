"""Writes for joining Q's panels, on top of the scoring kit (whose rules they do not change):
a round's panels and who sits on them, giving applications to reviewers and taking them back
(never to someone from the applicant's organisation), starting review, inviting a person to a
panel by email, and a reviewer saying they have no conflict of interest."""

import re
from collections.abc import Callable, Collection, Sequence

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import require_perm
from qcommunity.core.formatting import uk_datetime
from qcommunity.core.taxonomy import Region
from qcommunity.notifications.services import notify
from qcommunity.outbox.services import email_queue_template
from qcommunity.scoring import services as scoring
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment, Panel, PanelMember
from qcommunity.scoring.services import Distribution, ScoringError

from ..joining.enums import ApplicationStatus
from ..joining.models import Application, Round
from ..joining.services import JoiningError, application_transition, round_transition
from .notifications import PANEL_ASSIGNMENT
from .selectors import NO_CONFLICT_ACTION, assignment_conflict_confirmed, round_panels

# Panels of a round -----------------------------------------------------------------------------


@transaction.atomic
def round_panel_create(*, actor, round_: Round, region: str, name: str = "") -> Panel:
    """The panel that reviews the round's applications from `region`."""
    if region not in round_.regions:
        raise JoiningError(
            "This round is not open to that region.", {"region": "Choose a region of this round"}
        )
    label = dict(Region.choices)[region]
    try:
        return scoring.panel_create(
            actor=actor,
            scheme=round_.scheme,
            owner=round_,
            name=name or f"{label} panel",
            region=region,
            reviews_needed=round_.reviews_needed,
        )
    except scoring.ScoringError as error:
        raise JoiningError(str(error), error.errors) from error


@transaction.atomic
def round_panel_member_add(
    *, actor, panel: Panel, user, role: str = PanelRole.REVIEWER, organisation: str | None = None
) -> PanelMember:
    """Put someone on a round's panel. Their organisation (for excluding applications from it)
    defaults to the one on their directory entry."""
    if organisation is None:
        profile = getattr(user, "profile", None)
        organisation = profile.organisation if profile is not None else ""
    return scoring.panel_member_add(
        actor=actor, panel=panel, user=user, role=role, organisation=organisation
    )


def organisation_key(name: str | None) -> str:
    """Organisation names compared case-insensitively, trimmed, inner spaces collapsed."""
    return re.sub(r"\s+", " ", (name or "").strip()).casefold()


def membership_exclusion(
    panel: Panel, application_ids: Collection[int]
) -> Callable[[int, int], bool]:
    """Pairs never assigned: a reviewer and an application from the same organisation (declared
    conflicts are kept out by the kit itself). Two queries, however many pairs are asked."""
    reviewer_orgs = {}
    for member in panel.members.select_related("user__profile"):
        org = member.organisation
        if not org:
            profile = getattr(member.user, "profile", None)
            org = profile.organisation if profile is not None else ""
        reviewer_orgs[member.user_id] = organisation_key(org)
    application_orgs = {
        pk: organisation_key(org)
        for pk, org in Application.objects.filter(pk__in=application_ids).values_list(
            "pk", "organisation"
        )
    }

    def excluded(reviewer_id: int, application_id: int) -> bool:
        mine = reviewer_orgs.get(reviewer_id, "")
        return bool(mine) and mine == application_orgs.get(application_id)

    return excluded


@transaction.atomic
def application_assignments_distribute(
    *, actor, panel: Panel, applications: Sequence[Application] | None = None, rng=None
) -> Distribution:
    """Give the panel's applications (default: the round's applications in review from the
    panel's region) to its reviewers evenly, never to a reviewer from the applicant's
    organisation or one who declared a conflict. Each reviewer who got new applications is
    told once, with how many, as they chose for PANEL_ASSIGNMENT (sent only if this commits)."""
    if applications is None:
        applications = list(
            Application.objects.filter(
                round_id=panel.owner_id, region=panel.region, status=ApplicationStatus.IN_REVIEW
            ).order_by("submitted_at", "id")
        )
    exclusion = membership_exclusion(panel, [a.pk for a in applications])
    result = scoring.assignments_distribute(
        actor=actor, panel=panel, subjects=applications, excluded=exclusion, rng=rng
    )
    url = reverse("panels:panel-detail", kwargs={"pk": panel.pk})
    round_ = None
    for reviewer, count in scoring.reviewers_given(result.created):
        round_ = round_ or Round.objects.get(pk=panel.owner_id)
        notify(
            user=reviewer,
            kind=PANEL_ASSIGNMENT,
            subject=ngettext(
                "%(num)d application to join Q given to you to review",
                "%(num)d applications to join Q given to you to review",
                count,
            )
            % {"num": count},
            template="panels/notifications/review_assignment.txt",
            context={"count": count, "panel": panel, "round": round_},
            related=panel,
            url=url,
        )
    return result


def _notify_review_handed_over(new: Assignment | None) -> None:
    """The reviewer who takes over someone else's review (staff reassigned it, or the reviewer
    declared a conflict) is told, naming the application by its reference only."""
    if new is None:
        return
    notify(
        user=new.reviewer,
        kind=PANEL_ASSIGNMENT,
        subject="An application to join Q given to you to review",
        template="panels/notifications/review_handed_over.txt",
        context={"application": Application.objects.get(pk=new.subject_id), "panel": new.panel},
        related=new,
        url=reverse("panels:assignment-detail", kwargs={"pk": new.pk}),
    )


@transaction.atomic
def application_assignment_declare_conflict(
    *, actor, assignment: Assignment, reason: str
) -> Assignment | None:
    """The reviewer declares a conflict; the application goes to the least-loaded other
    eligible reviewer (never one from the applicant's organisation), who is told."""
    exclusion = membership_exclusion(assignment.panel, [assignment.subject_id])
    try:
        new = scoring.assignment_declare_conflict(
            actor=actor, assignment=assignment, reason=reason, excluded=exclusion
        )
    except scoring.ScoringError as error:
        raise JoiningError(str(error), error.errors) from error
    _notify_review_handed_over(new)
    return new


@transaction.atomic
def application_assignment_reassign(*, actor, assignment: Assignment, to_user) -> Assignment:
    """Staff give an unfinished review to another reviewer of the panel (not one from the
    applicant's organisation, not one who declared a conflict), who is told."""
    exclusion = membership_exclusion(assignment.panel, [assignment.subject_id])
    try:
        new = scoring.assignment_reassign(
            actor=actor, assignment=assignment, to_user=to_user, excluded=exclusion
        )
    except scoring.ScoringError as error:
        raise JoiningError(str(error), error.errors) from error
    _notify_review_handed_over(new)
    return new


@transaction.atomic
def round_start_review(*, actor, round_: Round) -> dict[str, Distribution]:
    """After closing: every submitted application goes to review and to its region's panel.
    Refused when a region with applications has no panel. Returns each region's distribution."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    panels = {p.region: p for p in round_panels(round_)}
    submitted = list(
        Application.objects.filter(round=round_, status=ApplicationStatus.SUBMITTED).order_by(
            "submitted_at", "id"
        )
    )
    missing = sorted({a.region for a in submitted} - set(panels))
    if missing:
        labels = ", ".join(dict(Region.choices)[r] for r in missing)
        raise JoiningError(f"Set up a panel for {labels} first.")
    round_transition(actor=actor, round_=round_, action="start_review")
    for application in submitted:
        application_transition(actor=actor, application=application, action="start_review")
    return {
        region: application_assignments_distribute(
            actor=actor, panel=panel, applications=[a for a in submitted if a.region == region]
        )
        for region, panel in panels.items()
    }


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
