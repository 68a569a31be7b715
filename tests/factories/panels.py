"""Builders for panel review: a closed round whose applications are with a regional panel,
through the real services."""

from dataclasses import dataclass, field

from allauth.mfa.totp.internal.auth import TOTP

from members.joining.models import Application, Round
from members.joining.services import (
    application_submit,
    application_transition,
    round_close,
    round_transition,
)
from members.panels.services import (
    application_assignments_distribute,
    round_panel_create,
    round_panel_member_add,
    round_start_review,
)
from qcommunity.accounts.enums import Role
from qcommunity.core.taxonomy import Region
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.models import Assignment, Panel
from qcommunity.scoring.services import ScoreInput, review_submit
from tests.conftest import TOTP_SECRET
from tests.factories.accounts import UserFactory
from tests.factories.joining import complete_draft, make_round


def two_factor_user(**kwargs):
    """A user with a TOTP authenticator, so the two-factor middleware lets them through."""
    user = UserFactory(**kwargs)
    TOTP.activate(user, TOTP_SECRET)
    return user


def staff_user():
    return two_factor_user(roles=[Role.STAFF_ADMIN])


@dataclass
class PanelSetup:
    round: Round
    panel: Panel
    chair: object
    reviewers: list
    applications: list[Application] = field(default_factory=list)
    held_back: list[Application] = field(default_factory=list)

    def assignments_of(self, reviewer) -> list[Assignment]:
        return list(self.panel.assignments.filter(reviewer=reviewer).order_by("id"))


def submitted_application(round_, region=Region.WESSEX, **facts) -> Application:
    applicant = UserFactory()
    application = complete_draft(applicant, round_, region=region, **facts)
    return application_submit(actor=applicant, application=application)


def panel_in_review(
    staff,
    *,
    applications: int = 1,
    reviewers: int = 2,
    regions=(Region.WESSEX,),
    region=Region.WESSEX,
    round_=None,
    name="Regional wave 3",
    held_back: int = 0,
) -> PanelSetup:
    """A round (closed) whose `applications` from `region` are in review with its panel of
    `reviewers` reviewers (two-factor set up) and a chair; assignments given out. `held_back`
    more applications stay submitted (not yet in review) in `PanelSetup.held_back`, for
    `send_to_review` to add later (query-count tests)."""
    round_ = round_ or make_round(staff, regions=regions, name=name)
    submitted = [
        submitted_application(round_, region=region, organisation=f"Trust {i}")
        for i in range(applications + held_back)
    ]
    submitted, waiting = submitted[:applications], submitted[applications:]
    round_close(actor=staff, round_=round_)
    panel = round_panel_create(actor=staff, round_=round_, region=region)
    people = [two_factor_user(full_name=f"Reviewer {i + 1}") for i in range(reviewers)]
    for person in people:
        round_panel_member_add(actor=staff, panel=panel, user=person, organisation="Elsewhere")
    chair = two_factor_user(full_name="Chair Person")
    round_panel_member_add(actor=staff, panel=panel, user=chair, role=PanelRole.CHAIR)
    if held_back:
        round_transition(actor=staff, round_=round_, action="start_review")
        send_to_review(staff, panel, submitted)
    else:
        round_start_review(actor=staff, round_=round_)
    return PanelSetup(
        round=round_,
        panel=panel,
        chair=chair,
        reviewers=people,
        applications=[Application.objects.get(pk=a.pk) for a in submitted],
        held_back=waiting,
    )


def send_to_review(staff, panel, applications) -> list[Application]:
    """Move submitted applications into review and give them to the panel's reviewers."""
    moved = [
        application_transition(actor=staff, application=a, action="start_review")
        for a in applications
    ]
    application_assignments_distribute(actor=staff, panel=panel, applications=moved)
    return moved


def submit_review(assignment: Assignment, values, recommendation="support", comment=""):
    """Submit a review of `assignment` with one value per criterion, in order."""
    criteria = list(assignment.panel.scheme.criteria.order_by("position"))
    scores = [
        ScoreInput(c.pk, value, f"Comment on {c.title}")
        for c, value in zip(criteria, values, strict=True)
    ]
    return review_submit(
        actor=assignment.reviewer,
        assignment=assignment,
        scores=scores,
        recommendation=recommendation,
        comment=comment,
    )
