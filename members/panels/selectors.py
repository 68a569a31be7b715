"""Reads for the panel workspace (`/panels/`) and staff panel management of joining Q. Each
selector owns its query shape and its scoping: a reviewer reaches only their own assignments on
panels they sit on, a chair only their own panel's applications; anything else is DoesNotExist,
which the views turn into 404. Who may see which scores is decided once, in
`qcommunity.scoring.selectors.subject_reviews_for_viewer`."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from qcommunity.audit.models import AuditEntry
from qcommunity.scoring.enums import ACTIVE_ASSIGNMENT_STATUSES, PanelRole
from qcommunity.scoring.models import Assignment, Criterion, Panel, PanelMember
from qcommunity.scoring.selectors import (
    assignments_for_reviewer,
    memberships_with_counts,
    owner_panel_get,
    owner_panels_with_counts,
)

from ..joining.enums import (
    ApplicationStatus,
)
from ..joining.models import Application, ApplicationAnswer, Round
from ..joining.selectors import (
    attach_applications,
    panel_applications,
)

# The audit action that records "I have no conflict of interest" (see panels.services).
NO_CONFLICT_ACTION = "scoring_assignment.no_conflict"


def _round_type() -> ContentType:
    return ContentType.objects.get_for_model(Round)


def _application_type() -> ContentType:
    return ContentType.objects.get_for_model(Application)


def _attach_rounds(panels) -> None:
    rounds = Round.objects.in_bulk({p.owner_id for p in panels})
    for panel in panels:
        panel.round = rounds.get(panel.owner_id)


def panel_memberships_for_user(user) -> list[PanelMember]:
    """The round panels `user` sits on, newest round first, each with their role, the panel
    (`.panel.round` attached) and their own assignment counts (`n_outstanding`, `n_done`).
    Two queries whatever the number of panels."""
    memberships = memberships_with_counts(user=user, owner_type=_round_type())
    _attach_rounds([m.panel for m in memberships])
    return memberships


def panel_get_for_member(*, user, pk: int) -> tuple[Panel, PanelMember | None]:
    """A round panel `user` sits on (with `.round`), and their membership. Staff admins reach
    every panel (membership None when they are not on it); others get DoesNotExist."""
    panel = Panel.objects.select_related("scheme").get(pk=pk, owner_type=_round_type())
    membership = panel.members.filter(user_id=user.pk).first()
    if membership is None and not user.has_perm("scoring.manage_panels"):
        raise Panel.DoesNotExist
    _attach_rounds([panel])
    return panel, membership


def reviewer_assignments(*, user, panel: Panel) -> list[Assignment]:
    """The reviewer's live assignments on `panel` (to review, submitted), oldest first, each
    with its application attached. Two queries whatever the number."""
    return attach_applications(assignments_for_reviewer(user=user, panel=panel))


def assignment_get_for_reviewer(*, user, pk: int) -> Assignment:
    """One of `user`'s own assignments of an application, on a round panel they still sit on,
    with the panel, scheme, and `.application` attached. Includes assignments they declared a
    conflict on or were taken off (the page says so). DoesNotExist otherwise."""
    assignment = (
        Assignment.objects.select_related("panel", "panel__scheme")
        .filter(
            reviewer_id=user.pk,
            subject_type=_application_type(),
            panel__owner_type=_round_type(),
            panel__members__user_id=user.pk,
        )
        .get(pk=pk)
    )
    assignment.application = (
        Application.objects.select_related("round", "applicant", "course", "nomination_code")
        .prefetch_related(
            Prefetch("answers", queryset=ApplicationAnswer.objects.select_related("criterion"))
        )
        .get(pk=assignment.subject_id)
    )
    return assignment


def scheme_criteria(panel: Panel) -> list[Criterion]:
    return list(panel.scheme.criteria.order_by("position"))


def scheme_scale(panel: Panel) -> list:
    return list(panel.scheme.scale_points.order_by("value"))


def assignment_conflict_confirmed(assignment: Assignment) -> bool:
    """Whether the reviewer has said they have no conflict of interest with the applicant."""
    return AuditEntry.objects.filter(
        action=NO_CONFLICT_ACTION,
        target_type=ContentType.objects.get_for_model(Assignment),
        target_id=str(assignment.pk),
        actor_id=assignment.reviewer_id,
    ).exists()


def application_answers_by_criterion(application: Application) -> dict[int, ApplicationAnswer]:
    return {answer.criterion_id: answer for answer in application.answers.all()}


def chair_applications(panel: Panel) -> list[Application]:
    """The applications the panel decides on, in order of submission, for the chair's table."""
    return list(panel_applications(panel).only("pk", "reference", "status", "submitted_at"))


def chair_application_get(*, panel: Panel, pk: int) -> Application:
    """An application the panel decides on, with its answers; DoesNotExist otherwise (an
    application of another region or round, or one not sent to review)."""
    return (
        panel_applications(panel)
        .select_related("round", "applicant", "course", "nomination_code", "decided_by")
        .prefetch_related(
            Prefetch("answers", queryset=ApplicationAnswer.objects.select_related("criterion"))
        )
        .get(pk=pk)
    )


# Staff -------------------------------------------------------------------------------------------


def round_panels(round_: Round):
    """The round's panels, one a region."""
    return Panel.objects.filter(owner_type=_round_type(), owner_id=round_.pk)


def round_panels_for_staff(round_: Round) -> list[Panel]:
    """A round's panels with member, chair and assignment counts, in one query."""
    return owner_panels_with_counts(round_)


def panel_get_for_staff(*, round_: Round, pk: int) -> Panel:
    return owner_panel_get(owner=round_, pk=pk)


def panel_members_with_two_factor(panel: Panel) -> list[PanelMember]:
    """The panel's members with `.has_two_factor` (a TOTP authenticator set up). Two queries."""
    from allauth.mfa.models import Authenticator

    members = list(panel.members.select_related("user").order_by("role", "user__full_name", "id"))
    with_totp = set(
        Authenticator.objects.filter(
            user_id__in=[m.user_id for m in members], type=Authenticator.Type.TOTP
        ).values_list("user_id", flat=True)
    )
    for member in members:
        member.has_two_factor = member.user_id in with_totp
    return members


def panel_assignments_for_staff(panel: Panel) -> list[Assignment]:
    """Every assignment on the panel with its reviewer and application, live ones first."""
    assignments = list(
        panel.assignments.select_related("reviewer").order_by("subject_id", "created_at", "id")
    )
    return attach_applications(assignments)


def assignment_get_for_staff(*, panel: Panel, pk: int) -> Assignment:
    assignment = panel.assignments.select_related("reviewer", "panel").get(
        pk=pk, subject_type=_application_type()
    )
    attach_applications([assignment])
    return assignment


def panel_reviewers(panel: Panel) -> QuerySet[PanelMember]:
    return (
        panel.members.filter(role=PanelRole.REVIEWER)
        .select_related("user")
        .order_by("user__full_name", "id")
    )


def panel_applications_short_of_reviews(panel: Panel) -> int:
    """How many of the panel's applications in review have fewer live assignments (to review
    or submitted) than the panel needs: what "give out missing reviews" would try to fill. One
    query."""
    live = (
        Assignment.objects.filter(
            panel=panel,
            subject_type=_application_type(),
            subject_id=OuterRef("pk"),
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
        )
        .order_by()
        .values("subject_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Application.objects.filter(
            round_id=panel.owner_id, region=panel.region, status=ApplicationStatus.IN_REVIEW
        )
        .annotate(live=Coalesce(Subquery(live), 0))
        .filter(live__lt=panel.reviews_needed)
        .count()
    )


def round_submitted_count(round_: Round) -> int:
    return round_.applications.filter(status=ApplicationStatus.SUBMITTED).count()


# The home page ---------------------------------------------------------------------------------


def chair_decisions_waiting(panels: list[Panel]) -> list[tuple[Panel, int]]:
    """For each of these panels (each a round's regional panel), how many applications of its
    round and region are in review, waiting for the chair's decision; panels with none left
    out. One query for all the panels."""
    if not panels:
        return []
    where = Q(pk__in=[])
    for panel in panels:
        where |= Q(round_id=panel.owner_id, region=panel.region)
    counts = {
        (row["round_id"], row["region"]): row["n"]
        for row in Application.objects.filter(where, status=ApplicationStatus.IN_REVIEW)
        .order_by()
        .values("round_id", "region")
        .annotate(n=Count("pk"))
    }
    waiting = [(p, counts.get((p.owner_id, p.region), 0)) for p in panels]
    return [(p, n) for p, n in waiting if n]
