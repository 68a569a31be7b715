"""Q Exchange's lines on the staff home: reported comments waiting for moderation and
shortlisting panels past their deadline. Counts are right straight after changes made through
the pages; each provider answers in a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.comments.attention import reported_comment_lines
from exchange.comments.services import comment_post
from exchange.rounds.services import round_update_dates
from exchange.shortlist.attention import overdue_panel_lines
from exchange.shortlist.services import proposal_assignments_distribute
from qcommunity.scoring.enums import AssignmentStatus
from tests.attention import attention_text
from tests.exchange.comments.helpers import make_thread, member, open_proposal
from tests.exchange.shortlist.helpers import shortlisting
from tests.factories.panels import staff_user
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def report_url(comment) -> str:
    return reverse(
        "exchange:comment-report", kwargs={"slug": comment.proposal.slug, "pk": comment.pk}
    )


def test_reported_comments_rise_with_a_report_and_fall_when_moderated(client):
    staff = staff_user()
    proposal = open_proposal()
    first = comment_post(actor=member(), proposal=proposal, body="Buy my book")
    second = comment_post(actor=member(), proposal=proposal, body="You are all fools")
    client.force_login(staff)
    assert "waits for moderation" not in attention_text(client)
    for comment in (first, second):
        client.force_login(member())
        assert client.post(report_url(comment), {"reason": "Not right"}).status_code == 302
    client.force_login(staff)
    assert "2 reported comments in Q Exchange wait for moderation." in attention_text(client)
    dismiss = reverse("exchange:moderation-comment-dismiss", kwargs={"pk": first.pk})
    assert client.post(dismiss).status_code == 302
    assert "1 reported comment in Q Exchange waits for moderation." in attention_text(client)
    hide = reverse("exchange:moderation-comment-hide", kwargs={"pk": second.pk})
    assert client.post(hide, {"reason": "Abuse is not allowed"}).status_code == 302
    assert "waits for moderation" not in attention_text(client)


def test_reported_comments_answer_in_one_query():
    proposal = open_proposal()
    reporter = member()
    make_thread(proposal, 3, authors=[member()], reporter=reporter)
    now = timezone.now()
    one, _ = count_queries(lambda: reported_comment_lines(now))
    make_thread(proposal, 30, authors=[member()], reporter=reporter)
    many, _ = count_queries(lambda: reported_comment_lines(now))
    assert one == many == 1
    assert reported_comment_lines(now)[0].count == 11


def _voting_closed(setup):
    now = timezone.now()
    return round_update_dates(
        actor=setup.staff,
        round_=setup.round,
        dates={
            "voting_closes_at": now - dt.timedelta(hours=1),
            "decisions_at": now + dt.timedelta(days=10),
        },
    )


def test_overdue_shortlisting_panel_shows_once_voting_closes_and_falls_with_a_conflict(client):
    setup = shortlisting(proposals=2, reviewers=2, reviews_needed=2)
    proposal_assignments_distribute(actor=setup.staff, panel=setup.panel)
    client.force_login(setup.staff)
    assert "Panel A" not in attention_text(client)
    _voting_closed(setup)
    text = attention_text(client)
    assert "Panel A (" in text
    assert "has 4 reviews still to do, due when voting closed" in text
    assignment = setup.panel.assignments.filter(status=AssignmentStatus.ASSIGNED).first()
    client.force_login(assignment.reviewer)
    url = reverse("exchange:shortlist-assignment", args=[assignment.pk])
    assert client.post(url, {"has_conflict": "yes", "reason": "My team"}).status_code == 302
    client.force_login(setup.staff)
    assert "has 3 reviews still to do" in attention_text(client)
    staff_page = reverse("exchange-staff:panel-detail", args=[setup.round.pk, setup.panel.pk])
    assert f'href="{staff_page}"' in client.get(reverse("core-staff:index")).content.decode()


def test_overdue_shortlisting_panels_answer_in_fixed_queries():
    setups = [shortlisting(proposals=1, reviewers=1, reviews_needed=1) for _ in range(3)]
    for setup in setups:
        proposal_assignments_distribute(actor=setup.staff, panel=setup.panel)
    _voting_closed(setups[0])
    now = timezone.now()
    one, _ = count_queries(lambda: overdue_panel_lines(now))
    for setup in setups[1:]:
        _voting_closed(setup)
    many, _ = count_queries(lambda: overdue_panel_lines(now))
    assert len(overdue_panel_lines(now)) == 3
    assert one == many == 2
