"""Joining Q's lines on the staff home: applications short of reviews, panels past their
review deadline, decisions not yet released. Each count is right straight after a change made
through the pages, and each provider answers in a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from members.joining.attention import unreleased_decision_lines
from members.joining.services import round_update
from members.panels.attention import overdue_panel_lines, short_of_reviews_lines
from qcommunity.core.taxonomy import Region
from qcommunity.scoring.enums import AssignmentStatus
from tests.attention import attention_text
from tests.factories.panels import panel_in_review, staff_user
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staff_user()


def _scores(panel, value="2"):
    criteria = list(panel.scheme.criteria.order_by("position"))
    data = {f"criterion_{c.pk}": value for c in criteria}
    data.update({f"comment_{c.pk}": "My view" for c in criteria})
    return {**data, "recommendation": "support", "comment": "Strong overall"}


def review_through_the_site(client, assignment):
    """The reviewer answers the conflict question, scores, checks and submits."""
    client.force_login(assignment.reviewer)
    detail = reverse("members:assignment-detail", args=[assignment.pk])
    assert client.post(detail, {"has_conflict": "no"}).status_code == 302
    review = reverse("members:assignment-review", args=[assignment.pk])
    client.post(review, _scores(assignment.panel))
    check = reverse("members:assignment-check", args=[assignment.pk])
    assert client.post(check).status_code == 302


def move_review_deadline(staff, round_, *, days: int):
    now = timezone.now()
    return round_update(
        actor=staff,
        round_=round_,
        name=round_.name,
        phase=round_.phase,
        regions=round_.regions,
        reviews_needed=round_.reviews_needed,
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=30),
        review_deadline=now + dt.timedelta(days=days),
        decisions_release_at=now + dt.timedelta(days=30),
    )


def test_short_of_reviews_counts_each_round_and_falls_as_reviews_come_in(client, staff):
    setup = panel_in_review(staff, applications=2)
    client.force_login(staff)
    text = attention_text(client)
    assert "2 applications in Regional wave 3 have fewer reviews than their panel needs." in text
    # One application gets both reviews through the pages: one left short.
    for assignment in setup.panel.assignments.filter(subject_id=setup.applications[0].pk):
        review_through_the_site(client, assignment)
    client.force_login(staff)
    text = attention_text(client)
    assert "1 application in Regional wave 3 has fewer reviews than its panel needs." in text
    link = reverse("members-staff:panel-list", kwargs={"round": setup.round.pk})
    page = client.get(reverse("core-staff:index")).content.decode()
    assert f'href="{link}"' in page


def test_short_of_reviews_answers_in_one_query_for_one_round_or_many(staff):
    panel_in_review(staff, applications=1)
    now = timezone.now()
    one, _ = count_queries(lambda: short_of_reviews_lines(now))
    for n in range(3):
        panel_in_review(staff, applications=2, name=f"Wave {n + 10}", region=Region.WESSEX)
    many, _ = count_queries(lambda: short_of_reviews_lines(now))
    assert len(short_of_reviews_lines(now)) == 4
    assert one == many == 2  # the counts, then the rounds


def test_overdue_panel_shows_after_its_deadline_and_falls_with_a_conflict_declared(client, staff):
    setup = panel_in_review(staff, applications=2)
    client.force_login(staff)
    assert "past its review deadline" not in attention_text(client)
    # The deadline passes (the round's dates moved back, as time passing would).
    move_review_deadline(staff, setup.round, days=-1)
    text = attention_text(client)
    assert "Wessex panel (Regional wave 3) is past its review deadline" in text
    assert "with 4 reviews still to do." in text
    # A reviewer declares a conflict through the pages: one review fewer to do.
    assignment = setup.panel.assignments.filter(status=AssignmentStatus.ASSIGNED).first()
    client.force_login(assignment.reviewer)
    detail = reverse("members:assignment-detail", args=[assignment.pk])
    assert client.post(detail, {"has_conflict": "yes", "reason": "My sister"}).status_code == 302
    client.force_login(staff)
    assert "with 3 reviews still to do." in attention_text(client)


def test_overdue_panels_answer_in_fixed_queries(staff):
    setup = panel_in_review(staff, applications=1)
    move_review_deadline(staff, setup.round, days=-1)
    now = timezone.now()
    one, _ = count_queries(lambda: overdue_panel_lines(now))
    for n in range(3):
        more = panel_in_review(staff, applications=2, name=f"Wave {n + 10}")
        move_review_deadline(staff, more.round, days=-1)
    many, _ = count_queries(lambda: overdue_panel_lines(now))
    assert len(overdue_panel_lines(now)) == 4
    assert one == many == 2


def test_unreleased_decisions_follow_the_chair_and_release(client, staff):
    setup = panel_in_review(staff, applications=2)
    client.force_login(staff)
    assert "2 applications in Regional wave 3 still wait for a decision" in attention_text(client)
    for assignment in setup.panel.assignments.all():
        review_through_the_site(client, assignment)
    client.force_login(setup.chair)
    for application in setup.applications:
        url = reverse("members:chair-application", args=[setup.panel.pk, application.pk])
        response = client.post(url, {"decision": "accept", "rationale": "Clear yes"})
        assert response.status_code == 302
    client.force_login(staff)
    text = attention_text(client)
    assert "2 decisions in Regional wave 3 are recorded: mark all decisions recorded" in text
    mark = reverse("members-staff:round-transition", args=[setup.round.pk, "mark_decided"])
    assert client.post(mark).status_code == 302
    assert "2 decisions in Regional wave 3 are recorded and wait for release" in (
        attention_text(client)
    )
    release = reverse("members-staff:round-transition", args=[setup.round.pk, "release"])
    assert client.post(release).status_code == 302
    assert "Regional wave 3" not in attention_text(client)


def test_unreleased_decisions_answer_in_one_query(staff):
    panel_in_review(staff, applications=1)
    now = timezone.now()
    one, _ = count_queries(lambda: unreleased_decision_lines(now))
    for n in range(3):
        panel_in_review(staff, applications=2, name=f"Wave {n + 10}")
    many, _ = count_queries(lambda: unreleased_decision_lines(now))
    assert len(unreleased_decision_lines(now)) == 4
    assert one == many == 1
