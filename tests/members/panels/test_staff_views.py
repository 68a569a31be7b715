"""Staff panel management (/staff/rounds/<round>/panels/): creating panels, adding members by
email, sending applications to review, reassigning; every bad input."""

import re

import pytest
from django.urls import reverse

from members.joining.enums import ApplicationStatus, RoundStatus
from members.joining.services import round_close
from members.panels.services import round_panel_create, round_panel_member_add
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment, Panel, PanelMember
from tests.factories.accounts import UserFactory
from tests.factories.joining import make_round
from tests.factories.panels import (
    panel_in_review,
    send_to_review,
    staff_user,
    submitted_application,
    two_factor_user,
)
from tests.pages import error_messages
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staff_user()


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_staff_create_a_panel_for_a_region_of_the_round(client, staff):
    round_ = make_round(staff, regions=(Region.WESSEX, Region.OXFORD))
    client.force_login(staff)
    url = reverse("members-staff:panel-list", args=[round_.pk])
    response = client.post(url, {"region": Region.OXFORD, "name": ""})
    panel = Panel.objects.get()
    assert response.headers["Location"] == reverse(
        "members-staff:panel-detail", args=[round_.pk, panel.pk]
    )
    assert (panel.name, panel.region, panel.reviews_needed) == ("Oxford panel", "oxford", 2)
    assert AuditEntry.objects.filter(action="scoring_panel.create").count() == 1
    # Oxford is no longer offered; Wessex is.
    page = client.get(url).content.decode()
    assert 'value="wessex"' in page
    assert 'value="oxford"' not in page


def test_panel_for_a_region_outside_the_round_or_taken_is_refused(client, staff):
    round_ = make_round(staff, regions=(Region.WESSEX,))
    round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    client.force_login(staff)
    url = reverse("members-staff:panel-list", args=[round_.pk])
    for region in (Region.WESSEX, Region.OXFORD, ""):
        response = client.post(url, {"region": region})
        assert response.status_code == 200
    assert error_messages(client.post(url, {"region": Region.OXFORD})) == [
        "Choose a region of this round that has no panel yet"
    ]
    assert error_messages(client.post(url, {})) == ["Choose the region the panel is for"]
    assert Panel.objects.count() == 1


def test_panel_name_taken_in_the_round_is_refused(client, staff):
    round_ = make_round(staff, regions=(Region.WESSEX, Region.OXFORD))
    round_panel_create(actor=staff, round_=round_, region=Region.WESSEX, name="South panel")
    client.force_login(staff)
    response = client.post(
        reverse("members-staff:panel-list", args=[round_.pk]),
        {"region": Region.OXFORD, "name": "South panel"},
    )
    assert error_messages(response) == ["Choose a new name"]


def test_staff_add_a_reviewer_by_email_who_is_emailed_and_needs_two_factor(client, staff):
    round_ = make_round(staff)
    panel = round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    person = UserFactory(email="sam@example.org", full_name="Sam Reviewer")
    client.force_login(staff)
    url = reverse("members-staff:panel-detail", args=[round_.pk, panel.pk])
    response = client.post(
        url, {"email": "SAM@example.org", "role": "reviewer", "organisation": "Wessex Trust"}
    )
    assert response.status_code == 302
    member = PanelMember.objects.get()
    assert (member.user, member.role, member.organisation) == (person, "reviewer", "Wessex Trust")
    person.refresh_from_db()
    assert person.has_role(Role.PANEL_MEMBER)
    assert person.needs_two_factor
    email = OutboxEmail.objects.get(kind="panel_invitation")
    assert email.recipient == "sam@example.org"
    assert email.subject == f"You have been asked to join the Wessex panel for {round_.name}"
    assert "two-factor authentication" in email.body_text
    page = _text(client.get(url))
    assert "Sam Reviewer Reviewer Wessex Trust Not set up yet" in page


def test_adding_a_chair_and_changing_a_role_sends_one_email(client, staff):
    round_ = make_round(staff)
    panel = round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    two_factor_user(email="chair@example.org", full_name="Pat Chair")
    client.force_login(staff)
    url = reverse("members-staff:panel-detail", args=[round_.pk, panel.pk])
    client.post(url, {"email": "chair@example.org", "role": "reviewer"})
    client.post(url, {"email": "chair@example.org", "role": "chair"})
    assert PanelMember.objects.get().role == PanelRole.CHAIR
    assert OutboxEmail.objects.filter(kind="panel_invitation").count() == 1
    assert "Pat Chair Chair Not given Set up" in _text(client.get(url))


def test_adding_someone_warns_about_two_factor_only_when_they_have_not_set_it_up(client, staff):
    round_ = make_round(staff)
    panel = round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    UserFactory(email="new@example.org", full_name="New Reviewer")
    two_factor_user(email="ready@example.org", full_name="Ready Reviewer")
    client.force_login(staff)
    url = reverse("members-staff:panel-detail", args=[round_.pk, panel.pk])
    without = _text(client.post(url, {"email": "new@example.org", "role": "reviewer"}, follow=True))
    assert (
        "New Reviewer is on the panel as reviewer. They need two-factor authentication to "
        "see the panel."
    ) in without
    ready = _text(client.post(url, {"email": "ready@example.org", "role": "reviewer"}, follow=True))
    assert "Ready Reviewer is on the panel as reviewer." in ready
    assert "They need two-factor" not in ready
    assert "Ready Reviewer Reviewer Not given Set up" in ready
    emails = {e.recipient: e for e in OutboxEmail.objects.filter(kind="panel_invitation")}
    assert "two-factor" in emails["new@example.org"].body_text
    assert "two-factor" in emails["new@example.org"].body_html
    assert "two-factor" not in emails["ready@example.org"].body_text
    assert "two-factor" not in emails["ready@example.org"].body_html


def test_adding_someone_without_an_account_is_refused(client, staff):
    round_ = make_round(staff)
    panel = round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    client.force_login(staff)
    url = reverse("members-staff:panel-detail", args=[round_.pk, panel.pk])
    response = client.post(url, {"email": "nobody@example.org", "role": "reviewer"})
    assert error_messages(response) == ["Enter the email address of someone with an account"]
    assert 'value="nobody@example.org"' in response.content.decode()
    assert error_messages(client.post(url, {"email": "not an email"})) == [
        "Enter an email address in the correct format, like name@example.org",
        "Choose their role on the panel",
    ]
    assert not PanelMember.objects.exists()


def test_start_review_sends_applications_to_panels_evenly(client, staff):
    round_ = make_round(staff)
    for i in range(4):
        submitted_application(round_, organisation=f"Trust {i}")
    round_close(actor=staff, round_=round_)
    panel = round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    for _ in range(4):
        round_panel_member_add(actor=staff, panel=panel, user=two_factor_user(), organisation="")
    client.force_login(staff)
    page = _text(client.get(reverse("members-staff:panel-list", args=[round_.pk])))
    assert "4 submitted applications" in page
    response = client.post(reverse("members-staff:start-review", args=[round_.pk]), follow=True)
    assert "8 reviews given out" in _text(response)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.REVIEWING
    assert set(round_.applications.values_list("status", flat=True)) == {"in_review"}
    loads = [panel.assignments.filter(reviewer=m.user).count() for m in panel.members.all()]
    assert loads == [2, 2, 2, 2]


def test_start_review_without_a_panel_for_a_region_is_refused(client, staff):
    round_ = make_round(staff)
    submitted_application(round_)
    round_close(actor=staff, round_=round_)
    client.force_login(staff)
    response = client.post(reverse("members-staff:start-review", args=[round_.pk]), follow=True)
    assert "Set up a panel for Wessex first." in _text(response)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED


def test_start_review_twice_is_refused(client, staff):
    setup = panel_in_review(staff)
    client.force_login(staff)
    response = client.post(
        reverse("members-staff:start-review", args=[setup.round.pk]), follow=True
    )
    assert "This round is panels reviewing, so you cannot do that now." in _text(response)
    assert Assignment.objects.count() == 2


def test_staff_reassign_an_unfinished_review(client, staff):
    setup = panel_in_review(staff, reviewers=3)
    assignment = setup.panel.assignments.order_by("id").first()
    free = next(
        r
        for r in setup.reviewers
        if not setup.panel.assignments.filter(reviewer=r, subject_id=assignment.subject_id)
    )
    client.force_login(staff)
    url = reverse("members-staff:reassign", args=[setup.round.pk, setup.panel.pk, assignment.pk])
    page = client.get(url).content.decode()
    assert f'value="{free.pk}"' in page
    assert f'value="{assignment.reviewer_id}"' not in page
    response = client.post(url, {"to_user": free.pk})
    assert response.headers["Location"] == reverse(
        "members-staff:panel-detail", args=[setup.round.pk, setup.panel.pk]
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WITHDRAWN
    assert setup.panel.assignments.get(reviewer=free).status == AssignmentStatus.ASSIGNED
    assert AuditEntry.objects.filter(action="scoring_assignment.withdraw").count() == 1


def test_reassign_to_someone_who_already_has_it_or_works_there_is_refused(client, staff):
    setup = panel_in_review(staff, reviewers=3)
    application = setup.applications[0]
    first, second = setup.panel.assignments.order_by("id")
    colleague = two_factor_user(full_name="Colleague")
    round_panel_member_add(
        actor=staff, panel=setup.panel, user=colleague, organisation=application.organisation
    )
    client.force_login(staff)
    url = reverse("members-staff:reassign", args=[setup.round.pk, setup.panel.pk, first.pk])
    # Neither is offered; a stale form naming them is refused, as is someone not on the panel.
    offered = client.get(url).content.decode()
    assert f'value="{second.reviewer_id}"' not in offered
    assert f'value="{colleague.pk}"' not in offered
    refused = [
        "The reviewer you chose can no longer take this review. Choose another reviewer from "
        "the list"
    ]
    assert error_messages(client.post(url, {"to_user": second.reviewer_id})) == refused
    assert error_messages(client.post(url, {"to_user": colleague.pk})) == refused
    assert error_messages(client.post(url, {"to_user": 999999})) == refused
    first.refresh_from_db()
    assert first.status == AssignmentStatus.ASSIGNED


def test_a_submitted_review_cannot_be_reassigned(client, staff):
    from tests.factories.panels import submit_review

    setup = panel_in_review(staff, reviewers=3)
    assignment = setup.panel.assignments.order_by("id").first()
    submit_review(assignment, [1, 2, 3])
    client.force_login(staff)
    url = reverse("members-staff:reassign", args=[setup.round.pk, setup.panel.pk, assignment.pk])
    assert "Only a review that has not been submitted" in _text(client.get(url))


def test_panel_of_another_round_is_not_found(client, staff):
    setup = panel_in_review(staff)
    other = make_round(staff, name="Another round")
    client.force_login(staff)
    response = client.get(reverse("members-staff:panel-detail", args=[other.pk, setup.panel.pk]))
    assert response.status_code == 404


def test_give_out_missing_reviews_after_adding_a_reviewer(client, staff):
    setup = panel_in_review(staff, reviewers=1)
    assert setup.panel.assignments.count() == 1
    round_panel_member_add(actor=staff, panel=setup.panel, user=two_factor_user())
    client.force_login(staff)
    response = client.post(
        reverse("members-staff:distribute", args=[setup.round.pk, setup.panel.pk]), follow=True
    )
    assert "1 review given out." in _text(response)
    assert setup.panel.assignments.count() == 2


def test_staff_panel_pages_query_counts_are_constant(client, staff):
    setup = panel_in_review(staff, applications=1, reviewers=2, held_back=5)
    client.force_login(staff)
    detail = reverse("members-staff:panel-detail", args=[setup.round.pk, setup.panel.pk])

    def add(n):
        send_to_review(staff, setup.panel, setup.held_back[:n])
        round_panel_member_add(actor=staff, panel=setup.panel, user=two_factor_user())

    assert_constant_queries(lambda: client.get(detail), add, many=5)


def test_staff_panel_list_query_count_is_constant(client, staff):
    regions = [Region.WESSEX, Region.OXFORD, Region.WALES, Region.SCOTLAND, Region.SOUTH_WEST]
    round_ = make_round(staff, regions=regions)
    round_panel_create(actor=staff, round_=round_, region=regions[0])
    client.force_login(staff)
    url = reverse("members-staff:panel-list", args=[round_.pk])

    def add(n):
        for region in regions[1 : n + 1]:
            panel = round_panel_create(actor=staff, round_=round_, region=region)
            round_panel_member_add(actor=staff, panel=panel, user=two_factor_user())

    assert_constant_queries(lambda: client.get(url), add, many=4)


def test_applications_stay_in_review_until_decided(staff):
    setup = panel_in_review(staff)
    assert setup.applications[0].status == ApplicationStatus.IN_REVIEW


def test_give_out_missing_reviews_shows_only_when_reviews_are_missing(client, staff):
    setup = panel_in_review(staff, applications=2)
    url = reverse("members-staff:panel-detail", args=[setup.round.pk, setup.panel.pk])
    distribute = reverse("members-staff:distribute", args=[setup.round.pk, setup.panel.pk])
    client.force_login(staff)
    full = client.get(url).content.decode()
    assert "Give out missing reviews" not in full
    assert distribute not in full
    assert "Every application on this panel has the reviewers it needs." in _text(client.get(url))
    # A reviewer with a conflict and nobody left to take it: one application is short.
    first = setup.assignments_of(setup.reviewers[0])
    client.force_login(setup.reviewers[0])
    client.post(
        reverse("members:assignment-detail", args=[first[0].pk]),
        {"has_conflict": "yes", "reason": "Same team"},
    )
    client.force_login(staff)
    one = _text(client.get(url))
    assert "1 application has fewer reviewers than it needs." in one
    assert "Give out missing reviews" in one
    client.force_login(setup.reviewers[0])
    client.post(
        reverse("members:assignment-detail", args=[first[1].pk]),
        {"has_conflict": "yes", "reason": "Same team"},
    )
    client.force_login(staff)
    assert "2 applications have fewer reviewers than they need." in _text(client.get(url))
