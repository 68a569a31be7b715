"""Shortlisting services (issue 6 point 6): criteria that lock when shortlisting starts, panels,
even distribution that never gives a proposal to its own team or to someone who declared a
conflict, blind scores, and the engagement figures the panel sees."""

import datetime as dt
import random
from collections import Counter

import pytest

from exchange.proposals.enums import Stage, TeamRole
from exchange.proposals.models import Proposal, ProposalEdit, TeamMember
from exchange.proposals.services import proposal_update, team_invitation_accept
from exchange.rounds.models import Round
from exchange.rounds.services import ExchangeError
from exchange.shortlist.forms import DEFAULT_SCALE
from exchange.shortlist.kind import PROPOSAL_PANELS
from exchange.shortlist.selectors import panel_proposals
from exchange.shortlist.services import (
    proposal_assignment_reassign,
    proposal_assignments_distribute,
    proposal_review_submit,
    round_criteria_set,
    shortlist_panel_create,
    shortlist_panel_member_invite,
)
from exchange.voting.models import Support
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.outbox.models import OutboxEmail
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment
from qcommunity.scoring.selectors import reassign_candidates, subject_reviews_for_viewer
from qcommunity.scoring.services import (
    CriterionSpec,
    ScoreInput,
    assignment_confirm_no_conflict,
    panel_member_add,
    workspace_declare_conflict,
)
from tests.exchange.shortlist.helpers import CRITERIA, add_proposals, comment, score, shortlisting
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.factories.panels import staff_user, two_factor_user

pytestmark = pytest.mark.django_db


def live(panel):
    return panel.assignments.filter(
        status__in=(AssignmentStatus.ASSIGNED, AssignmentStatus.SUBMITTED)
    )


# Criteria --------------------------------------------------------------------------------------


def test_staff_set_criteria_and_can_change_them_until_shortlisting_starts():
    s = shortlisting(proposals=2)
    scheme = s.round.scheme
    assert [c.title for c in scheme.criteria.all()] == ["Impact", "Feasibility"]
    round_criteria_set(
        actor=s.staff,
        round_=s.round,
        criteria=[*CRITERIA, CriterionSpec("Learning", "What others will learn.")],
        scale=DEFAULT_SCALE,
    )
    assert scheme.criteria.count() == 3

    proposal_assignments_distribute(actor=s.staff, panel=s.panel)

    with pytest.raises(ExchangeError, match="shortlisting has started"):
        round_criteria_set(actor=s.staff, round_=s.round, criteria=CRITERIA, scale=DEFAULT_SCALE)
    assert scheme.criteria.count() == 3


def test_only_staff_set_criteria_and_a_panel_needs_them():
    round_ = make_exchange_round()
    member = UserFactory(roles=[Role.MEMBER, Role.EXCHANGE_MODERATOR])
    with pytest.raises(ExchangeError, match="permission"):
        round_criteria_set(actor=member, round_=round_, criteria=CRITERIA, scale=DEFAULT_SCALE)
    with pytest.raises(ExchangeError, match="criteria and scale before"):
        shortlist_panel_create(actor=staff_user(), round_=round_, name="Panel A")


def test_criteria_need_a_criterion_and_a_scale():
    round_ = make_exchange_round()
    with pytest.raises(ExchangeError) as error:
        round_criteria_set(actor=staff_user(), round_=round_, criteria=[], scale=DEFAULT_SCALE[:1])
    assert set(error.value.errors) == {"criteria", "scale"}
    assert Round.objects.get(pk=round_.pk).scheme_id is None


# Panels ----------------------------------------------------------------------------------------


def test_inviting_a_person_grants_the_panel_role_and_emails_them_once():
    s = shortlisting(proposals=0)
    person = UserFactory(email="vol@example.org")
    shortlist_panel_member_invite(actor=s.staff, panel=s.panel, email="VOL@example.org")
    shortlist_panel_member_invite(
        actor=s.staff, panel=s.panel, email="vol@example.org", role=PanelRole.CHAIR
    )
    assert person.has_role(Role.PANEL_MEMBER)
    assert s.panel.members.get(user=person).role == PanelRole.CHAIR
    emails = OutboxEmail.objects.filter(kind="exchange_panel_invitation", recipient=person.email)
    assert emails.count() == 1
    assert "two-factor authentication" in emails.get().body_text
    # No article before the panel's own name ("join the Panel B").
    email = emails.get()
    assert f"the {s.panel.name}" not in email.subject + email.body_text
    assert f"join {s.panel.name}, a shortlisting panel for " in email.subject


def test_inviting_someone_without_an_account_says_so():
    s = shortlisting(proposals=0)
    with pytest.raises(ExchangeError) as error:
        shortlist_panel_member_invite(actor=s.staff, panel=s.panel, email="nobody@example.org")
    assert "email" in error.value.errors


# Distribution ----------------------------------------------------------------------------------


def test_proposals_are_shared_out_evenly_to_the_needed_number_of_reviewers():
    s = shortlisting(proposals=7, reviewers=4, reviews_needed=2)
    idea = make_proposal(s.round, lead=UserFactory(roles=[Role.MEMBER]), stage=Stage.IDEA)
    result = proposal_assignments_distribute(actor=s.staff, panel=s.panel, rng=random.Random(1))
    assert len(result.created) == 14
    assert result.short == {}
    per_proposal = Counter(live(s.panel).values_list("subject_id", flat=True))
    assert per_proposal == {p.pk: 2 for p in s.proposals}  # ideas are not shortlisted
    assert idea.pk not in per_proposal
    loads = Counter(live(s.panel).values_list("reviewer_id", flat=True))
    assert set(loads) == {r.pk for r in s.reviewers}  # never the chair
    assert max(loads.values()) - min(loads.values()) <= 1
    # Again: nothing more to give out.
    assert proposal_assignments_distribute(actor=s.staff, panel=s.panel).created == []
    assert s.round.scheme.__class__.objects.get(pk=s.round.scheme_id).is_locked


def test_a_proposal_never_goes_to_someone_on_its_team():
    s = shortlisting(proposals=2, reviewers=3, reviews_needed=2)
    led, co_authored = s.proposals
    # Reviewer 0 leads a proposal; reviewer 1 is invited to co-author the other (not accepted).
    Proposal.objects.filter(pk=led.pk).update(lead=s.reviewers[0])
    TeamMember.objects.filter(proposal=led, role=TeamRole.LEAD).update(user=s.reviewers[0])
    TeamMember.objects.create(proposal=co_authored, user=s.reviewers[1], role=TeamRole.CO_AUTHOR)
    for seed in range(5):
        Assignment.objects.all().delete()
        proposal_assignments_distribute(actor=s.staff, panel=s.panel, rng=random.Random(seed))
        pairs = set(live(s.panel).values_list("reviewer_id", "subject_id"))
        assert (s.reviewers[0].pk, led.pk) not in pairs
        assert (s.reviewers[1].pk, co_authored.pk) not in pairs
        assert Counter(subject for _, subject in pairs) == {led.pk: 2, co_authored.pk: 2}


def test_too_few_eligible_reviewers_are_reported_short():
    s = shortlisting(proposals=1, reviewers=2, reviews_needed=2)
    TeamMember.objects.create(proposal=s.proposals[0], user=s.reviewers[0], role=TeamRole.MEMBER)
    result = proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assert result.short == {s.proposals[0].pk: 1}


def test_proposals_are_not_shared_out_before_proposals_close():
    staff = staff_user()
    round_ = make_exchange_round(voting_open=False)
    round_criteria_set(actor=staff, round_=round_, criteria=CRITERIA, scale=DEFAULT_SCALE)
    round_.refresh_from_db()
    panel = shortlist_panel_create(actor=staff, round_=round_, name="Early panel")
    with pytest.raises(ExchangeError, match="share them out after that"):
        proposal_assignments_distribute(actor=staff, panel=panel)
    assert not round_.scheme.__class__.objects.get(pk=round_.scheme_id).is_locked


def test_a_declared_conflict_moves_the_proposal_and_it_never_comes_back():
    s = shortlisting(proposals=1, reviewers=3, reviews_needed=1)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    first = s.panel.assignments.get()
    replacement = workspace_declare_conflict(
        PROPOSAL_PANELS, actor=first.reviewer, assignment=first, reason="I work with the lead"
    )
    first.refresh_from_db()
    assert first.status == AssignmentStatus.CONFLICT
    assert replacement.reviewer_id != first.reviewer_id
    # Take the replacement's reviewer off and share out again: never back to the first one.
    Assignment.objects.filter(pk=replacement.pk).update(status=AssignmentStatus.WITHDRAWN)
    for _ in range(3):
        proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assert not live(s.panel).filter(reviewer=first.reviewer).exists()


# Reassigning ------------------------------------------------------------------------------------


def reassigned_rows():
    return AuditEntry.objects.filter(action="exchange_proposal.review_reassign")


def holder_and_free(s):
    """The first assignment of the first proposal, and a reviewer who has no row for it."""
    assignment = s.panel.assignments.filter(subject_id=s.proposals[0].pk).order_by("id").first()
    taken = set(
        s.panel.assignments.filter(subject_id=s.proposals[0].pk).values_list(
            "reviewer_id", flat=True
        )
    )
    return assignment, next(r for r in s.reviewers if r.pk not in taken)


def test_staff_reassign_an_unfinished_review_and_it_is_audited():
    s = shortlisting(proposals=1, reviewers=3, reviews_needed=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assignment, free = holder_and_free(s)
    ill = assignment.reviewer
    new = proposal_assignment_reassign(actor=s.staff, assignment=assignment, to_user=free)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WITHDRAWN
    assert (new.reviewer_id, new.subject_id, new.status) == (
        free.pk,
        s.proposals[0].pk,
        AssignmentStatus.ASSIGNED,
    )
    assert live(s.panel).filter(subject_id=s.proposals[0].pk).count() == 2
    entry = reassigned_rows().get()
    assert (entry.actor_id, entry.target_id) == (s.staff.pk, str(s.proposals[0].pk))
    assert entry.data == {
        "panel": s.panel.pk,
        "from": ill.pk,
        "to": free.pk,
        "assignment": assignment.pk,
        "new_assignment": new.pk,
    }
    # The kit's own trail: the old assignment withdrawn, the new one created.
    assert AuditEntry.objects.filter(
        action="scoring_assignment.withdraw", target_id=str(assignment.pk)
    ).exists()
    assert AuditEntry.objects.filter(
        action="scoring_assignment.create", target_id=str(new.pk)
    ).exists()
    # Someone it was taken from may have it back once they are well.
    back = proposal_assignment_reassign(actor=s.staff, assignment=new, to_user=ill)
    assert back.pk == assignment.pk
    assert back.status == AssignmentStatus.ASSIGNED
    assert reassigned_rows().count() == 2


def test_only_a_review_still_to_do_can_be_reassigned():
    s = shortlisting(proposals=3, reviewers=3, reviews_needed=1)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    submitted, conflicted, withdrawn = (
        s.panel.assignments.get(subject_id=p.pk) for p in s.proposals
    )
    score(submitted, [2, 3])
    workspace_declare_conflict(
        PROPOSAL_PANELS, actor=conflicted.reviewer, assignment=conflicted, reason="I know the lead"
    )
    free = next(r for r in s.reviewers if r.pk != withdrawn.reviewer_id)
    proposal_assignment_reassign(actor=s.staff, assignment=withdrawn, to_user=free)
    before = set(s.panel.assignments.values_list("pk", "reviewer_id", "status"))
    refusals = {
        submitted: "This review has been submitted, so it cannot be given to someone else.",
        conflicted: f"{conflicted.reviewer} declared a conflict of interest, so the proposal "
        "has already gone to someone else.",
        withdrawn: "This review has already been given to someone else.",
    }
    for assignment, message in refusals.items():
        to_user = next(r for r in s.reviewers if r.pk != assignment.reviewer_id)
        with pytest.raises(ExchangeError) as refused:
            proposal_assignment_reassign(actor=s.staff, assignment=assignment, to_user=to_user)
        assert str(refused.value) == message
    assert set(s.panel.assignments.values_list("pk", "reviewer_id", "status")) == before
    assert reassigned_rows().count() == 1  # the one that was allowed


def test_reassigning_refuses_the_conflicted_the_team_outsiders_and_current_holders():
    s = shortlisting(proposals=1, reviewers=4, reviews_needed=2)
    proposal = s.proposals[0]
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    first, kept = s.panel.assignments.order_by("id")
    # The first reviewer declares a conflict: the proposal moves to someone else.
    moved = workspace_declare_conflict(
        PROPOSAL_PANELS, actor=first.reviewer, assignment=first, reason="I manage the lead"
    )
    # People on the proposal's team who sit on the panel too.
    teammate = two_factor_user(roles=[Role.MEMBER], full_name="Team Mate")
    panel_member_add(actor=s.staff, panel=s.panel, user=teammate)
    TeamMember.objects.create(proposal=proposal, user=teammate, role=TeamRole.MEMBER)
    panel_member_add(actor=s.staff, panel=s.panel, user=proposal.lead)
    outsider = UserFactory(roles=[Role.MEMBER])
    before = set(s.panel.assignments.values_list("pk", "reviewer_id", "status"))
    refusals = {
        first.reviewer: f"{first.reviewer} cannot be given this: conflict of interest declared.",
        moved.reviewer: f"{moved.reviewer} cannot be given this: to review.",
        teammate: f"{teammate} cannot review this: they have a conflict of interest.",
        proposal.lead: f"{proposal.lead} cannot review this: they have a conflict of interest.",
        s.chair: f"{s.chair} is not a reviewer on this panel.",
        outsider: f"{outsider} is not a reviewer on this panel.",
    }
    for person, message in refusals.items():
        with pytest.raises(ExchangeError) as refused:
            proposal_assignment_reassign(actor=s.staff, assignment=kept, to_user=person)
        assert str(refused.value) == message
    assert set(s.panel.assignments.values_list("pk", "reviewer_id", "status")) == before
    assert not reassigned_rows().exists()


def test_a_deactivated_reviewer_is_neither_offered_nor_given_a_review():
    s = shortlisting(proposals=1, reviewers=3, reviews_needed=1)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assignment, free = holder_and_free(s)
    assert free.pk in {m.user_id for m in reassign_candidates(PROPOSAL_PANELS, assignment)}
    free.is_active = False
    free.save(update_fields=["is_active"])
    assert free.pk not in {m.user_id for m in reassign_candidates(PROPOSAL_PANELS, assignment)}
    with pytest.raises(ExchangeError, match="can no longer sign in"):
        proposal_assignment_reassign(actor=s.staff, assignment=assignment, to_user=free)


def test_only_staff_reassign_and_only_proposals_of_the_panels_round():
    s = shortlisting(proposals=1, reviewers=3, reviews_needed=1)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assignment, free = holder_and_free(s)
    for actor in (assignment.reviewer, s.chair):
        with pytest.raises(ExchangeError, match="permission"):
            proposal_assignment_reassign(actor=actor, assignment=assignment, to_user=free)
    # A membership panel's assignment is not Exchange's to move.
    from tests.factories.panels import panel_in_review

    joining = panel_in_review(s.staff).panel.assignments.first()
    with pytest.raises(ExchangeError, match="not a review of a Q Exchange proposal"):
        proposal_assignment_reassign(actor=s.staff, assignment=joining, to_user=free)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert not reassigned_rows().exists()


def test_reassign_candidates_are_the_reviewers_who_may_take_it():
    s = shortlisting(proposals=1, reviewers=4, reviews_needed=1)
    proposal = s.proposals[0]
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    first = s.panel.assignments.get()
    held = workspace_declare_conflict(
        PROPOSAL_PANELS, actor=first.reviewer, assignment=first, reason="A friend"
    )
    rest = [r for r in s.reviewers if r.pk not in {first.reviewer_id, held.reviewer_id}]
    TeamMember.objects.create(proposal=proposal, user=rest[0], role=TeamRole.MEMBER)
    assert [m.user for m in reassign_candidates(PROPOSAL_PANELS, held)] == [rest[1]]
    # Once taken from someone, they are offered it again.
    moved = proposal_assignment_reassign(actor=s.staff, assignment=held, to_user=rest[1])
    assert [m.user for m in reassign_candidates(PROPOSAL_PANELS, moved)] == [held.reviewer]


# Scores ----------------------------------------------------------------------------------------


def test_scores_are_hidden_from_other_reviewers_until_they_submit_their_own():
    s = shortlisting(proposals=1, reviewers=2, reviews_needed=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    a, b = s.panel.assignments.order_by("id")
    proposal = s.proposals[0]
    score(a, [4, 3])
    assert subject_reviews_for_viewer(viewer=b.reviewer, panel=s.panel, subject=proposal) is None
    assert len(subject_reviews_for_viewer(viewer=s.chair, panel=s.panel, subject=proposal)) == 1
    score(b, [1, 3])
    seen = subject_reviews_for_viewer(viewer=b.reviewer, panel=s.panel, subject=proposal)
    assert len(seen) == 2


def test_scoring_needs_the_conflict_question_first_and_only_once():
    s = shortlisting(proposals=1, reviewers=1, reviews_needed=1)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    assignment = s.panel.assignments.get()
    criteria = list(s.panel.scheme.criteria.all())
    scores = [ScoreInput(c.pk, 2) for c in criteria]
    with pytest.raises(ExchangeError, match="conflict of interest question"):
        proposal_review_submit(
            actor=assignment.reviewer,
            assignment=assignment,
            scores=scores,
            recommendation="support",
        )
    assignment_confirm_no_conflict(
        PROPOSAL_PANELS, actor=assignment.reviewer, assignment=assignment
    )
    with pytest.raises(ExchangeError) as error:
        proposal_review_submit(
            actor=assignment.reviewer,
            assignment=assignment,
            scores=[ScoreInput(criteria[0].pk, 9)],
            recommendation="support",
        )
    assert set(error.value.errors) == {f"criterion_{criteria[0].pk}", f"criterion_{criteria[1].pk}"}
    proposal_review_submit(
        actor=assignment.reviewer, assignment=assignment, scores=scores, recommendation="support"
    )
    assignment.refresh_from_db()
    with pytest.raises(ExchangeError, match="already submitted"):
        proposal_review_submit(
            actor=assignment.reviewer, assignment=assignment, scores=scores, recommendation="oppose"
        )


# Engagement ------------------------------------------------------------------------------------


def test_engagement_counts_outside_comments_team_replies_and_edits_after_feedback():
    s = shortlisting(proposals=2, reviewers=2)
    proposal, quiet = s.proposals
    lead = proposal.lead
    co_author = UserFactory(roles=[Role.MEMBER])
    invited = TeamMember.objects.create(proposal=proposal, user=co_author, role=TeamRole.CO_AUTHOR)
    # The team's edits happen while proposals are open (their edit window), so the story is
    # told as of an hour before the round's proposals closed.
    now = s.round.proposals_close_at - dt.timedelta(hours=1)
    team_invitation_accept(actor=co_author, member=invited, now=now - dt.timedelta(days=4))
    reader, other = UserFactory(roles=[Role.MEMBER]), UserFactory()
    answers = {sec.pk: "" for sec in s.round.sections.all()}

    def edit(text, at):
        first = next(iter(answers))
        proposal_update(
            actor=lead,
            proposal=proposal,
            title=proposal.title,
            summary=proposal.summary,
            theme=proposal.theme,
            answers={**answers, first: text},
            now=at,
        )

    edit("Before any feedback", now - dt.timedelta(days=3))  # before the first comment
    comment(proposal, lead, at=now - dt.timedelta(days=2, hours=12))  # the team's own: not feedback
    question = comment(proposal, reader, at=now - dt.timedelta(days=2))
    comment(proposal, other, parent=question, at=now - dt.timedelta(days=1, hours=12))
    comment(proposal, reader, hidden=True, at=now - dt.timedelta(days=1))
    comment(proposal, co_author, parent=question, at=now - dt.timedelta(hours=20))  # team reply
    comment(proposal, lead, parent=question, at=now - dt.timedelta(hours=19))  # team reply
    own = comment(proposal, lead, at=now - dt.timedelta(hours=18))
    comment(proposal, co_author, parent=own, at=now - dt.timedelta(hours=17))  # team to team
    edit("Changed after the question", now - dt.timedelta(hours=10))
    edit("Changed after the question", now - dt.timedelta(hours=9))  # nothing changed: no edit
    edit("Changed again", now - dt.timedelta(hours=8))
    Support.objects.create(proposal=proposal, user=reader)
    assert ProposalEdit.objects.filter(proposal=proposal).count() == 3

    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    figures = {p.pk: p for p in panel_proposals(s.panel)}
    got = figures[proposal.pk]
    assert (
        got.n_comments_received,
        got.n_team_replies,
        got.n_edits_after_feedback,
        got.n_supporters,
        got.n_votes,
    ) == (2, 2, 2, 1, 0)
    empty = figures[quiet.pk]
    assert (empty.n_comments_received, empty.n_team_replies, empty.n_edits_after_feedback) == (
        0,
        0,
        0,
    )


def test_panel_proposals_are_only_those_given_to_the_panel():
    s = shortlisting(proposals=2, reviewers=2)
    proposal_assignments_distribute(actor=s.staff, panel=s.panel)
    later = add_proposals(s.round, 1)[0]
    other_round = make_exchange_round()
    make_proposal(other_round, lead=UserFactory(roles=[Role.MEMBER]))
    assert {p.pk for p in panel_proposals(s.panel)} == {p.pk for p in s.proposals}
    assert later.pk not in {p.pk for p in panel_proposals(s.panel)}
