"""Reviewers on Q Exchange shortlisting panels are told when proposals are given to them: once
per sharing out (with how many), and when staff hand them someone else's review, the way they
chose for "Proposals given to you to review"."""

from collections import Counter

import pytest
from django.conf import settings

from exchange.rounds.services import ExchangeError
from exchange.shortlist.kind import PROPOSAL_PANELS
from exchange.shortlist.services import (
    proposal_assignment_reassign,
    proposal_assignments_distribute,
)
from qcommunity.notifications.models import DigestItem
from qcommunity.notifications.services import notification_preferences_set
from qcommunity.outbox.models import OutboxEmail
from qcommunity.scoring.enums import AssignmentStatus
from qcommunity.scoring.services import workspace_declare_conflict
from tests.exchange.shortlist.helpers import shortlisting
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

KIND = "exchange_review_assignment"


def notifications():
    return OutboxEmail.objects.filter(kind="notification")


def given_counts(panel) -> Counter:
    return Counter(
        panel.assignments.filter(status=AssignmentStatus.ASSIGNED).values_list(
            "reviewer_id", flat=True
        )
    )


def test_each_reviewer_is_told_once_how_many_proposals_they_were_given():
    s = shortlisting(proposals=5, reviewers=3, reviews_needed=2)

    proposal_assignments_distribute(actor=s.staff, panel=s.panel)

    counts = given_counts(s.panel)
    assert sorted(counts.values()) == [3, 3, 4]
    assert notifications().count() == 3
    panel_url = f"{settings.SITE_URL}/exchange/panels/{s.panel.pk}/"
    for reviewer in s.reviewers:
        email = notifications().get(recipient=reviewer.email)
        n = counts[reviewer.pk]
        assert email.subject == f"{n} Q Exchange proposals given to you to review"
        assert f"{n} proposals in {s.round.name} have been given to you to review" in (
            email.body_text
        )
        assert '"Panel A"' in email.body_text
        assert "For each one, first say whether you have a conflict of interest" in (
            email.body_text
        )
        assert f"Read more: {panel_url}" in email.body_text
        assert "chose to hear about proposals given to you to review straight away" in (
            email.body_text
        )
    assert not notifications().filter(recipient=s.chair.email).exists()


def test_sharing_out_again_tells_only_those_given_something_new():
    s = shortlisting(proposals=2, reviewers=2, reviews_needed=1)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assert notifications().count() == 2

    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assert notifications().count() == 2

    [late] = s.proposals[:1]
    s.panel.assignments.filter(subject_id=late.pk).update(status=AssignmentStatus.WITHDRAWN)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)

    newest = notifications().latest("id")
    assert notifications().count() == 3
    assert newest.subject == "1 Q Exchange proposal given to you to review"
    assert "1 proposal in" in newest.body_text
    assert "has been given to you to review" in newest.body_text
    assert "First say whether you have a conflict of interest" in newest.body_text


def test_a_reviewer_who_turned_it_off_is_not_told_and_daily_waits_for_the_summary():
    s = shortlisting(proposals=3, reviewers=3, reviews_needed=1)
    off, daily, straight_away = s.reviewers
    notification_preferences_set(user=off, choices={KIND: "off"}, actor=off)
    notification_preferences_set(user=daily, choices={KIND: "daily"}, actor=daily)

    proposal_assignments_distribute(actor=s.staff, panel=s.panel)

    assert list(notifications().values_list("recipient", flat=True)) == [straight_away.email]
    item = DigestItem.objects.get()
    assert (item.user_id, item.kind, item.subject, item.url) == (
        daily.pk,
        KIND,
        "1 Q Exchange proposal given to you to review",
        f"/exchange/panels/{s.panel.pk}/",
    )
    assert not DigestItem.objects.filter(user=off).exists()


def test_sharing_out_runs_the_same_queries_however_many_proposals():
    """notify() costs a few queries per reviewer told; nothing may grow with the proposals."""

    def distribute_counting(proposals: int) -> int:
        s = shortlisting(proposals=proposals, reviewers=3, reviews_needed=2)
        before = notifications().count()
        queries, _ = count_queries(
            lambda: proposal_assignments_distribute(actor=s.staff, panel=s.panel)
        )
        assert notifications().count() - before == 3
        return queries

    distribute_counting(3)  # warm up one-off lookups (content types)
    few = distribute_counting(3)
    many = distribute_counting(24)

    assert few == many


def test_reassigning_tells_the_new_reviewer_only():
    s = shortlisting(proposals=1, reviewers=3, reviews_needed=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assignment = s.panel.assignments.order_by("id").first()
    ill = assignment.reviewer
    [free] = [r for r in s.reviewers if r.pk not in given_counts(s.panel)]
    already = set(notifications().values_list("pk", flat=True))

    new = proposal_assignment_reassign(actor=s.staff, assignment=assignment, to_user=free)

    [email] = notifications().exclude(pk__in=already)
    title = s.proposals[0].title
    assert email.recipient == free.email
    assert email.subject == f"\u201c{title}\u201d given to you to review"
    assert f'review of "{title}" on the shortlisting panel "Panel A"' in email.body_text
    assert (
        f"Read more: {settings.SITE_URL}/exchange/panels/assignments/{new.pk}/" in email.body_text
    )
    assert email.recipient != ill.email


def test_a_refused_reassignment_tells_nobody():
    s = shortlisting(proposals=1, reviewers=2, reviews_needed=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    first, second = s.panel.assignments.order_by("id")
    before = notifications().count()

    with pytest.raises(ExchangeError, match="cannot be given this: to review"):
        proposal_assignment_reassign(actor=s.staff, assignment=first, to_user=second.reviewer)

    assert notifications().count() == before


def test_a_declared_conflict_tells_the_reviewer_who_takes_the_proposal_over():
    s = shortlisting(proposals=1, reviewers=3, reviews_needed=1)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assignment = s.panel.assignments.get()
    before = set(notifications().values_list("pk", flat=True))

    moved = workspace_declare_conflict(
        PROPOSAL_PANELS,
        actor=assignment.reviewer,
        assignment=assignment,
        reason="I manage the lead",
    )

    [email] = notifications().exclude(pk__in=before)
    title = s.proposals[0].title
    assert email.recipient == moved.reviewer.email
    assert email.subject == f"\u201c{title}\u201d given to you to review"
    assert "in place of another reviewer" in email.body_text
    assert f"/exchange/panels/assignments/{moved.pk}/" in email.body_text
