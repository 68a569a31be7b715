"""Reminders for joining Q, through the reminders engine: drafts unsent as a round closes,
panel reviews due and overdue, and decisions the chair has not recorded."""

import datetime as dt

import pytest
from django.utils import timezone

from members.joining.services import (
    application_decide,
    application_submit,
    application_withdraw,
    round_close,
    round_create,
    round_open,
    round_transition,
)
from members.panels.kind import APPLICATION_PANELS
from qcommunity.core.formatting import uk_when
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail
from qcommunity.reminders.models import SentReminder
from qcommunity.reminders.services import reminders_send_due
from qcommunity.scoring.services import workspace_declare_conflict
from tests.factories.accounts import UserFactory
from tests.factories.joining import CRITERIA, SCALE, complete_draft
from tests.factories.panels import panel_in_review, staff_user, submit_review

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
DRAFTS = "members.joining_draft_closing"
REVIEWS = "members.joining_reviews_due"
DECISIONS = "members.joining_decisions_due"


@pytest.fixture
def staff():
    return staff_user()


def round_closing_in(staff, closes_in: dt.timedelta, name="Regional wave 4"):
    now = timezone.now().replace(second=0, microsecond=0)
    round_ = round_create(
        actor=staff,
        name=name,
        phase="regional",
        regions=[Region.WESSEX],
        opens_at=now - 2 * DAY,
        closes_at=now + closes_in,
        review_deadline=now + closes_in + 14 * DAY,
        decisions_release_at=now + closes_in + 21 * DAY,
        criteria=CRITERIA,
        scale=SCALE,
    )
    return round_open(actor=staff, round_=round_)


def sent(kind: str, recipient=None) -> list[dt.datetime]:
    rows = SentReminder.objects.filter(kind=kind)
    if recipient is not None:
        rows = rows.filter(recipient=recipient)
    return sorted(rows.values_list("due_date", flat=True))


def emails_to(user, template: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(recipient=user.email, kind=template).order_by("id"))


# Drafts ----------------------------------------------------------------------------------------


def test_draft_is_reminded_7_days_and_1_day_before_closing_once_each(staff):
    round_ = round_closing_in(staff, 10 * DAY)
    applicant = UserFactory()
    draft = complete_draft(applicant, round_)
    closes = round_.closes_at

    assert reminders_send_due(now=closes - 7 * DAY - HOUR) == 0
    assert reminders_send_due(now=closes - 7 * DAY) == 1
    assert reminders_send_due(now=closes - 7 * DAY + 15 * dt.timedelta(minutes=1)) == 0
    assert reminders_send_due(now=closes - 2 * DAY) == 0
    assert reminders_send_due(now=closes - DAY - HOUR) == 0
    assert reminders_send_due(now=closes - DAY + HOUR) == 1
    assert reminders_send_due(now=closes - DAY + 2 * HOUR) == 0

    assert sent(DRAFTS) == [closes - 7 * DAY, closes - DAY]
    week, day = emails_to(applicant, "reminder_joining_draft_closing")
    assert week.subject == (
        "Your application to join Q is not sent yet: Regional wave 4 closes "
        + uk_when(closes, now=closes - 7 * DAY)
    )
    assert uk_when(closes, now=closes - 7 * DAY).startswith("on ")
    # Sent an hour late, about 23 hours before closing: it closes "tomorrow" or "today", by
    # the calendar, never "in 1 days".
    assert day.subject == (
        "Your application to join Q is not sent yet: Regional wave 4 closes "
        + uk_when(closes, now=closes - DAY + HOUR)
    )
    link = f"http://127.0.0.1:8000/join/applications/{draft.pk}/edit/"
    assert link in week.body_text
    assert f'href="{link}"' in week.body_html
    assert week.related_id == str(draft.pk)


def test_submitted_and_withdrawn_drafts_get_nothing(staff):
    round_ = round_closing_in(staff, 10 * DAY)
    submitter, withdrawer, waiting = UserFactory(), UserFactory(), UserFactory()
    application_submit(actor=submitter, application=complete_draft(submitter, round_))
    application_withdraw(actor=withdrawer, application=complete_draft(withdrawer, round_))
    complete_draft(waiting, round_)

    assert reminders_send_due(now=round_.closes_at - 7 * DAY) == 1
    assert reminders_send_due(now=round_.closes_at - DAY) == 1

    reminded = OutboxEmail.objects.filter(kind="reminder_joining_draft_closing")
    assert list(reminded.values_list("recipient", flat=True)) == [waiting.email] * 2


def test_a_draft_started_after_the_first_reminder_time_gets_only_the_last(staff):
    # The round closes in 7 days less 2 hours: the week-before reminder time has just passed
    # (within the grace), but the draft did not exist then.
    round_ = round_closing_in(staff, 7 * DAY - 2 * HOUR)
    applicant = UserFactory()
    complete_draft(applicant, round_)

    assert reminders_send_due(now=timezone.now()) == 0
    assert reminders_send_due(now=round_.closes_at - DAY) == 1
    assert sent(DRAFTS) == [round_.closes_at - DAY]


def test_a_round_closed_early_sends_no_draft_reminders(staff):
    round_ = round_closing_in(staff, 10 * DAY)
    complete_draft(UserFactory(), round_)
    round_close(actor=staff, round_=round_)

    assert reminders_send_due(now=round_.closes_at - 7 * DAY) == 0
    assert reminders_send_due(now=round_.closes_at - DAY) == 0


# Reviews ---------------------------------------------------------------------------------------


def test_reviewers_are_reminded_3_days_before_the_deadline_once_per_panel(staff):
    setup = panel_in_review(staff, applications=3, reviewers=2)
    deadline = setup.round.review_deadline
    first, second = setup.reviewers

    assert reminders_send_due(now=deadline - 3 * DAY - HOUR) == 0
    assert reminders_send_due(now=deadline - 3 * DAY) == 2
    assert reminders_send_due(now=deadline - 3 * DAY + HOUR) == 0

    assert sent(REVIEWS, first) == sent(REVIEWS, second) == [deadline - 3 * DAY]
    (email,) = emails_to(first, "reminder_joining_reviews_due")
    assert email.subject.startswith("3 reviews for Regional wave 3 due by ")
    assert "You have 3 applications to review for the Wessex panel (Regional wave 3)" in (
        email.body_text
    )
    assert f"http://127.0.0.1:8000/panels/{setup.panel.pk}/" in email.body_text
    assert not emails_to(setup.chair, "reminder_joining_reviews_due")


def test_reviewer_who_declared_a_conflict_or_submitted_gets_nothing(staff):
    setup = panel_in_review(staff, applications=1, reviewers=3)
    conflicted, done = [a.reviewer for a in setup.panel.assignments.order_by("id")]
    (assignment,) = setup.assignments_of(conflicted)
    workspace_declare_conflict(
        APPLICATION_PANELS,
        actor=conflicted,
        assignment=assignment,
        reason="I manage the applicant.",
    )
    submit_review(setup.assignments_of(done)[0], [2, 2, 2])
    (stand_in,) = [r for r in setup.reviewers if r not in (conflicted, done)]

    assert reminders_send_due(now=setup.round.review_deadline - 3 * DAY) == 1
    assert reminders_send_due(now=setup.round.review_deadline + DAY) == 1

    assert set(SentReminder.objects.values_list("recipient", flat=True)) == {stand_in.pk}


def test_overdue_reviews_are_chased_daily_then_stop_at_the_cap(staff):
    setup = panel_in_review(staff, applications=1, reviewers=2)
    deadline = setup.round.review_deadline
    late, prompt = setup.reviewers
    submit_review(setup.assignments_of(prompt)[0], [2, 2, 2])

    per_day = []
    for day in range(18):
        now = deadline + day * DAY + HOUR
        reminders_send_due(now=now)
        reminders_send_due(now=now + HOUR)  # a second run the same day sends nothing more
        per_day.append(len(sent(REVIEWS, late)))

    # Day 0 is the deadline itself (not overdue yet): then one a day for 14 days, then none.
    assert per_day == [0, *range(1, 15), 14, 14, 14]
    assert sent(REVIEWS, late) == [deadline + n * DAY for n in range(1, 15)]
    assert not sent(REVIEWS, prompt)
    overdue = emails_to(late, "reminder_joining_reviews_due")[0]
    assert overdue.subject == "Overdue: 1 review still to do for Regional wave 3"
    assert "You still have 1 application to review." in overdue.body_text


def test_overdue_reminders_stop_when_the_reviews_are_in(staff):
    setup = panel_in_review(staff, applications=1, reviewers=2)
    deadline = setup.round.review_deadline
    reviewer = setup.reviewers[0]

    assert reminders_send_due(now=deadline + DAY) >= 1
    submit_review(setup.assignments_of(reviewer)[0], [1, 2, 3])
    reminders_send_due(now=deadline + 2 * DAY)

    assert sent(REVIEWS, reviewer) == [deadline + DAY]


# Decisions -------------------------------------------------------------------------------------


def test_chair_is_reminded_of_applications_ready_for_a_decision_from_the_deadline(staff):
    setup = panel_in_review(staff, applications=2, reviewers=2)
    deadline = setup.round.review_deadline
    ready, waiting = setup.applications
    first, second = setup.reviewers
    for assignment in setup.assignments_of(first):
        submit_review(assignment, [2, 2, 2])
    submit_review(
        next(a for a in setup.assignments_of(second) if a.subject_id == ready.pk), [3, 3, 3]
    )

    reminders_send_due(now=deadline - HOUR)
    assert not sent(DECISIONS)
    reminders_send_due(now=deadline)
    reminders_send_due(now=deadline + HOUR)
    assert sent(DECISIONS, setup.chair) == [deadline]
    (email,) = emails_to(setup.chair, "reminder_joining_decisions_due")
    assert email.subject == (
        "Decisions to record: 1 application for the Wessex panel (Regional wave 3)"
    )
    assert f"http://127.0.0.1:8000/panels/{setup.panel.pk}/chair/" in email.body_text

    # Deciding the ready application leaves nothing to decide (the other still has a review
    # to come), so the next day brings no reminder.
    application_decide(actor=setup.chair, application=ready, accept=True, rationale="Strong.")
    reminders_send_due(now=deadline + DAY)
    assert sent(DECISIONS) == [deadline]

    # The last review comes in: the next day's reminder goes.
    submit_review(
        next(a for a in setup.assignments_of(second) if a.subject_id == waiting.pk), [1, 1, 1]
    )
    reminders_send_due(now=deadline + 2 * DAY)
    assert sent(DECISIONS) == [deadline, deadline + 2 * DAY]


def test_decision_reminders_are_daily_and_stop_at_the_cap(staff):
    setup = panel_in_review(staff, applications=1, reviewers=2)
    deadline = setup.round.review_deadline
    for reviewer in setup.reviewers:
        submit_review(setup.assignments_of(reviewer)[0], [2, 2, 2])

    for day in range(17):
        reminders_send_due(now=deadline + day * DAY + HOUR)
        reminders_send_due(now=deadline + day * DAY + 2 * HOUR)

    assert sent(DECISIONS, setup.chair) == [deadline + n * DAY for n in range(14)]
    assert SentReminder.objects.filter(kind=DECISIONS).count() == 14
    assert not SentReminder.objects.filter(kind=REVIEWS).exists()


def test_no_panel_reminders_once_the_round_has_moved_on(staff):
    setup = panel_in_review(staff, applications=1, reviewers=2)
    for reviewer in setup.reviewers:
        submit_review(setup.assignments_of(reviewer)[0], [2, 2, 2])
    application_decide(
        actor=setup.chair, application=setup.applications[0], accept=True, rationale="Strong"
    )
    round_transition(actor=staff, round_=setup.round, action="mark_decided")

    assert reminders_send_due(now=setup.round.review_deadline - 3 * DAY) == 0
    assert reminders_send_due(now=setup.round.review_deadline + DAY) == 0
    assert not SentReminder.objects.exists()
