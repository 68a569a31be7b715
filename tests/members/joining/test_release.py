"""Releasing decisions on the round's release date (issue 5, items 4 and 5): the scheduled task,
the emails, accepted applicants becoming members with a hidden directory entry, the staff
round page, the applicant's status page and a new member's first steps on the home page."""

import datetime as dt
import logging
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from members.directory.enums import Visibility
from members.directory.models import Profile
from members.directory.services import profile_set_visibility
from members.joining.enums import RoundStatus
from members.joining.models import Application, Round
from members.joining.selectors import (
    FIRST_STEPS_DAYS,
    member_first_steps,
    next_round_for_region,
    rounds_release_due,
)
from members.joining.services import (
    JoiningError,
    application_decide,
    application_transition,
    round_release_decisions,
    round_transition,
    round_update,
)
from members.joining.tasks import joining_release_due
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.audit.models import AuditEntry
from qcommunity.core.formatting import uk_date
from qcommunity.core.taxonomy import Region
from qcommunity.notifications.enums import Delivery
from qcommunity.notifications.kinds import all_kinds
from qcommunity.notifications.services import notification_preferences_set
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.joining import FACTS, make_round
from tests.factories.members import ProfileFactory
from tests.factories.panels import panel_in_review, staff_user
from tests.factories.release import FEEDBACK, RATIONALE, decided_round, move_release_to_the_past
from tests.querycount import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

RELEASE_KINDS = ("application_accepted", "application_not_yet")
# What applicants must never see: reviewer and chair names, review comments, the rationale,
# the scale's labels.
NEVER_SHOWN = (
    "Reviewer 1",
    "Reviewer 2",
    "Chair Person",
    "Comment on",
    RATIONALE,
    "3: Strong",
    "2: Meets",
    "Strong, specific evidence",
    "score",
)


@pytest.fixture
def staff():
    return staff_user()


def _release_emails():
    return OutboxEmail.objects.filter(kind__in=RELEASE_KINDS)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# Not before the date, then on it ----------------------------------------------------------------


def test_task_a_second_before_the_release_date_releases_nothing(staff):
    setup = decided_round(staff)
    just_before = setup.round.decisions_release_at - dt.timedelta(seconds=1)
    assert joining_release_due(now=just_before.isoformat()) == 0
    setup.round.refresh_from_db()
    assert setup.round.status == RoundStatus.DECIDED
    assert not Application.objects.filter(released_at__isnull=False).exists()
    assert not _release_emails().exists()
    assert list(rounds_release_due(just_before)) == []
    with pytest.raises(JoiningError, match=r"are released on .*, not before"):
        round_release_decisions(round_=setup.round, now=just_before)


def test_task_on_the_release_date_releases_every_decision(staff):
    setup = decided_round(staff, accepted=1, not_yet=2)
    release_at = setup.round.decisions_release_at
    assert joining_release_due(now=release_at.isoformat()) == 3
    setup.round.refresh_from_db()
    assert setup.round.status == RoundStatus.RELEASED
    assert set(
        Application.objects.filter(round=setup.round).values_list("released_at", flat=True)
    ) == {release_at}
    assert AuditEntry.objects.filter(action="application.release").count() == 3
    assert AuditEntry.objects.filter(
        action="join_round.release", target_id=str(setup.round.pk), actor__isnull=True
    ).exists()
    sent = sorted(_release_emails().values_list("recipient", "kind"))
    assert sent == sorted(
        [(setup.applications[0].applicant.email, "application_accepted")]
        + [(a.applicant.email, "application_not_yet") for a in setup.applications[1:]]
    )


def test_release_runs_at_most_once(staff):
    setup = decided_round(staff)
    release_at = setup.round.decisions_release_at
    assert joining_release_due(now=release_at.isoformat()) == 2
    assert joining_release_due(now=(release_at + dt.timedelta(minutes=15)).isoformat()) == 0
    assert round_release_decisions(round_=setup.round, now=release_at) == 0
    assert _release_emails().count() == 2
    assert AuditEntry.objects.filter(action="application.release").count() == 2


def test_release_refused_while_the_round_is_not_decided(staff):
    setup = decided_round(staff, mark=False)
    with pytest.raises(JoiningError, match="while the round is at \u201cPanels reviewing\u201d"):
        round_release_decisions(round_=setup.round, now=setup.round.decisions_release_at)
    assert not _release_emails().exists()


def test_release_refused_when_a_decision_was_reopened(staff):
    setup = decided_round(staff)
    application_transition(actor=setup.chair, application=setup.applications[1], action="reopen")
    with pytest.raises(JoiningError, match="1 application is still waiting for a decision"):
        round_release_decisions(round_=setup.round, now=setup.round.decisions_release_at)
    setup.round.refresh_from_db()
    assert setup.round.status == RoundStatus.DECIDED
    assert not Application.objects.filter(released_at__isnull=False).exists()
    assert not User.objects.filter(roles__role=Role.MEMBER).exists()


def test_a_failing_round_does_not_stop_the_others(staff, caplog):
    failing = decided_round(staff, name="Wave 3")
    application_transition(
        actor=failing.chair, application=failing.applications[0], action="reopen"
    )
    working = decided_round(staff, round_=make_round(staff, name="Wave 4"))
    now = max(failing.round.decisions_release_at, working.round.decisions_release_at)
    assert [r.pk for r in rounds_release_due(now)] == [failing.round.pk, working.round.pk]
    with caplog.at_level(logging.WARNING, logger="members.joining.tasks"):
        assert joining_release_due(now=now.isoformat()) == 2
    assert f"Decisions of round {failing.round.pk} not released" in caplog.text
    statuses = dict(Round.objects.values_list("pk", "status"))
    assert statuses == {failing.round.pk: RoundStatus.DECIDED, working.round.pk: "released"}
    assert set(_release_emails().values_list("recipient", flat=True)) == {
        a.applicant.email for a in working.applications
    }


# Marking decisions recorded ---------------------------------------------------------------------


def test_mark_decided_refused_while_applications_wait_for_a_decision(staff):
    setup = decided_round(staff, mark=False)
    application_transition(actor=setup.chair, application=setup.applications[0], action="reopen")
    with pytest.raises(JoiningError, match="1 application is still waiting for a decision"):
        round_transition(actor=staff, round_=setup.round, action="mark_decided")
    setup.round.refresh_from_db()
    assert setup.round.status == RoundStatus.REVIEWING


def test_staff_round_page_shows_counts_and_offers_the_button_only_when_all_decided(client, staff):
    setup = decided_round(staff, mark=False)
    application_transition(actor=setup.chair, application=setup.applications[0], action="reopen")
    client.force_login(staff)
    url = reverse("members-staff:round-detail", args=[setup.round.pk])
    text = _text(client.get(url))
    assert "Waiting for a decision 1" in text
    assert "Decided 1 (0 accepted, 1 not yet)" in text
    assert f"Release date {uk_date(setup.round.decisions_release_at)}" in text
    assert "Mark all decisions recorded" not in text
    assert "The release date has passed" not in text

    application_decide(
        actor=setup.chair, application=setup.applications[0], accept=True, rationale=RATIONALE
    )
    text = _text(client.get(url))
    assert "Decided 2 (1 accepted, 1 not yet)" in text
    assert "Mark all decisions recorded" in text
    response = client.post(
        reverse("members-staff:round-transition", args=[setup.round.pk, "mark_decided"])
    )
    assert response.status_code == 302
    setup.round.refresh_from_db()
    assert setup.round.status == RoundStatus.DECIDED
    assert "Mark all decisions recorded" not in _text(client.get(url))


def test_staff_round_page_warns_when_the_release_date_passed_without_all_decisions(client, staff):
    setup = panel_in_review(staff, applications=2)
    round_ = move_release_to_the_past(staff, setup.round)
    client.force_login(staff)
    text = _text(client.get(reverse("members-staff:round-detail", args=[round_.pk])))
    assert "The release date has passed" in text
    assert "2 applications are still waiting for a decision" in text


# Emails ------------------------------------------------------------------------------------------


def test_emails_carry_the_decision_and_feedback_but_no_scores_or_names(staff):
    setup = decided_round(staff)
    round_release_decisions(round_=setup.round, now=setup.round.decisions_release_at)
    accepted = OutboxEmail.objects.get(kind="application_accepted")
    not_yet = OutboxEmail.objects.get(kind="application_not_yet")
    assert accepted.subject == (
        f"Welcome to Q: your application {setup.applications[0].reference} was accepted"
    )
    for body in (accepted.body_text, accepted.body_html):
        assert "Publish your directory entry" in body
        assert "/me/profile/" in body
        assert "/me/notifications/" in body
    assert FEEDBACK not in accepted.body_text
    for body in (not_yet.body_text, not_yet.body_html):
        assert FEEDBACK in body
        assert (
            "You can apply again when the next round for Wessex opens. We will announce it in "
            "the Q newsletter."
        ) in body
    for email in (accepted, not_yet):
        for secret in NEVER_SHOWN:
            for part in (email.subject, email.body_text, email.body_html):
                assert secret.lower() not in part.lower(), (email.kind, secret)


def test_not_yet_email_names_a_round_open_to_the_region_now(staff):
    setup = decided_round(staff)
    later = make_round(staff, name="Wave 5", regions=[Region.WESSEX, Region.OXFORD])
    round_ = move_release_to_the_past(staff, setup.round)
    round_release_decisions(round_=round_)
    body = OutboxEmail.objects.get(kind="application_not_yet").body_text
    assert "Wave 5 is open to applicants in Wessex now, until" in body
    assert later.name in body


def test_next_round_for_a_region_prefers_one_open_now_then_one_announced(staff):
    current = make_round(staff, name="Wave 3")
    assert next_round_for_region(Region.WESSEX, exclude_round_id=current.pk) is None
    announced = make_round(staff, name="Wave 6")
    now = timezone.now().replace(second=0, microsecond=0)
    round_update(
        actor=staff,
        round_=announced,
        name=announced.name,
        phase=announced.phase,
        regions=announced.regions,
        opens_at=now + dt.timedelta(days=60),
        closes_at=now + dt.timedelta(days=90),
        review_deadline=now + dt.timedelta(days=100),
        decisions_release_at=now + dt.timedelta(days=120),
        reviews_needed=2,
    )
    found = next_round_for_region(Region.WESSEX, exclude_round_id=current.pk)
    assert (found.round.pk, found.open_now) == (announced.pk, False)
    assert next_round_for_region(Region.OXFORD) is None
    found = next_round_for_region(Region.WESSEX)
    assert (found.round.pk, found.open_now) == (current.pk, True)


# Becoming a member -------------------------------------------------------------------------------


def test_accepted_applicant_becomes_a_member_with_a_hidden_prefilled_entry(staff):
    setup = decided_round(staff)
    accepted, not_yet = (a.applicant for a in setup.applications)
    assert not accepted.has_role(Role.MEMBER)
    round_release_decisions(round_=setup.round, now=setup.round.decisions_release_at)
    accepted = User.objects.get(pk=accepted.pk)
    assert accepted.has_role(Role.MEMBER)
    profile = Profile.objects.get(user=accepted)
    assert profile.visibility == Visibility.HIDDEN
    assert (
        profile.job_title,
        profile.organisation,
        profile.organisation_type,
        profile.role_types,
        profile.region,
        profile.nation,
    ) == (
        FACTS["job_title"],
        "Trust 0",
        FACTS["organisation_type"],
        FACTS["role_types"],
        Region.WESSEX,
        "england",
    )
    assert not User.objects.get(pk=not_yet.pk).has_role(Role.MEMBER)
    assert not Profile.objects.filter(user=not_yet).exists()


def test_an_existing_entry_keeps_its_visibility_and_what_is_filled_in(staff):
    setup = decided_round(staff)
    applicant = setup.applications[0].applicant
    ProfileFactory(
        user=applicant,
        visibility=Visibility.MEMBERS,
        job_title="Chief nurse",
        organisation="",
        region="",
        nation="",
    )
    round_release_decisions(round_=setup.round, now=setup.round.decisions_release_at)
    profile = Profile.objects.get(user=applicant)
    assert profile.visibility == Visibility.MEMBERS
    assert profile.job_title == "Chief nurse"
    assert (profile.organisation, profile.region, profile.nation) == (
        "Trust 0",
        Region.WESSEX,
        "england",
    )
    assert AuditEntry.objects.get(action="profile.prefill").data["fields"] == [
        "organisation",
        "region",
    ]


# The applicant's status page ---------------------------------------------------------------------


def _status_page(client, application) -> str:
    client.force_login(application.applicant)
    response = client.get(reverse("members:application-detail", kwargs={"pk": application.pk}))
    assert response.status_code == 200
    return _text(response)


def test_status_page_before_release_gives_the_date_not_the_decision(client, staff):
    setup = decided_round(staff)
    date = uk_date(setup.round.decisions_release_at)
    for application in setup.applications:
        text = _status_page(client, application)
        assert f"A decision will be sent to you on {date}." in text
        assert "Being reviewed" in text
        assert "Welcome to Q" not in text
        assert FEEDBACK not in text


def test_status_page_after_release_shows_the_decision_without_scores_or_names(client, staff):
    setup = decided_round(staff)
    round_release_decisions(round_=setup.round, now=setup.round.decisions_release_at)
    accepted, not_yet = setup.applications
    text = _status_page(client, accepted)
    assert "Welcome to Q. Your application was accepted" in text
    assert 'href="/me/profile/"' in accepted_html(client, accepted)
    assert "A decision will be sent" not in text
    text = _status_page(client, not_yet)
    assert "Not accepted yet" in text
    assert FEEDBACK in text
    assert "You can apply again when the next round for Wessex opens." in text
    for page in (_status_page(client, accepted), text):
        for secret in NEVER_SHOWN:
            assert secret not in page, secret


def accepted_html(client, application) -> str:
    client.force_login(application.applicant)
    url = reverse("members:application-detail", kwargs={"pk": application.pk})
    return client.get(url).content.decode()


# First steps on the home page ---------------------------------------------------------------------


@pytest.fixture
def new_member(staff):
    """An applicant accepted in a round released a minute ago, by the scheduled task."""
    setup = decided_round(staff)
    move_release_to_the_past(staff, setup.round)
    assert joining_release_due() == 2
    return setup.applications[0].applicant, setup.applications[1].applicant


def test_home_shows_first_steps_to_a_new_member(client, new_member):
    member, _ = new_member
    client.force_login(member)
    text = _text(client.get("/"))
    assert "Your first steps as a member" in text
    assert "You have done 0 of 3 steps." in text
    assert "Publish your directory entry" in text
    assert 'href="/me/notifications/"' in client.get("/").content.decode()

    profile_set_visibility(
        profile=Profile.objects.get(user=member), visibility=Visibility.MEMBERS, actor=member
    )
    notification_preferences_set(user=member, choices=_a_preference(), actor=member)
    text = _text(client.get("/"))
    assert "You have done 2 of 3 steps." in text
    assert text.count("Completed") == 2


def _a_preference() -> dict[str, str]:
    kind = next(k for k in all_kinds() if not k.required)
    return {kind.key: Delivery.DAILY}


def test_home_hides_first_steps_from_others(client, new_member, staff):
    _, not_yet = new_member
    for person in (not_yet, UserFactory(roles=[Role.MEMBER]), staff):
        client.force_login(person)
        assert "Your first steps" not in _text(client.get("/"))
    client.logout()
    assert "Your first steps" not in _text(client.get("/"))


def test_first_steps_end_after_90_days(new_member):
    member, _ = new_member
    accepted_on = member_first_steps(member).accepted_on
    later = accepted_on + dt.timedelta(days=FIRST_STEPS_DAYS) - dt.timedelta(seconds=1)
    assert member_first_steps(member, now=later) is not None
    assert member_first_steps(member, now=later + dt.timedelta(seconds=2)) is None


def test_home_first_steps_queries_stay_constant(client, new_member):
    member, _ = new_member
    established = UserFactory(roles=[Role.MEMBER])
    client.force_login(established)
    client.get("/")
    without_steps, _ = count_queries(lambda: client.get("/"))

    client.force_login(member)

    def add_rows(n):
        for _ in range(n):
            ProfileFactory()
        notification_preferences_set(user=member, choices=_a_preference(), actor=member)

    with_steps = assert_constant_queries(lambda: client.get("/"), add_rows, many=5)
    # Members all pay the same single look-up, whether or not they have first steps.
    assert with_steps == without_steps


# Releasing now, and within a minute of the date --------------------------------------------------


def test_the_scheduled_release_runs_every_minute():
    from django.conf import settings

    schedule = settings.CELERY_BEAT_SCHEDULE["joining-release-due"]
    assert schedule["task"] == "members.tasks.joining_release_due"
    assert schedule["schedule"].minute == set(range(60))
    assert schedule["schedule"].hour == set(range(24))


def test_release_now_moves_the_date_and_releases_once_as_staff(staff):
    from members.joining.services import round_release_decisions_now

    setup = decided_round(staff, accepted=1, not_yet=2)
    old_release = setup.round.decisions_release_at
    old_deadline = setup.round.review_deadline
    now = timezone.now()
    assert round_release_decisions_now(actor=staff, round_=setup.round, now=now) == 3
    round_ = Round.objects.get(pk=setup.round.pk)
    assert round_.status == RoundStatus.RELEASED
    assert round_.decisions_release_at == now
    assert round_.review_deadline == now
    assert round_.closes_at <= now
    assert set(Application.objects.filter(round=round_).values_list("released_at", flat=True)) == {
        now
    }
    entry = AuditEntry.objects.get(action="join_round.release_now")
    assert entry.actor == staff
    assert entry.data["decisions_release_at"] == {
        "from": old_release.isoformat(),
        "to": now.isoformat(),
    }
    assert entry.data["review_deadline"]["from"] == old_deadline.isoformat()
    assert AuditEntry.objects.get(action="join_round.release").actor == staff
    assert set(
        AuditEntry.objects.filter(action="application.release").values_list("actor", flat=True)
    ) == {staff.pk}
    assert _release_emails().count() == 3
    # Again, by staff or by the scheduled task: nothing more is sent.
    with pytest.raises(JoiningError, match="have already been released"):
        round_release_decisions_now(actor=staff, round_=round_)
    assert joining_release_due() == 0
    assert joining_release_due(now=old_release.isoformat()) == 0
    assert _release_emails().count() == 3
    assert AuditEntry.objects.filter(action="application.release").count() == 3


def test_release_now_refused_until_every_decision_is_recorded(staff):
    from members.joining.services import round_release_decisions_now

    setup = decided_round(staff, mark=False)
    with pytest.raises(JoiningError, match="every decision must be recorded and the round marked"):
        round_release_decisions_now(actor=staff, round_=setup.round)
    round_transition(actor=staff, round_=setup.round, action="mark_decided")
    application_transition(actor=setup.chair, application=setup.applications[1], action="reopen")
    with pytest.raises(JoiningError, match="1 application is still waiting for a decision"):
        round_release_decisions_now(actor=staff, round_=setup.round)
    with pytest.raises(JoiningError, match="permission"):
        round_release_decisions_now(actor=setup.chair, round_=setup.round)
    round_ = Round.objects.get(pk=setup.round.pk)
    assert round_.status == RoundStatus.DECIDED
    assert round_.decisions_release_at == setup.round.decisions_release_at
    assert not _release_emails().exists()
    assert not AuditEntry.objects.filter(action="join_round.release_now").exists()


def test_staff_release_decisions_now_from_the_round_page_after_confirming(client, staff):
    setup = decided_round(staff)
    client.force_login(staff)
    url = reverse("members-staff:round-detail", args=[setup.round.pk])
    page = client.get(url).content.decode()
    confirm = reverse("members-staff:round-confirm", args=[setup.round.pk, "release"])
    assert f'href="{confirm}"' in page
    before = _text(client.get(url))
    assert (
        "Every decision is recorded. They will be released to applicants, each by email, on "
        f"{uk_date(setup.round.decisions_release_at)}"
    ) in before
    assert "automatically" not in before
    text = _text(client.get(confirm))
    assert "Release the decisions of Wave 3 now?" in text
    assert "Every decision is recorded: 1 accepted and 1 not yet." in text
    assert "each applicant is emailed their decision now" in text
    assert not _release_emails().exists()
    release = reverse("members-staff:round-transition", args=[setup.round.pk, "release"])
    done = _text(client.post(release, follow=True))
    assert "Decisions have been released." in done
    round_ = Round.objects.get(pk=setup.round.pk)
    assert round_.status == RoundStatus.RELEASED
    assert (
        f"Decisions were released to applicants on {uk_date(round_.decisions_release_at)}"
    ) in done
    assert f"by {staff.get_full_name()}, before the release date set for the round" in done
    assert "automatically" not in done
    assert _release_emails().count() == 2
    # A second click (or a stale tab) sends nothing and says why.
    again = _text(client.post(release, follow=True))
    assert "Decisions for Wave 3 have already been released." in again
    assert _release_emails().count() == 2
    assert "The decisions of this round have already been released." in _text(client.get(confirm))


def test_release_now_is_offered_only_when_every_decision_is_recorded(client, staff):
    setup = decided_round(staff, mark=False)
    client.force_login(staff)
    url = reverse("members-staff:round-detail", args=[setup.round.pk])
    confirm = reverse("members-staff:round-confirm", args=[setup.round.pk, "release"])
    assert confirm not in client.get(url).content.decode()
    round_transition(actor=staff, round_=setup.round, action="mark_decided")
    application_transition(actor=setup.chair, application=setup.applications[0], action="reopen")
    assert confirm not in client.get(url).content.decode()
    text = _text(client.get(confirm))
    assert (
        "1 application is still waiting for a decision, so decisions cannot be released yet."
        in text
    )
    assert (
        'action="' + reverse("members-staff:round-transition", args=[setup.round.pk, "release"])
        not in client.get(confirm).content.decode()
    )
    response = client.post(
        reverse("members-staff:round-transition", args=[setup.round.pk, "release"]), follow=True
    )
    assert "1 application is still waiting for a decision" in _text(response)
    assert not _release_emails().exists()


def test_release_now_is_not_for_panel_chairs(client, staff):
    setup = decided_round(staff)
    client.force_login(setup.chair)
    release = reverse("members-staff:round-transition", args=[setup.round.pk, "release"])
    assert client.post(release).status_code == 404
    confirm = reverse("members-staff:round-confirm", args=[setup.round.pk, "release"])
    assert client.get(confirm).status_code == 404
    assert not _release_emails().exists()


def test_round_page_after_the_scheduled_release_says_it_went_on_the_release_date(client, staff):
    setup = decided_round(staff)
    round_ = move_release_to_the_past(staff, setup.round)
    client.force_login(staff)
    url = reverse("members-staff:round-detail", args=[round_.pk])
    due = _text(client.get(url))
    assert "has come: they are being released to applicants, within a minute." in due
    assert "automatically" not in due
    assert joining_release_due() == 2
    text = _text(client.get(url))
    assert (
        f"Decisions were released to applicants on {uk_date(round_.decisions_release_at)}"
    ) in text
    assert "on the round's release date. Each applicant has been emailed their decision." in text
    assert "before the release date" not in text
