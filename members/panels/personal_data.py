"""What the joining panels hold about a person (qcommunity.privacy.registry): their work on
panels; the choices made on deletion are explained in `members.directory.personal_data`."""

from django.contrib.contenttypes.models import ContentType

from qcommunity.privacy.registry import PersonalData, register
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.models import PanelMember
from qcommunity.scoring.selectors import reviewer_assignment_record, reviewer_assignments
from qcommunity.scoring.services import assignments_withdraw_for_reviewer

from ..joining.enums import ApplicationStatus, RoundStatus
from ..joining.models import Application, Round

APPLICATION_STATUS = dict(ApplicationStatus.choices)
PANEL_ROLE = dict(PanelRole.choices)


# Panel work ------------------------------------------------------------------------------------


def _round_type() -> ContentType:
    return ContentType.objects.get_for_model(Round)


def _round_names(round_ids) -> dict[int, str]:
    return dict(Round.objects.filter(pk__in=set(round_ids)).values_list("pk", "name"))


def panel_memberships_export(user) -> list[dict]:
    memberships = list(
        PanelMember.objects.filter(user_id=user.pk, panel__owner_type=_round_type())
        .select_related("panel")
        .order_by("added_at", "id")
    )
    rounds = _round_names(m.panel.owner_id for m in memberships)
    return [
        {
            "round": rounds.get(m.panel.owner_id, ""),
            "panel": m.panel.name,
            "role": PANEL_ROLE.get(m.role, m.role),
            "organisation": m.organisation,
            "added_at": m.added_at,
        }
        for m in memberships
    ]


def panel_memberships_erase(user) -> None:
    """Take the person off panels of rounds whose decisions are not yet released; on panels
    of released rounds keep the place (who decided) but not the organisation."""
    unfinished_rounds = Round.objects.exclude(status=RoundStatus.RELEASED).values("pk")
    mine = PanelMember.objects.filter(user_id=user.pk, panel__owner_type=_round_type())
    mine.filter(panel__owner_id__in=unfinished_rounds).delete()
    mine.exclude(organisation="").update(organisation="")


def panel_reviews_export(user) -> list[dict]:
    assignments = reviewer_assignments(
        user=user,
        owner_type=_round_type(),
        subject_type=ContentType.objects.get_for_model(Application),
    )
    rounds = _round_names(a.panel.owner_id for a in assignments)
    references = dict(
        Application.objects.filter(pk__in={a.subject_id for a in assignments}).values_list(
            "pk", "reference"
        )
    )
    return [
        {
            "round": rounds.get(a.panel.owner_id, ""),
            "panel": a.panel.name,
            "application": references.get(a.subject_id) or "",
            **reviewer_assignment_record(a),
        }
        for a in assignments
    ]


def panel_reviews_erase(user) -> None:
    """Withdraw the reviews still to do, so staff can give them to another reviewer (each
    withdrawal audited, by the system). Submitted reviews and declared conflicts stay."""
    assignments_withdraw_for_reviewer(user=user, owner_type=_round_type())


def panel_decisions_export(user) -> list[dict]:
    """Decisions the person recorded as a panel chair: the application's reference only, never
    the applicant's name."""
    decided = (
        Application.objects.filter(decided_by_id=user.pk)
        .select_related("round")
        .order_by("decided_at", "id")
    )
    return [
        {
            "round": a.round.name,
            "application": a.reference or "",
            "decision": APPLICATION_STATUS.get(a.status, a.status),
            "recorded_at": a.decided_at,
            "rationale_for_the_panel": a.decision_rationale,
            "feedback_for_the_applicant": a.feedback,
            "released_at": a.released_at,
        }
        for a in decided
    ]


register(
    PersonalData(
        key="members.panel_memberships",
        label="Panels you sit on to review applications to join Q",
        on_delete="You are taken off panels whose decisions have not been released yet. On "
        'other panels your place stays, shown as "Former member", without your organisation.',
        export=panel_memberships_export,
        erase=panel_memberships_erase,
        order=34,
    )
)
register(
    PersonalData(
        key="members.panel_reviews",
        label="Reviews you wrote of applications to join Q, with your scores, comments and "
        "any conflicts of interest you declared",
        on_delete="Reviews you submitted and conflicts you declared stay, so decisions stay "
        'fair, shown as by "Former member". Reviews you had not finished are given back to '
        "the panel for someone else to do.",
        export=panel_reviews_export,
        erase=panel_reviews_erase,
        order=36,
    )
)
register(
    PersonalData(
        key="members.panel_decisions",
        label="Decisions you recorded as a panel chair on applications to join Q",
        on_delete='They stay as the record of each decision, shown as recorded by "Former member".',
        export=panel_decisions_export,
        order=38,
    )
)
