"""Services and selectors added for the panel workspace: inviting by email, saying there is no
conflict, and the scoping of what each panel member reaches."""

import pytest

from members.joining.services import JoiningError
from members.panels.kind import APPLICATION_PANELS
from members.panels.selectors import chair_application_get
from members.panels.services import (
    panel_member_invite,
    round_panel_create,
    round_panel_member_add,
)
from qcommunity.audit.models import AuditEntry
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail
from qcommunity.scoring.models import Assignment, Panel
from qcommunity.scoring.selectors import (
    assignment_conflict_confirmed,
    workspace_assignment_get,
    workspace_memberships,
    workspace_panel_get,
    workspace_reviewer_assignments,
)
from qcommunity.scoring.services import assignment_confirm_no_conflict
from tests.factories.accounts import UserFactory
from tests.factories.joining import make_round
from tests.factories.panels import panel_in_review, staff_user, submit_review, two_factor_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staff_user()


def test_invite_needs_staff(staff):
    round_ = make_round(staff)
    panel = round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    person = UserFactory()
    with pytest.raises(JoiningError, match="You do not have permission"):
        panel_member_invite(actor=UserFactory(), panel=panel, email=person.email)
    assert not panel.members.exists()
    assert not OutboxEmail.objects.exists()


def test_invite_of_an_inactive_account_is_refused(staff):
    round_ = make_round(staff)
    panel = round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    person = UserFactory(is_active=False)
    with pytest.raises(JoiningError) as caught:
        panel_member_invite(actor=staff, panel=panel, email=person.email)
    assert caught.value.errors == {"email": "Enter the email address of someone with an account"}


def test_invite_uses_the_directory_organisation_when_none_is_given(staff):
    from tests.factories.members import ProfileFactory

    profile = ProfileFactory(organisation="Harbour Trust")
    round_ = make_round(staff)
    panel = round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    member = panel_member_invite(actor=staff, panel=panel, email=profile.user.email)
    assert member.organisation == "Harbour Trust"


def test_confirm_no_conflict_is_the_reviewers_alone_and_recorded_once(staff):
    setup = panel_in_review(staff)
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    other = setup.reviewers[1]
    with pytest.raises(JoiningError, match="Only the reviewer"):
        assignment_confirm_no_conflict(APPLICATION_PANELS, actor=other, assignment=assignment)
    assert not assignment_conflict_confirmed(assignment)
    assignment_confirm_no_conflict(
        APPLICATION_PANELS, actor=setup.reviewers[0], assignment=assignment
    )
    assignment_confirm_no_conflict(
        APPLICATION_PANELS, actor=setup.reviewers[0], assignment=assignment
    )
    assert assignment_conflict_confirmed(assignment)
    assert AuditEntry.objects.filter(action="scoring_assignment.no_conflict").count() == 1


def test_confirm_no_conflict_after_submitting_is_refused(staff):
    setup = panel_in_review(staff)
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    submit_review(assignment, [1, 1, 1])
    with pytest.raises(JoiningError, match="no longer yours"):
        assignment_confirm_no_conflict(
            APPLICATION_PANELS, actor=setup.reviewers[0], assignment=assignment
        )


def test_reviewers_reach_only_their_own_assignments_on_their_own_panels(staff):
    setup = panel_in_review(staff)
    mine, theirs = (setup.assignments_of(r)[0] for r in setup.reviewers)
    reviewer = setup.reviewers[0]
    assert workspace_assignment_get(APPLICATION_PANELS, user=reviewer, pk=mine.pk).subject.pk == (
        setup.applications[0].pk
    )
    with pytest.raises(Assignment.DoesNotExist):
        workspace_assignment_get(APPLICATION_PANELS, user=reviewer, pk=theirs.pk)
    assert [
        a.pk
        for a in workspace_reviewer_assignments(
            APPLICATION_PANELS, user=reviewer, panel=setup.panel
        )
    ] == [mine.pk]
    # Taken off the panel, they reach nothing on it any more.
    setup.panel.members.filter(user=reviewer).delete()
    with pytest.raises(Assignment.DoesNotExist):
        workspace_assignment_get(APPLICATION_PANELS, user=reviewer, pk=mine.pk)
    with pytest.raises(Panel.DoesNotExist):
        workspace_panel_get(APPLICATION_PANELS, user=reviewer, pk=setup.panel.pk)


def test_memberships_count_my_own_reviews_only(staff):
    setup = panel_in_review(staff, applications=2)
    reviewer = setup.reviewers[0]
    submit_review(setup.assignments_of(reviewer)[0], [2, 2, 2])
    [membership] = workspace_memberships(APPLICATION_PANELS, reviewer)
    assert (membership.n_outstanding, membership.n_done) == (1, 1)
    assert membership.panel.round == setup.round
    [chair] = workspace_memberships(APPLICATION_PANELS, setup.chair)
    assert (chair.role, chair.n_outstanding, chair.n_done) == ("chair", 0, 0)


def test_chair_reaches_only_the_applications_of_their_panel(staff):
    round_ = make_round(staff, regions=(Region.WESSEX, Region.OXFORD))
    from tests.factories.panels import submitted_application

    oxford_application = submitted_application(round_, region=Region.OXFORD)
    oxford = round_panel_create(actor=staff, round_=round_, region=Region.OXFORD)
    setup = panel_in_review(staff, round_=round_)
    round_panel_member_add(actor=staff, panel=oxford, user=two_factor_user(), role="chair")
    assert chair_application_get(panel=setup.panel, pk=setup.applications[0].pk)
    from members.joining.models import Application

    with pytest.raises(Application.DoesNotExist):
        chair_application_get(panel=setup.panel, pk=oxford_application.pk)
    with pytest.raises(Application.DoesNotExist):
        chair_application_get(panel=oxford, pk=setup.applications[0].pk)
