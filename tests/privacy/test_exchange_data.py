"""Q Exchange's personal data (exchange/personal_data.py, gathering each feature's
personal_data.py): what the download holds, in a fixed number of queries, and what deleting the
account does to proposals, teams, comments, reports, supports, ballots, shortlisting reviews,
progress updates and attachments."""

import datetime as dt
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchange.comments.models import Comment, CommentReport
from exchange.comments.services import comment_post, comment_report
from exchange.proposals.enums import Stage, TeamRole
from exchange.proposals.models import Attachment, ProgressUpdate, Proposal, ProposalEdit, TeamMember
from exchange.proposals.services import proposal_transition
from exchange.rounds.models import Round
from exchange.rounds.page_cache import exchange_version
from exchange.rounds.services import ExchangeError
from exchange.shortlist.services import proposal_assignments_distribute
from exchange.voting.models import Ballot, BallotChoice, Support
from exchange.voting.services import ballot_cast
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.core.markdown import render_markdown
from qcommunity.privacy.registry import all_sources
from qcommunity.privacy.services import account_delete, personal_data_export
from qcommunity.scoring.enums import AssignmentStatus
from qcommunity.scoring.models import Assignment, CriterionScore, PanelMember, Review
from tests.exchange.comments.helpers import moderator
from tests.exchange.shortlist.helpers import add_proposals, score, shortlisting
from tests.factories.accounts import UserFactory
from tests.factories.exchange import announce_decisions, make_exchange_round, make_proposal
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
REMOVED = "This comment was removed when its author deleted their account."
_n = itertools.count(1)


def member(name: str = "") -> object:
    return UserFactory(roles=[Role.MEMBER], full_name=name or f"Member {next(_n)}")


def page(proposal: Proposal, user=None) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug}))
    assert response.status_code == 200
    return response.content.decode()


def section(user, key: str) -> list[dict]:
    data = personal_data_export(user=user)
    return next(s["records"] for s in data["sections"] if s["key"] == key)


def exporting(user, key: str):
    """The source's own export, for counting its queries alone."""
    source = next(s for s in all_sources() if s.key == key)
    return lambda: source.export(user)


def close_voting(round_: Round) -> None:
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(
        voting_opens_at=now - 9 * DAY, voting_closes_at=now - DAY, decisions_at=now + 10 * DAY
    )
    round_.refresh_from_db()


def cast_in_the_past(round_: Round, voter, chosen) -> Ballot:
    """A ballot cast while voting was open, written directly (the window has passed now), and
    judged by the ballot rules then, as its commit would have been."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL exchange.ballot_outside_window = 'on'")
    ballot = Ballot.objects.create(round=round_, voter=voter)
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, proposal=p, theme_id=p.theme_id) for p in chosen
    )
    check_deferred_rules_now()
    return ballot


def check_deferred_rules_now() -> None:
    """Fire the ballot triggers deferred to the commit (tests never commit)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def comment(proposal, author, text="A comment", parent=None) -> Comment:
    return Comment.objects.create(
        proposal=proposal,
        author=author,
        parent=parent,
        body=text,
        body_html=str(render_markdown(text)),
    )


def test_exchange_sources_are_registered_in_their_order_with_plain_sentences():
    mine = [s for s in all_sources() if s.key.startswith("exchange.")]
    assert [s.key for s in mine] == [
        "exchange.proposals",
        "exchange.comments",
        "exchange.comment_reports",
        "exchange.supports",
        "exchange.ballots",
        "exchange.reviews",
        "exchange.project_records",
        "exchange.attachments",
    ]
    assert all(40 <= s.order <= 59 for s in mine)
    assert all(s.on_delete.endswith(".") for s in mine)


# Proposals and teams ---------------------------------------------------------------------------


def test_the_export_lists_proposals_led_joined_and_invitations():
    alice, bob = member("Alice Example"), member()
    round_ = make_exchange_round(voting_open=False)
    led = make_proposal(round_, lead=alice, stage=Stage.IDEA)
    theirs = make_proposal(round_, lead=bob)
    TeamMember.objects.create(
        proposal=theirs,
        user=alice,
        role=TeamRole.CO_AUTHOR,
        role_line="Data analyst",
        invited_at=timezone.now(),
    )
    records = section(alice, "exchange.proposals")
    assert [r["title"] for r in records] == [led.title, theirs.title]
    assert records[0]["your_role"] == "Lead"
    assert records[0]["stage"] == "Idea"
    assert records[0]["round_year"] == round_.year
    assert records[0]["address"] == reverse("exchange:proposal-detail", kwargs={"slug": led.slug})
    assert records[1]["your_role"] == "Co-author"
    assert records[1]["your_role_line"] == "Data analyst"
    assert records[1]["invitation_pending"] is True
    assert records[1]["lead"] is False


def test_deleting_takes_them_off_teams_withdraws_their_open_solo_ideas_and_keeps_the_rest(
    client,
):
    alice, bob, carol = member("Alice Example"), member("Bob Builder"), member("Carol Singer")
    open_round = make_exchange_round(voting_open=False)
    voting_round = make_exchange_round(voting_open=True)
    solo_idea = make_proposal(open_round, lead=alice, stage=Stage.IDEA)
    solo_with_invite = make_proposal(open_round, lead=alice, stage=Stage.PROPOSAL)
    TeamMember.objects.create(
        proposal=solo_with_invite, user=bob, role=TeamRole.CO_AUTHOR, invited_at=timezone.now()
    )
    shared = make_proposal(open_round, lead=alice, stage=Stage.IDEA)
    TeamMember.objects.create(
        proposal=shared,
        user=bob,
        role=TeamRole.CO_AUTHOR,
        invited_at=timezone.now(),
        accepted_at=timezone.now(),
    )
    named = make_proposal(open_round, lead=alice, stage=Stage.IDEA)
    TeamMember.objects.create(proposal=named, name="Dr Someone", role=TeamRole.MEMBER)
    shortlisted = make_proposal(voting_round, lead=alice, stage=Stage.SHORTLISTED)
    carols = make_proposal(open_round, lead=carol)
    TeamMember.objects.create(
        proposal=carols,
        user=alice,
        role=TeamRole.CO_AUTHOR,
        invited_at=timezone.now(),
        accepted_at=timezone.now(),
    )
    invited_by_bob = make_proposal(open_round, lead=bob)
    TeamMember.objects.create(
        proposal=invited_by_bob, user=alice, role=TeamRole.CO_AUTHOR, invited_at=timezone.now()
    )
    named_on_bobs = make_proposal(open_round, lead=bob)
    TeamMember.objects.create(proposal=named_on_bobs, user=alice, role=TeamRole.MEMBER)
    version = exchange_version()

    account_delete(user=alice)

    stages = dict(Proposal.objects.values_list("pk", "stage"))
    assert stages[solo_idea.pk] == Stage.WITHDRAWN
    assert stages[solo_with_invite.pk] == Stage.WITHDRAWN  # an invitation is not a teammate
    assert stages[shared.pk] == Stage.IDEA
    assert stages[named.pk] == Stage.IDEA  # a named person is on the team
    assert stages[shortlisted.pk] == Stage.SHORTLISTED  # not open: the panel chose it
    assert Proposal.objects.get(pk=solo_idea.pk).withdrawn_at is not None
    withdrawals = AuditEntry.objects.filter(action="exchange_proposal.withdraw")
    assert sorted(int(e.target_id) for e in withdrawals) == sorted(
        [solo_idea.pk, solo_with_invite.pk]
    )
    assert all(e.actor_id == alice.pk for e in withdrawals)
    # Off every team except as lead; the lead field still points at the tombstone.
    assert set(TeamMember.objects.filter(user=alice).values_list("proposal_id", "role")) == {
        (p.pk, TeamRole.LEAD) for p in (solo_idea, solo_with_invite, shared, named, shortlisted)
    }
    assert Proposal.objects.filter(lead=alice).count() == 5
    assert exchange_version() != version

    # The round's list no longer shows the withdrawn ideas; the kept one shows the tombstone.
    html = client.get(reverse("exchange:round-detail", kwargs={"year": open_round.year}))
    html = html.content.decode()
    assert solo_idea.title not in html
    assert shared.title in html
    assert "Alice Example" not in html
    for viewer in (None, bob):
        body = page(shared, viewer)
        assert "Former member" in body
        assert "Alice Example" not in body
        assert "Bob Builder" in body
    assert "Alice Example" not in page(carols)


def test_a_proposal_withdrawn_on_deletion_is_marked_so_on_its_page():
    alice = member("Alice Example")
    idea = make_proposal(make_exchange_round(voting_open=False), lead=alice, stage=Stage.IDEA)
    account_delete(user=alice)
    body = page(idea)
    assert "withdrew this idea" in body
    assert "Alice Example" not in body


def test_the_proposals_export_is_read_in_constant_queries():
    alice = member()
    round_ = make_exchange_round(voting_open=False)
    make_proposal(round_, lead=alice)

    def add(n):
        for _ in range(n):
            theirs = make_proposal(round_, lead=member())
            TeamMember.objects.create(proposal=theirs, user=alice, role=TeamRole.MEMBER)
            make_proposal(round_, lead=alice)

    assert_constant_queries(exporting(alice, "exchange.proposals"), add, many=5)


# Comments and reports --------------------------------------------------------------------------


def test_deleting_removes_the_text_of_comments_and_keeps_the_replies(client):
    alice, bob, carol = member("Alice Example"), member("Bob Builder"), member("Carol Singer")
    round_ = make_exchange_round(voting_open=False)
    proposal = make_proposal(round_, lead=bob)
    theirs = comment(proposal, alice, "Alice's secret opinion")
    reply = comment(proposal, bob, "Bob answers", parent=theirs)
    comment_report(actor=carol, comment=theirs, reason="Carol thinks it is rude")
    comment_report(actor=alice, comment=reply, reason="Alice thinks Bob is rude")
    version = exchange_version()

    account_delete(user=alice)

    theirs.refresh_from_db()
    assert theirs.body == ""
    assert theirs.body_html == ""
    assert theirs.removed_at is not None
    assert Comment.objects.filter(pk=reply.pk, parent=theirs).exists()
    assert not CommentReport.objects.filter(reporter=alice).exists()
    carols = CommentReport.objects.get(reporter=carol)
    assert carols.resolved_at is not None  # nothing is left to moderate
    assert exchange_version() != version

    for viewer in (None, carol):
        body = page(proposal, viewer)
        assert REMOVED in body
        assert "secret opinion" not in body
        assert "Alice Example" not in body
        assert "Bob answers" in body
    # Nobody can reply to, or report, what is no longer there.
    with pytest.raises(ExchangeError, match="removed"):
        comment_post(actor=carol, proposal=proposal, body="Reply", parent=theirs)
    with pytest.raises(ExchangeError, match="removed"):
        comment_report(actor=member(), comment=theirs, reason="Still rude")
    client.force_login(carol)
    reply_url = reverse("exchange:comment-reply", kwargs={"slug": proposal.slug, "pk": theirs.pk})
    assert client.get(reply_url).status_code == 404


def test_a_removed_comment_shows_its_note_to_moderators():
    alice, staff = member("Alice Example"), moderator()
    proposal = make_proposal(make_exchange_round(voting_open=False), lead=member())
    theirs = comment(proposal, alice, "Alice's secret opinion")
    account_delete(user=alice)
    client = Client()
    client.force_login(staff)
    url = reverse("exchange:moderation-comment", kwargs={"pk": theirs.pk})
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "when its author deleted their account" in body
    assert "secret opinion" not in body


def test_the_comments_and_reports_exports_hold_their_own_words_only():
    alice, bob, carol = member(), member(), member()
    proposal = make_proposal(make_exchange_round(voting_open=False), lead=bob)
    theirs = comment(proposal, alice, "My question")
    comment(proposal, bob, "Answer", parent=theirs)
    comment_report(actor=carol, comment=theirs, reason="Carol's reason")
    comment_report(actor=alice, comment=comment(proposal, bob), reason="Alice's reason")
    (record,) = section(alice, "exchange.comments")
    assert record["text"] == "My question"
    assert record["proposal"] == proposal.title
    assert record["hidden_by_a_moderator"] is False
    assert "Carol's reason" not in str(section(alice, "exchange.comments"))
    (report,) = section(alice, "exchange.comment_reports")
    assert report["reason"] == "Alice's reason"


def test_the_comments_and_reports_exports_are_read_in_constant_queries():
    alice = member()
    proposal = make_proposal(make_exchange_round(voting_open=False), lead=member())
    comment_report(actor=alice, comment=comment(proposal, member()), reason="Rude")
    comment(proposal, alice)

    def add(n):
        for _ in range(n):
            other = make_proposal(proposal.round, lead=member())
            comment(other, alice)
            comment_report(actor=alice, comment=comment(other, member()), reason="Rude")

    assert_constant_queries(exporting(alice, "exchange.comments"), add, many=5)
    assert_constant_queries(exporting(alice, "exchange.comment_reports"), add, many=5)


# Supports --------------------------------------------------------------------------------------


def test_supports_are_exported_and_deleted():
    alice, bob = member(), member()
    round_ = make_exchange_round(voting_open=False)
    proposal = make_proposal(round_, lead=member())
    Support.objects.create(proposal=proposal, user=alice)
    Support.objects.create(proposal=proposal, user=bob)
    (record,) = section(alice, "exchange.supports")
    assert record["proposal"] == proposal.title

    def add(n):
        for _ in range(n):
            Support.objects.create(proposal=make_proposal(round_, lead=bob), user=alice)

    assert_constant_queries(exporting(alice, "exchange.supports"), add, many=5)
    account_delete(user=alice)
    assert list(Support.objects.values_list("user_id", flat=True)) == [bob.pk]


# Ballots ---------------------------------------------------------------------------------------


def test_a_counted_ballot_stays_and_a_ballot_in_open_voting_is_deleted():
    alice, lead = member("Alice Example"), member()
    closed = make_exchange_round(voting_open=True, themes=1, choices_per_theme=1)
    counted_for = make_proposal(closed, lead=lead)
    close_voting(closed)
    kept = cast_in_the_past(closed, alice, [counted_for])
    open_round = make_exchange_round(voting_open=True, themes=1, choices_per_theme=1)
    chosen = make_proposal(open_round, lead=lead)
    make_proposal(open_round, lead=lead)
    check_deferred_rules_now()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL exchange.ballot_outside_window = 'off'")
    ballot_cast(actor=alice, round_=open_round, proposal_ids=[chosen.pk])
    records = section(alice, "exchange.ballots")
    assert [(r["round_year"], [c["proposal"] for c in r["choices"]]) for r in records] == [
        (closed.year, [counted_for.title]),
        (open_round.year, [chosen.title]),
    ]

    account_delete(user=alice)
    check_deferred_rules_now()  # the deferred ballot rules accept what was deleted

    assert list(Ballot.objects.values_list("pk", flat=True)) == [kept.pk]
    assert list(BallotChoice.objects.values_list("proposal_id", flat=True)) == [counted_for.pk]
    body = page(counted_for)
    assert "1 member voted for this proposal" in body
    assert "Alice Example" not in body


def test_the_ballots_export_is_read_in_constant_queries():
    alice, lead = member(), member()

    def add(n):
        for _ in range(n):
            round_ = make_exchange_round(voting_open=True, themes=2, choices_per_theme=1)
            chosen = [make_proposal(round_, lead=lead, theme=t) for t in round_.themes.all()]
            ballot_cast(actor=alice, round_=round_, proposal_ids=[p.pk for p in chosen])

    add(1)
    assert_constant_queries(exporting(alice, "exchange.ballots"), add, many=3)


# Shortlisting reviews --------------------------------------------------------------------------


def test_submitted_reviews_stay_and_unfinished_ones_are_withdrawn():
    setup = shortlisting(proposals=2, reviewers=1, reviews_needed=1)
    reviewer = setup.reviewers[0]
    proposal_assignments_distribute(actor=setup.staff, panel=setup.panel)
    first, second = Assignment.objects.filter(reviewer=reviewer).order_by("id")
    score(first, [4, 3])
    records = section(reviewer, "exchange.reviews")
    assert {r["status"] for r in records} == {"Review submitted", "To review"}
    submitted = next(r for r in records if r["review"])
    assert [s["score"] for s in submitted["review"]["scores"]] == [4, 3]

    account_delete(user=reviewer)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == AssignmentStatus.SUBMITTED
    assert Review.objects.filter(assignment=first).exists()
    assert second.status == AssignmentStatus.WITHDRAWN
    assert not PanelMember.objects.filter(user=reviewer).exists()  # the round is not decided
    # Staff can share the withdrawn proposal out again, to someone else.
    other = UserFactory(roles=[Role.MEMBER])
    from qcommunity.scoring.services import panel_member_add

    panel_member_add(actor=setup.staff, panel=setup.panel, user=other)
    proposal_assignments_distribute(actor=setup.staff, panel=setup.panel)
    assert Assignment.objects.filter(
        reviewer=other, subject_id=second.subject_id, status=AssignmentStatus.ASSIGNED
    ).exists()


def test_the_reviews_export_is_read_in_constant_queries():
    setup = shortlisting(proposals=1, reviewers=1, reviews_needed=1)
    reviewer = setup.reviewers[0]
    proposal_assignments_distribute(actor=setup.staff, panel=setup.panel)
    criteria = list(setup.round.scheme.criteria.order_by("position"))
    proposal_type = ContentType.objects.get_for_model(Proposal)

    def add(n):
        for p in add_proposals(setup.round, n):
            assignment = Assignment.objects.create(
                panel=setup.panel,
                reviewer=reviewer,
                subject_type=proposal_type,
                subject_id=p.pk,
                status=AssignmentStatus.SUBMITTED,
            )
            review = Review.objects.create(assignment=assignment, recommendation="support")
            CriterionScore.objects.bulk_create(
                CriterionScore(review=review, criterion=c, value=3) for c in criteria
            )

    add(1)
    assert_constant_queries(exporting(reviewer, "exchange.reviews"), add, many=5)


# What stays: progress updates, edits and attachments ------------------------------------------


def funded_with_records(alice):
    moderator = UserFactory(roles=[Role.EXCHANGE_MODERATOR])
    round_ = make_exchange_round(voting_open=True)
    proposal = make_proposal(round_, lead=member(), stage=Stage.SHORTLISTED)
    close_voting(round_)
    proposal = proposal_transition(
        actor=moderator, proposal=proposal, action="fund", reason="A strong plan."
    )
    TeamMember.objects.create(
        proposal=proposal,
        user=alice,
        role=TeamRole.CO_AUTHOR,
        invited_at=timezone.now(),
        accepted_at=timezone.now(),
    )
    add_records(proposal, alice, 1)
    announce_decisions(round_)  # the funding, and so its updates, are public
    return proposal


def add_records(proposal, alice, n):
    for i in range(n):
        ProgressUpdate.objects.create(
            proposal=proposal,
            author=alice,
            title=f"Month {i + 1}",
            body="We ran the first workshop.",
            body_html="<p>We ran the first workshop.</p>",
        )
        ProposalEdit.objects.create(proposal=proposal, by=alice, sections=2)
        Attachment.objects.create(
            proposal=proposal,
            file=f"exchange/attachments/{proposal.pk}/t{i}{next(_n)}.pdf",
            token=f"token-{next(_n)}",
            extension=".pdf",
            original_name="Plan.pdf",
            title="Our plan",
            kind="pdf",
            content_type="application/pdf",
            size=1000,
            uploaded_by=alice,
        )


def test_progress_updates_and_attachments_stay_shown_as_by_a_former_member():
    alice = member("Alice Example")
    proposal = funded_with_records(alice)
    (update,) = [
        r for r in section(alice, "exchange.project_records") if r["type"] == "Progress update"
    ]
    assert update["title"] == "Month 1"
    (attachment,) = section(alice, "exchange.attachments")
    assert attachment["file_name"] == "Plan.pdf"
    assert "by Alice Example" in page(proposal)

    account_delete(user=alice)

    assert ProgressUpdate.objects.filter(author=alice).count() == 1
    assert Attachment.objects.filter(uploaded_by=alice).count() == 1
    assert ProposalEdit.objects.filter(by=alice).count() == 1
    assert not TeamMember.objects.filter(user=alice).exists()
    body = page(proposal)
    assert "by Former member" in body
    assert "Alice Example" not in body
    assert "Our plan" in body


def test_the_project_records_and_attachments_exports_are_read_in_constant_queries():
    alice = member()
    proposal = funded_with_records(alice)
    add = lambda n: add_records(proposal, alice, n)  # noqa: E731
    assert_constant_queries(exporting(alice, "exchange.project_records"), add, many=5)
    assert_constant_queries(exporting(alice, "exchange.attachments"), add, many=5)


def test_the_proposal_page_after_deletion_shows_the_tombstone_lead_removed_comment_and_vote():
    """The lead deletes their account: the page (cached for visitors before) renders with the
    lead as "Former member", their comment as a note and their counted vote still counted."""
    alice, bob = member("Alice Example"), member("Bob Builder")
    round_ = make_exchange_round(voting_open=True, themes=1, choices_per_theme=1)
    proposal = make_proposal(round_, lead=alice)
    TeamMember.objects.create(
        proposal=proposal,
        user=bob,
        role=TeamRole.CO_AUTHOR,
        invited_at=timezone.now(),
        accepted_at=timezone.now(),
    )
    theirs = comment(proposal, alice, "Alice's own words")
    comment(proposal, bob, "Bob replies", parent=theirs)
    close_voting(round_)
    cast_in_the_past(round_, alice, [proposal])
    before = page(proposal)  # a visitor's page, now in the shared cache
    assert "Alice Example" in before
    assert "1 member voted for this proposal" in before

    account_delete(user=alice)
    check_deferred_rules_now()

    proposal.refresh_from_db()
    assert proposal.stage == Stage.PROPOSAL
    assert proposal.lead_id == alice.pk
    for viewer in (None, bob):
        body = page(proposal, viewer)
        assert "Former member" in body
        assert "Alice Example" not in body
        assert "Alice's own words" not in body
        assert REMOVED in body
        assert "Bob replies" in body
        assert "1 member voted for this proposal" in body
