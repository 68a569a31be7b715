"""Shortlisting pages (issue 6 point 6): staff set criteria, create panels, add people and share
proposals out; reviewers answer the conflict question, score, then see the others' scores; the
chair and moderators see the overview with engagement, linking to the decision page."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.rounds.models import Round
from exchange.shortlist.kind import PROPOSAL_PANELS
from exchange.shortlist.services import (
    proposal_assignments_distribute,
    shortlist_panel_create,
)
from qcommunity.accounts.enums import Role
from qcommunity.outbox.models import OutboxEmail
from qcommunity.scoring.enums import AssignmentStatus
from qcommunity.scoring.models import Panel
from qcommunity.scoring.services import panel_member_add, workspace_declare_conflict
from tests.exchange.shortlist.helpers import add_proposals, comment, score, shortlisting
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round
from tests.factories.panels import staff_user, two_factor_user
from tests.pages import error_messages
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
    assert "Each reviewer given proposals gets one email saying how many" in (
        response.content.decode()
    )
    assert OutboxEmail.objects.filter(kind="notification").count() == 3
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
    proposal = s.proposals[0]

    # The reviewer sees what left their list and why.
    panel_url = reverse("exchange:shortlist-panel", args=[s.panel.pk])
    own = " ".join(client.get(panel_url).content.decode().split())
    assert "No longer on your list" in own
    assert f"{proposal.title}: you declared a conflict of interest" in own
    assert "My manager leads it" in own

    # The chair sees the reason, as the conflict form promised.
    overview = client_for(s.chair).get(reverse("exchange:shortlist-overview", args=[s.panel.pk]))
    page = overview.content.decode()
    assert "Conflicts of interest" in page
    row = page.split("Conflicts of interest reviewers declared")[1].split("</table>")[0]
    assert mine.reviewer.get_full_name() in row
    assert proposal.title in row
    assert "My manager leads it" in row

    # Another reviewer does not.
    other = s.panel.assignments.get(status=AssignmentStatus.ASSIGNED).reviewer
    assert "My manager leads it" not in client_for(other).get(panel_url).content.decode()


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


def test_moderators_reach_the_overview_from_their_home_page_and_members_do_not(client_for):
    s = shortlisting(proposals=2, reviewers=2)
    moderator = two_factor_user(roles=[Role.MEMBER, Role.EXCHANGE_MODERATOR])
    overview = reverse("exchange:shortlist-overview", args=[s.panel.pk])
    # Nothing given out yet: nothing to follow.
    assert overview not in client_for(moderator).get("/").content.decode()
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    score(s.panel.assignments.order_by("id").first(), [3, 2])
    home = client_for(moderator).get("/").content.decode()
    assert "Panel A (" in home
    assert "1 review in, 3 still to do." in home
    assert f'href="{overview}"' in home
    assert client_for(moderator).get(overview).status_code == 200
    member = UserFactory(roles=[Role.MEMBER])
    assert overview not in client_for(member).get("/").content.decode()
    assert client_for(member).get(overview).status_code == 404


def test_moderators_home_queries_do_not_grow_with_panels(client_for):
    s = shortlisting(proposals=2, reviewers=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    home = client_for(two_factor_user(roles=[Role.MEMBER, Role.EXCHANGE_MODERATOR]))

    def more_panels(n):
        for i in range(n):
            panel = shortlist_panel_create(actor=s.staff, round_=s.round, name=f"Panel {i + 2}")
            panel_member_add(actor=s.staff, panel=panel, user=two_factor_user())
            proposal_assignments_distribute(actor=s.staff, panel=panel)

    assert_constant_queries(lambda: home.get("/"), more_panels, many=3)
    page = html.unescape(home.get("/").content.decode())
    assert page.count("Open the panel's overview") == 4


def test_the_overview_puts_proposals_waiting_for_reviews_after_complete_ones(client_for):
    s = shortlisting(proposals=2, reviewers=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    waiting, calm = s.proposals
    for assignment in s.panel.assignments.filter(subject_id=calm.pk):
        score(assignment, [3, 3])
    score(s.panel.assignments.filter(subject_id=waiting.pk).order_by("id")[0], [4, 4])
    page = (
        client_for(s.chair)
        .get(reverse("exchange:shortlist-overview", args=[s.panel.pk]))
        .content.decode()
    )
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert page.index(calm.title) < page.index(waiting.title)
    assert "1 of 2 reviews 8 Not known yet" in text
    assert "2 of 2 reviews 6, 6 0" in text


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


def test_the_overviews_conflicts_and_a_reviewers_left_list_do_not_grow_queries(client_for):
    s = shortlisting(proposals=1, reviewers=3, reviews_needed=1)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    reviewer = s.reviewers[0]

    def conflicts(n):
        for proposal in add_proposals(s.round, n):
            proposal_assignments_distribute(actor=s.staff, panel=s.panel)
            # Every reviewer in turn declares one, so each one's list loses the proposal.
            while assignment := s.panel.assignments.filter(
                subject_id=proposal.pk, status=AssignmentStatus.ASSIGNED
            ).first():
                workspace_declare_conflict(
                    PROPOSAL_PANELS,
                    actor=assignment.reviewer,
                    assignment=assignment,
                    reason=f"Reason {n}",
                )

    conflicts(1)  # one row to start from, then many
    chair = client_for(s.chair)
    overview = reverse("exchange:shortlist-overview", args=[s.panel.pk])
    assert_constant_queries(lambda: chair.get(overview), conflicts, many=4)
    mine = client_for(reviewer)
    panel_url = reverse("exchange:shortlist-panel", args=[s.panel.pk])
    assert_constant_queries(lambda: mine.get(panel_url), conflicts, many=4)


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


# Staff reassigning an unfinished review ---------------------------------------------------------


def offered(page: str) -> set[int]:
    """The people the reassign form offers (user ids)."""
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', page)}


def reassign_url(s, assignment) -> str:
    return reverse(
        "exchange-staff:assignment-reassign", args=[s.round.pk, s.panel.pk, assignment.pk]
    )


def test_staff_reassign_an_unfinished_review_from_the_panel_page(client_for):
    s = shortlisting(proposals=2, reviewers=3, reviews_needed=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    proposal = s.proposals[0]
    finished, unfinished = s.panel.assignments.filter(subject_id=proposal.pk).order_by("id")
    score(finished, [2, 2])
    client = client_for(s.staff)
    detail = reverse("exchange-staff:panel-detail", args=[s.round.pk, s.panel.pk])
    page = client.get(detail).content.decode()
    # A link for every review still to do (3 of the 4), none for the submitted one.
    assert page.count(">Reassign<") == 3
    assert f'href="{reassign_url(s, unfinished)}"' in page
    assert reassign_url(s, finished) not in page

    url = reassign_url(s, unfinished)
    page = client.get(url).content.decode()
    assert proposal.title in page
    assert unfinished.reviewer.get_full_name() in page
    free = next(
        r for r in s.reviewers if r.pk not in {finished.reviewer_id, unfinished.reviewer_id}
    )
    assert offered(page) == {free.pk}  # not the holders, nor the chair

    told_before = OutboxEmail.objects.filter(kind="notification").count()
    response = client.post(url, {"to_user": free.pk})
    assert response.headers["Location"] == detail
    [told] = OutboxEmail.objects.filter(kind="notification").order_by("id")[told_before:]
    assert (told.recipient, told.subject) == (
        free.email,
        f"“{proposal.title}” given to you to review",
    )
    page = client.get(detail).content.decode()
    assert f"The review of {proposal.title} has been given to {free.get_full_name()}." in page
    unfinished.refresh_from_db()
    assert unfinished.status == AssignmentStatus.WITHDRAWN
    assert s.panel.assignments.get(reviewer=free, subject_id=proposal.pk).status == "assigned"


def test_reassign_form_errors_keep_the_review_where_it_was(client_for):
    s = shortlisting(proposals=1, reviewers=4, reviews_needed=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    first, second = s.panel.assignments.order_by("id")
    client = client_for(s.staff)
    url = reassign_url(s, first)
    assert error_messages(client.post(url, {})) == ["Choose the reviewer to give this review to"]
    # Offered when the page was shown, but given the proposal by someone else meanwhile.
    free = sorted(offered(client.get(url).content.decode()))
    assert len(free) == 2
    client.post(reassign_url(s, second), {"to_user": free[0]})
    assert error_messages(client.post(url, {"to_user": free[0]})) == [
        "The reviewer you chose can no longer take this review. Choose another reviewer from "
        "the list"
    ]
    first.refresh_from_db()
    assert first.status == AssignmentStatus.ASSIGNED
    assert not s.panel.assignments.filter(reviewer_id=free[1]).exists()


def test_a_submitted_review_cannot_be_reassigned_from_its_page(client_for):
    s = shortlisting(proposals=1, reviewers=3, reviews_needed=1)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assignment = s.panel.assignments.get()
    score(assignment, [3, 3])
    client = client_for(s.staff)
    url = reassign_url(s, assignment)
    page = client.get(url).content.decode()
    assert "Only a review that has not been submitted can be given to someone else." in page
    assert "Reassign the review" not in page
    free = next(r for r in s.reviewers if r.pk != assignment.reviewer_id)
    assert error_messages(client.post(url, {"to_user": free.pk})) == [
        "This review has been submitted, so it cannot be given to someone else."
    ]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED


def test_reassign_page_says_so_when_nobody_can_take_the_review(client_for):
    s = shortlisting(proposals=1, reviewers=2, reviews_needed=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    page = client_for(s.staff).get(reassign_url(s, s.panel.assignments.first())).content.decode()
    assert "No other reviewer on this panel can take this review." in page
    assert offered(page) == set()


def test_reassign_is_not_found_for_an_assignment_of_another_panel_or_round(client_for):
    s = shortlisting(proposals=1, reviewers=2, reviews_needed=1)
    other = shortlisting(proposals=1, reviewers=2, reviews_needed=1)
    for setup in (s, other):
        proposal_assignments_distribute(actor=setup.staff, panel=setup.panel)
    mine = s.panel.assignments.get()
    theirs = other.panel.assignments.get()
    client = client_for(s.staff)
    assert client.get(reassign_url(s, mine)).status_code == 200
    name = "exchange-staff:assignment-reassign"
    for args in (
        [s.round.pk, s.panel.pk, theirs.pk],  # another panel's assignment under this panel
        [other.round.pk, s.panel.pk, mine.pk],  # this panel under another round
        [s.round.pk, other.panel.pk, theirs.pk],  # another round's panel under this round
    ):
        url = reverse(name, args=args)
        assert client.get(url).status_code == 404, args
        assert client.post(url, {"to_user": s.reviewers[1].pk}).status_code == 404, args
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.ASSIGNED
    # Panel people are not staff: the page does not exist for them.
    assert client_for(s.chair).get(reassign_url(s, mine)).status_code == 404


def test_reassign_page_queries_do_not_grow_with_reviewers(client_for):
    s = shortlisting(proposals=1, reviewers=2, reviews_needed=1)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assignment = s.panel.assignments.get()
    client = client_for(s.staff)
    url = reassign_url(s, assignment)

    def more(n):
        from qcommunity.scoring.services import panel_member_add

        for i in range(n):
            person = two_factor_user(roles=[Role.MEMBER], full_name=f"Extra {i}")
            panel_member_add(actor=s.staff, panel=s.panel, user=person)

    assert_constant_queries(lambda: client.get(url), more, many=6)
    assert len(offered(client.get(url).content.decode())) == 7
