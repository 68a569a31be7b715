"""Shortlisting pages (issue 6 point 6): staff set criteria, create panels, add people and share
proposals out; reviewers answer the conflict question, score, then see the others' scores; the
chair and moderators see the overview with engagement, linking to the decision page."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.models import Round
from exchange.services_shortlist import proposal_assignments_distribute
from qcommunity.accounts.enums import Role
from qcommunity.scoring.enums import AssignmentStatus
from qcommunity.scoring.models import Panel
from tests.exchange.shortlist_helpers import add_proposals, comment, score, shortlisting
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round
from tests.factories.panels import staff_user, two_factor_user
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def column_headers(page: str) -> list[str]:
    return re.findall(r'scope="col"\s*>\s*(.*?)\s*</th>', page)


def criteria_data(**overrides):
    data = {
        "criterion_1_title": "Impact",
        "criterion_1_description": "The difference it makes",
        "criterion_2_title": "Feasibility",
        "criterion_2_description": "Whether it can be done",
    }
    for i, (value, label) in enumerate([(1, "Weak"), (2, "Fair"), (3, "Good")], start=1):
        data |= {
            f"scale_{i}_value": value,
            f"scale_{i}_label": label,
            f"scale_{i}_descriptor": f"{label} answer",
        }
    return data | overrides


def test_staff_set_the_criteria_then_create_a_panel_and_add_people(client_for):
    staff = staff_user()
    round_ = make_exchange_round()
    client = client_for(staff)
    url = reverse("exchange-staff:round-criteria", args=[round_.pk])
    page = client.get(url).content.decode()
    assert "Not shown" in page  # a starting scale to edit
    # A criterion without its meaning is refused and what was typed is kept.
    response = client.post(url, criteria_data(criterion_2_description=""))
    assert "Say what criterion 2 means for reviewers" in response.content.decode()
    assert 'value="Feasibility"' in response.content.decode()
    response = client.post(url, criteria_data())
    assert response.status_code == 302
    round_.refresh_from_db()
    assert [c.title for c in round_.scheme.criteria.all()] == ["Impact", "Feasibility"]
    assert list(round_.scheme.scale_points.values_list("value", flat=True)) == [1, 2, 3]

    panels_url = reverse("exchange-staff:round-panels", args=[round_.pk])
    response = client.post(panels_url, {"name": "Panel A", "reviews_needed": "2"})
    panel = Panel.objects.get(name="Panel A")
    assert response.headers["Location"] == reverse(
        "exchange-staff:panel-detail", args=[round_.pk, panel.pk]
    )
    volunteer = UserFactory(roles=[Role.MEMBER], email="volunteer@example.org")
    detail = reverse("exchange-staff:panel-detail", args=[round_.pk, panel.pk])
    response = client.post(detail, {"email": "volunteer@example.org", "role": "reviewer"})
    assert response.status_code == 302
    assert panel.members.filter(user=volunteer).exists()
    response = client.post(detail, {"email": "nobody@example.org", "role": "reviewer"})
    assert "Enter the email address of someone with an account" in response.content.decode()


def test_sharing_out_from_the_panel_page_and_criteria_then_locked(client_for):
    s = shortlisting(proposals=3)
    client = client_for(s.staff)
    url = reverse("exchange-staff:panel-distribute", args=[s.round.pk, s.panel.pk])
    response = client.post(url, follow=True)
    assert "6 reviews given out." in response.content.decode()
    page = client.get(reverse("exchange-staff:round-criteria", args=[s.round.pk])).content.decode()
    assert "Shortlisting has started" in page
    response = client.post(
        reverse("exchange-staff:round-criteria", args=[s.round.pk]), criteria_data()
    )
    assert s.round.scheme.criteria.count() == 2  # disabled fields: nothing changed


def test_a_reviewer_declares_no_conflict_scores_then_sees_the_other_scores(client_for):
    s = shortlisting(proposals=1, reviewers=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    mine, theirs = s.panel.assignments.order_by("id")
    client = client_for(mine.reviewer)
    panel_page = client.get(reverse("exchange:shortlist-panel", args=[s.panel.pk]))
    assert s.proposals[0].title in panel_page.content.decode()
    start = reverse("exchange:shortlist-assignment", args=[mine.pk])
    review = reverse("exchange:shortlist-review", args=[mine.pk])
    assert client.get(review).headers["Location"] == start  # the conflict question first
    assert "any conflict of interest" in client.get(start).content.decode()
    assert client.post(start, {"has_conflict": "no"}).headers["Location"] == review

    criteria = list(s.panel.scheme.criteria.all())
    typed = {f"criterion_{criteria[0].pk}": "3", f"comment_{criteria[0].pk}": "Clear aims"}
    response = client.post(review, typed)
    page = response.content.decode()
    assert "for \u201cFeasibility\u201d" in page
    assert "Clear aims" in page
    score(theirs, [0, 1])
    response = client.post(
        review,
        typed | {f"criterion_{criteria[1].pk}": "4", "recommendation": "support"},
    )
    assert response.headers["Location"] == start
    page = client.get(start).content.decode()
    assert "Your score" in page
    assert "Reviewer" in page
    assert "Differ by 3" in page  # 3 against 0 on Impact


def test_a_reviewer_does_not_see_other_scores_before_submitting(client_for):
    s = shortlisting(proposals=1, reviewers=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    mine, theirs = s.panel.assignments.order_by("id")
    score(theirs, [4, 4])
    client = client_for(mine.reviewer)
    client.post(reverse("exchange:shortlist-assignment", args=[mine.pk]), {"has_conflict": "no"})
    page = client.get(reverse("exchange:shortlist-review", args=[mine.pk])).content.decode()
    assert theirs.reviewer.get_full_name() not in page


def test_declaring_a_conflict_hands_the_proposal_on(client_for):
    s = shortlisting(proposals=1, reviewers=3, reviews_needed=1)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    mine = s.panel.assignments.get()
    client = client_for(mine.reviewer)
    url = reverse("exchange:shortlist-assignment", args=[mine.pk])
    response = client.post(url, {"has_conflict": "yes", "reason": ""})
    assert "Say briefly what the conflict is" in response.content.decode()
    response = client.post(url, {"has_conflict": "yes", "reason": "My manager leads it"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.CONFLICT
    assert s.panel.assignments.filter(status=AssignmentStatus.ASSIGNED).count() == 1


def test_the_overview_sorts_by_range_shows_engagement_and_links_to_decisions(client_for):
    s = shortlisting(proposals=2, reviewers=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    calm, split = s.proposals
    calm_assignments = s.panel.assignments.filter(subject_id=calm.pk).order_by("id")
    for assignment, values in zip(calm_assignments, ([3, 3], [3, 2]), strict=True):
        score(assignment, values)
    split_assignments = s.panel.assignments.filter(subject_id=split.pk).order_by("id")
    for assignment, values in zip(split_assignments, ([4, 4], [0, 1]), strict=True):
        score(assignment, values)
    comment(split, UserFactory(roles=[Role.MEMBER]))
    page = (
        client_for(s.chair)
        .get(reverse("exchange:shortlist-overview", args=[s.panel.pk]))
        .content.decode()
    )
    assert page.index(split.title) < page.index(calm.title)  # largest range first
    headers = column_headers(page)
    assert "Edits after feedback" in headers
    assert "Votes" not in headers
    moderator = two_factor_user(roles=[Role.MEMBER, Role.EXCHANGE_MODERATOR])
    page = (
        client_for(moderator)
        .get(reverse("exchange:shortlist-overview", args=[s.panel.pk]) + "?sort=submitted")
        .content.decode()
    )
    assert page.index(calm.title) < page.index(split.title)
    assert reverse("exchange:proposal-decide", kwargs={"slug": split.slug}) in page


def test_votes_and_supporters_show_only_once_voting_has_closed(client_for):
    s = shortlisting(proposals=1, reviewers=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    url = reverse("exchange:shortlist-overview", args=[s.panel.pk])
    client = client_for(s.chair)
    assert "Votes" not in column_headers(client.get(url).content.decode())
    Round.objects.filter(pk=s.round.pk).update(
        voting_closes_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert {"Supporters", "Votes"} <= set(column_headers(client.get(url).content.decode()))


def test_pages_are_not_found_for_people_off_the_panel_and_other_panels(client_for):
    s = shortlisting(proposals=1, reviewers=2)
    other = shortlisting(proposals=1, reviewers=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    mine = s.panel.assignments.order_by("id").first()
    outsider = other.reviewers[0]  # on a panel, but not this one
    client = client_for(outsider)
    for url in (
        reverse("exchange:shortlist-panel", args=[s.panel.pk]),
        reverse("exchange:shortlist-overview", args=[s.panel.pk]),
        reverse("exchange:shortlist-assignment", args=[mine.pk]),
        reverse("exchange:shortlist-review", args=[mine.pk]),
    ):
        assert client.get(url).status_code == 404, url
    # A reviewer on the panel is not its chair: no overview, and not someone else's assignment.
    neighbour = next(r for r in s.reviewers if r.pk != mine.reviewer_id)
    client = client_for(neighbour)
    assert client.get(reverse("exchange:shortlist-overview", args=[s.panel.pk])).status_code == 404
    assert client.get(reverse("exchange:shortlist-assignment", args=[mine.pk])).status_code == 404
    # Staff reach the overview but never a reviewer's own work.
    client = client_for(s.staff)
    assert client.get(reverse("exchange:shortlist-overview", args=[s.panel.pk])).status_code == 200
    assert client.get(reverse("exchange:shortlist-assignment", args=[mine.pk])).status_code == 404
    # A panel of another round under this round's address.
    wrong = reverse("exchange-staff:panel-detail", args=[s.round.pk, other.panel.pk])
    assert client.get(wrong).status_code == 404


def test_overview_queries_do_not_grow_with_proposals(client_for):
    s = shortlisting(proposals=1, reviewers=3)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    for assignment in s.panel.assignments.all()[:1]:
        score(assignment, [2, 2])
    client = client_for(s.chair)
    url = reverse("exchange:shortlist-overview", args=[s.panel.pk])

    def more(n):
        for proposal in add_proposals(s.round, n):
            comment(proposal, UserFactory())
        proposal_assignments_distribute(actor=s.staff, panel=s.panel)
        for assignment in s.panel.assignments.filter(status=AssignmentStatus.ASSIGNED)[:5]:
            score(assignment, [1, 3])

    assert_constant_queries(lambda: client.get(url), more, many=6)


def test_reviewer_and_staff_lists_queries_do_not_grow(client_for):
    s = shortlisting(proposals=1, reviewers=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    reviewer = s.reviewers[0]
    client = client_for(reviewer)
    url = reverse("exchange:shortlist-panel", args=[s.panel.pk])

    def more(n):
        add_proposals(s.round, n)
        proposal_assignments_distribute(actor=s.staff, panel=s.panel)

    assert_constant_queries(lambda: client.get(url), more, many=6)
    staff_client = client_for(s.staff)
    staff_url = reverse("exchange-staff:panel-detail", args=[s.round.pk, s.panel.pk])
    assert_constant_queries(lambda: staff_client.get(staff_url), more, many=6)
    lists = reverse("exchange:shortlist-panels")

    def more_panels(n):
        for _ in range(n):
            panel = shortlisting(proposals=0).panel
            from qcommunity.scoring.services import panel_member_add

            panel_member_add(actor=s.staff, panel=panel, user=reviewer)

    assert_constant_queries(lambda: client.get(lists), more_panels, many=3)
    assert client.get(lists).status_code == 200
