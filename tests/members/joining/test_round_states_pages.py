"""Pages that outlive their moment: every sentence about a round's dates and decisions follows
where the round is. A round is walked through its states (draft, open, closed, reviewing,
decided, past its release date, released) and each page is read for its key sentence: the
staff round page, the staff panels page, the chair's workspace and application page, the
reviewer's panel pages, the applicant's application page and the report."""

import re

import pytest
from django.urls import reverse

from members.joining.services import (
    application_decide,
    round_release_decisions_now,
    round_transition,
)
from qcommunity.core.formatting import uk_date, uk_datetime
from tests.factories.joining import make_round
from tests.factories.panels import panel_in_review, staff_user, submit_review, submitted_application
from tests.factories.release import RATIONALE, move_release_to_the_past

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staff_user()


def _text(client, url, user) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_draft_and_open_rounds_speak_of_what_is_to_come(client, staff):
    round_ = make_round(staff, open_now=False)
    page = _text(client, reverse("members-staff:round-detail", args=[round_.pk]), staff)
    assert f"Opens {uk_datetime(round_.opens_at)}" in page
    assert f"Closes {uk_datetime(round_.closes_at)}" in page
    assert f"Decisions to be released {uk_datetime(round_.decisions_release_at)}" in page
    assert "Once the round has closed, send its applications to the panels" in page
    report = _text(client, reverse("members-staff:round-report", args=[round_.pk]), staff)
    assert "No decisions have been recorded yet" in report
    round_ = round_transition(actor=staff, round_=round_, action="open")
    page = _text(client, reverse("members-staff:round-detail", args=[round_.pk]), staff)
    assert f"Opened {uk_datetime(round_.opens_at)}" in page
    application = submitted_application(round_)
    mine = _text(
        client,
        reverse("members:application-detail", kwargs={"pk": application.pk}),
        application.applicant,
    )
    assert f"will read it after the round closes on {uk_datetime(round_.closes_at)}" in mine
    assert f"A decision will be sent to you on {uk_date(round_.decisions_release_at)}" in mine


def test_closing_early_shows_when_it_closed_not_the_old_date(client, staff):
    round_ = make_round(staff)
    application = submitted_application(round_)
    old_close = round_.closes_at
    client.force_login(staff)
    client.post(reverse("members-staff:round-transition", args=[round_.pk, "close"]))
    round_.refresh_from_db()
    assert round_.closes_at < old_close
    page = _text(client, reverse("members-staff:round-detail", args=[round_.pk]), staff)
    assert f"Closed {uk_datetime(round_.closes_at)}" in page
    assert uk_datetime(old_close) not in page
    assert "The round has closed. Check each region has a panel" in page
    assert "Once the round has closed" not in page
    mine = _text(
        client,
        reverse("members:application-detail", kwargs={"pk": application.pk}),
        application.applicant,
    )
    assert f"The round closed on {uk_datetime(round_.closes_at)}." in mine
    assert uk_datetime(old_close) not in mine


def _pages(setup, staff):
    application = setup.applications[0]
    return {
        "staff round": (reverse("members-staff:round-detail", args=[setup.round.pk]), staff),
        "staff panels": (reverse("members-staff:panel-list", args=[setup.round.pk]), staff),
        "report": (reverse("members-staff:round-report", args=[setup.round.pk]), staff),
        "chair": (reverse("members:chair", args=[setup.panel.pk]), setup.chair),
        "chair application": (
            reverse("members:chair-application", args=[setup.panel.pk, application.pk]),
            setup.chair,
        ),
        "reviewer panel": (
            reverse("members:panel-detail", args=[setup.panel.pk]),
            setup.reviewers[0],
        ),
        "reviewer panels": (reverse("members:panel-list"), setup.reviewers[0]),
        "applicant": (
            reverse("members:application-detail", kwargs={"pk": application.pk}),
            application.applicant,
        ),
    }


def _read(client, setup, staff) -> dict[str, str]:
    return {name: _text(client, url, user) for name, (url, user) in _pages(setup, staff).items()}


def test_every_page_follows_the_round_from_review_to_release(client, staff):
    setup = panel_in_review(staff)
    release = uk_date(setup.round.decisions_release_at)

    # Reviewing.
    pages = _read(client, setup, staff)
    assert "The panels are reviewing the applications." in pages["staff round"]
    assert "send its applications to the panels" not in pages["staff round"]
    assert "Applications have been sent to the panels." in pages["staff panels"]
    assert (
        f"Reviews are due by {uk_datetime(setup.round.review_deadline)}" in pages["reviewer panel"]
    )
    assert "Reviews are due by" in pages["reviewer panels"]
    assert (
        f"released to applicants together on {release}; until then you can change them"
        in (pages["chair"])
    )
    assert f"The applicant is told on {release}" in pages["chair application"]
    assert "are reading your application" in pages["applicant"]
    assert f"A decision will be sent to you on {release}" in pages["applicant"]

    # Every decision recorded and marked.
    for assignment in setup.panel.assignments.all():
        submit_review(assignment, [2, 2, 2])
    application_decide(
        actor=setup.chair, application=setup.applications[0], accept=True, rationale=RATIONALE
    )
    round_transition(actor=staff, round_=setup.round, action="mark_decided")
    pages = _read(client, setup, staff)
    assert "The panels have finished: every application has a decision." in pages["staff round"]
    assert "You can release them now instead." in pages["staff round"]
    assert "The panels have finished: every decision is recorded." in pages["staff panels"]
    assert "Every decision for this round is recorded." in pages["reviewer panel"]
    assert "until then you can change them" in pages["chair"]
    assert f"Not yet: on {release}" in pages["chair application"]
    assert "Keep them within the staff team until decisions are released on" in pages["report"]
    assert f"A decision will be sent to you on {release}" in pages["applicant"]

    # The release date has passed, decisions not out yet (the task runs within a minute).
    round_ = move_release_to_the_past(staff, setup.round)
    past = uk_date(round_.decisions_release_at)
    pages = _read(client, setup, staff)
    assert "they are being released to applicants, within a minute" in pages["staff round"]
    assert f"The release date, {past}, has passed" in pages["chair"]
    assert "until then you can change them" not in pages["chair"]
    assert "Not yet: as soon as every decision is recorded" in pages["chair application"]
    assert f"The date set for decisions, {past}, has passed." in pages["applicant"]
    assert "A decision will be sent to you on" not in pages["applicant"]

    # Released by staff.
    round_release_decisions_now(actor=staff, round_=round_)
    round_.refresh_from_db()
    pages = _read(client, setup, staff)
    assert "Decisions were released to applicants on" in pages["staff round"]
    for name, text in pages.items():
        assert "until then you can change them" not in text, name
        assert "send its applications to the panels" not in text, name
        assert "A decision will be sent to you" not in text, name
        assert "Reviews are due by" not in text, name
    assert "so they can no longer change" in pages["chair"]
    assert "Decisions for this round have been released to applicants." in pages["reviewer panel"]
    assert "Decisions for this round have been released to applicants." in pages["reviewer panels"]
    assert "decisions have been released to applicants" in pages["staff panels"]
    assert (
        f"Decisions were released to applicants on {uk_date(round_.decisions_release_at)}"
        in (pages["report"])
    )
    assert "Welcome to Q" in pages["applicant"]


def test_a_round_without_decisions_does_not_say_decisions_went_out(client, staff):
    round_ = make_round(staff)
    for action in ("close", "start_review", "mark_decided"):
        round_ = round_transition(actor=staff, round_=round_, action=action)
    round_release_decisions_now(actor=staff, round_=round_)
    page = _text(client, reverse("members-staff:round-detail", args=[round_.pk]), staff)
    assert "No application reached a decision in this round" in page
    assert "Each applicant has been emailed" not in page
