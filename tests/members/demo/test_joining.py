"""The demo joining rounds: an open regional wave, a round with its panel part way through, and
a decided round; made through the real services, idempotent, never in production."""

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import timezone

from members.demo.joining import DECIDED_ROUND, OPEN_ROUND, REVIEW_ROUND, seed_joining
from members.directory.enums import Visibility
from members.joining.enums import ApplicationStatus, RoundStatus
from members.joining.models import Application, Round
from members.joining.selectors import rounds_accepting
from members.panels.selectors import round_panels
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.core.demo import seed_accounts
from qcommunity.core.taxonomy import Region
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment, PanelMember, Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_accounts()
    assert seed_joining() == 3
    return {round_.name: round_ for round_ in Round.objects.all()}


def statuses(round_) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in round_.applications.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def test_open_round_takes_applications_from_the_demo_members_region(seeded):
    round_ = seeded[OPEN_ROUND]
    assert round_.status == RoundStatus.OPEN
    assert round_.is_accepting()
    assert Region.WESSEX in round_.regions
    assert round_ in rounds_accepting(region=Region.WESSEX)
    assert statuses(round_) == {ApplicationStatus.DRAFT: 3, ApplicationStatus.SUBMITTED: 4}
    submitted = round_.applications.filter(status=ApplicationStatus.SUBMITTED)
    assert all(a.reference and a.submitted_at < timezone.now() for a in submitted)
    # Applicants are invented people who cannot sign in; the demo accounts have not applied.
    applicants = User.objects.filter(applications__round=round_)
    assert all(u.email.endswith(".applicant@demo.q.example") for u in applicants)
    assert not any(u.has_usable_password() for u in applicants)
    assert not Application.objects.filter(applicant__email="user@demo.q.example").exists()


def test_round_in_review_has_the_demo_panel_member_part_way_and_the_demo_chair(seeded):
    round_ = seeded[REVIEW_ROUND]
    assert round_.status == RoundStatus.REVIEWING
    assert round_.closes_at < timezone.now() < round_.review_deadline
    (panel,) = round_panels(round_)
    roles = dict(panel.members.values_list("user__email", "role"))
    assert roles["panel@demo.q.example"] == PanelRole.REVIEWER
    assert roles["chair@demo.q.example"] == PanelRole.CHAIR
    femi = Assignment.objects.filter(panel=panel, reviewer__email="panel@demo.q.example")
    assert femi.filter(status=AssignmentStatus.SUBMITTED).count() == 2
    assert femi.filter(status=AssignmentStatus.ASSIGNED).count() == 2
    assert statuses(round_) == {ApplicationStatus.ACCEPTED: 1, ApplicationStatus.IN_REVIEW: 3}
    # Of those still in review, one has every review in: the chair has a decision to make.
    ready = [
        a
        for a in round_.applications.filter(status=ApplicationStatus.IN_REVIEW)
        if not Assignment.objects.filter(
            panel=panel, subject_id=a.pk, status=AssignmentStatus.ASSIGNED
        ).exists()
    ]
    assert len(ready) == 1


def test_demo_chair_is_a_member_with_two_factor(seeded):
    chair = User.objects.get(email="chair@demo.q.example")
    assert {Role.MEMBER, Role.PANEL_MEMBER} <= set(chair.role_names)
    assert chair.needs_two_factor
    assert Authenticator.objects.filter(user=chair, type=Authenticator.Type.TOTP).exists()
    assert PanelMember.objects.filter(user=chair, role=PanelRole.CHAIR).count() == 2


def test_decided_round_has_decisions_with_reasons_released_on_a_past_date(seeded):
    round_ = seeded[DECIDED_ROUND]
    assert round_.status == RoundStatus.RELEASED
    assert round_.decisions_release_at < timezone.now()
    assert statuses(round_) == {ApplicationStatus.ACCEPTED: 2, ApplicationStatus.NOT_YET: 1}
    for application in round_.applications.all():
        assert application.decision_rationale
        assert application.feedback
        assert application.decided_by.email == "chair@demo.q.example"
        assert application.decided_at < round_.decisions_release_at
        assert application.released_at is not None
        # Accepted applicants are members now, with hidden directory entries to publish.
        if application.status == ApplicationStatus.ACCEPTED:
            assert application.applicant.has_role(Role.MEMBER)
            assert application.applicant.profile.visibility == Visibility.HIDDEN
    (panel,) = round_panels(round_)
    assert not panel.assignments.filter(status=AssignmentStatus.ASSIGNED).exists()
    assert Review.objects.filter(assignment__panel=panel).count() == 6


def snapshot():
    return {
        "rounds": list(Round.objects.order_by("id").values("id", "name", "status", "closes_at")),
        "applications": list(
            Application.objects.order_by("id").values("id", "status", "reference", "updated_at")
        ),
        "assignments": list(Assignment.objects.order_by("id").values("id", "status")),
        "reviews": Review.objects.count(),
        "members": PanelMember.objects.count(),
        "users": User.objects.count(),
    }


def test_running_again_changes_nothing(seeded):
    before = snapshot()
    seed_accounts()
    assert seed_joining() == 0
    assert snapshot() == before


def test_refuses_production_settings():
    with (
        override_settings(SETTINGS_MODULE="qcommunity.settings.production"),
        pytest.raises(ImproperlyConfigured, match="never be loaded"),
    ):
        seed_joining()
    assert not Round.objects.exists()


def test_demo_people_can_open_their_pages_on_the_demo_rounds(seeded, client_for):
    from django.urls import reverse

    review_panel = round_panels(seeded[REVIEW_ROUND]).get()
    femi = User.objects.get(email="panel@demo.q.example")
    chair = User.objects.get(email="chair@demo.q.example")
    admin = User.objects.get(email="admin@demo.q.example")
    robin = User.objects.get(email="user@demo.q.example")
    to_do = Assignment.objects.filter(
        panel=review_panel, reviewer=femi, status=AssignmentStatus.ASSIGNED
    ).first()
    draft = seeded[OPEN_ROUND].applications.filter(status=ApplicationStatus.DRAFT).first()
    in_review = seeded[REVIEW_ROUND].applications.filter(status=ApplicationStatus.IN_REVIEW)

    pages = [
        (femi, reverse("members:panel-list"), "Regional wave 2: West Midlands"),
        (femi, reverse("members:panel-detail", args=[review_panel.pk]), "West Midlands panel"),
        (femi, reverse("members:assignment-detail", args=[to_do.pk]), "conflict"),
        (chair, reverse("members:chair", args=[review_panel.pk]), "West Midlands panel"),
        (
            chair,
            reverse("members:chair-application", args=[review_panel.pk, in_review.first().pk]),
            in_review.first().reference,
        ),
        (
            admin,
            reverse("members-staff:round-detail", args=[seeded[DECIDED_ROUND].pk]),
            "Decisions released",
        ),
        (robin, reverse("members:join"), OPEN_ROUND),
        # The staff reminders page lists what the joining reminders will send next.
        (admin, "/staff/reminders/", f"Draft application {draft.pk}"),
        (admin, "/staff/reminders/", "West Midlands panel"),
    ]
    for user, url, text in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_the_reminders_engine_finds_work_in_the_demo_rounds(seeded):
    from qcommunity.reminders.models import SentReminder
    from qcommunity.reminders.services import reminders_send_due

    review_round, open_round = seeded[REVIEW_ROUND], seeded[OPEN_ROUND]
    reminders_send_due(now=review_round.review_deadline - dt.timedelta(days=3))
    reminders_send_due(now=review_round.review_deadline)
    reminders_send_due(now=open_round.closes_at - dt.timedelta(days=1))

    reminded = set(SentReminder.objects.values_list("kind", "recipient__email"))
    assert ("members.joining_reviews_due", "panel@demo.q.example") in reminded
    assert ("members.joining_decisions_due", "chair@demo.q.example") in reminded
    drafts = {email for kind, email in reminded if kind == "members.joining_draft_closing"}
    assert len(drafts) == 3
