"""Rounds and proposals through their services: set-up, ideas, content within word limits, the
team, the plan, and every move in the stage table (allowed moves work, others are refused)."""

import datetime as dt

import pytest
from django.utils import timezone

from exchange.decisions.services import FUNDING_ACTIONS
from exchange.proposals.enums import PROPOSAL_TRANSITIONS, Stage, TeamRole, TimelineStatus
from exchange.proposals.models import Proposal
from exchange.proposals.services import (
    contributions_set,
    proposal_create,
    proposal_transition,
    proposal_update,
    team_invitation_accept,
    team_member_add,
    team_member_remove,
    timeline_item_add,
    timeline_item_change,
)
from exchange.rounds.services import (
    ROUND_DATE_FIELDS,
    ExchangeError,
    SectionSpec,
    ThemeSpec,
    round_create,
    round_publish,
    round_update_dates,
)
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def moderator(db):
    return UserFactory(roles=[Role.EXCHANGE_MODERATOR])


@pytest.fixture
def open_round():
    return make_exchange_round(voting_open=False)


def dates(start):
    return dict(
        zip(ROUND_DATE_FIELDS, [start + n * DAY for n in (0, 30, 40, 45, 60, 75)], strict=True)
    )


def test_staff_create_and_publish_a_round_with_themes_and_sections(staff_admin, member):
    start = timezone.now()
    spec = {
        "year": 2031,
        "name": "Q Exchange 2031",
        "dates": dates(start),
        "funding_cap": 30000,
        "choices_per_theme": 3,
        "themes": [ThemeSpec("Boundaries", "How can we improve across system boundaries?")],
        "sections": [SectionSpec("What is the challenge?", word_limit=300, required_for_idea=True),
                  SectionSpec("How will you share learning?")],
    }  # fmt: skip
    with pytest.raises(ExchangeError):
        round_create(actor=member, **spec)
    round_ = round_create(actor=staff_admin, **spec)
    assert [s.question for s in round_.sections.all()] == [
        "What is the challenge?",
        "How will you share learning?",
    ]
    assert not round_.is_published()
    with pytest.raises(ExchangeError) as error:
        round_create(actor=staff_admin, **spec)
    assert "year" in error.value.errors
    round_publish(actor=staff_admin, round_=round_)
    round_.refresh_from_db()
    assert round_.accepts_ideas(start + DAY)


def test_round_dates_out_of_order_are_refused_and_moves_are_audited(staff_admin):
    round_ = make_exchange_round()
    with pytest.raises(ExchangeError) as error:
        round_update_dates(
            actor=staff_admin,
            round_=round_,
            dates={"voting_closes_at": round_.voting_opens_at - DAY},
        )
    assert "voting_closes_at" in error.value.errors
    later = round_.decisions_at + 7 * DAY
    round_update_dates(actor=staff_admin, round_=round_, dates={"decisions_at": later})
    entry = AuditEntry.objects.get(action="exchange_round.dates")
    assert entry.data["decisions_at"]["to"] == later.isoformat()


def test_members_post_ideas_in_an_open_round_only(open_round, member):
    theme = open_round.themes.first()
    proposal = proposal_create(
        actor=member, round_=open_round, theme=theme, title="QI for all", summary="An academy."
    )
    assert (proposal.stage, proposal.slug, proposal.lead) == (Stage.IDEA, "qi-for-all", member)
    assert proposal.team.get().role == TeamRole.LEAD
    again = proposal_create(
        actor=member, round_=open_round, theme=theme, title="QI for all", summary="Again."
    )
    assert again.slug == "qi-for-all-2"
    with pytest.raises(ExchangeError):
        proposal_create(actor=UserFactory(), round_=open_round, theme=theme, title="x", summary="y")
    voting = make_exchange_round(voting_open=True)
    with pytest.raises(ExchangeError, match="not taking new ideas"):
        proposal_create(
            actor=member, round_=voting, theme=voting.themes.first(), title="x", summary="y"
        )


def test_answers_over_the_word_limit_save_nothing(open_round, member):
    proposal = make_proposal(open_round, lead=member, stage=Stage.IDEA)
    section = open_round.sections.first()
    too_long = "word " * (section.word_limit + 1)
    with pytest.raises(ExchangeError) as error:
        proposal_update(
            actor=member,
            proposal=proposal,
            title="New title",
            summary="New summary",
            theme=proposal.theme,
            answers={section.pk: too_long},
        )
    assert f"answer_{section.pk}" in error.value.errors
    proposal.refresh_from_db()
    assert proposal.title != "New title"
    proposal_update(
        actor=member,
        proposal=proposal,
        title="New title",
        summary="New summary",
        theme=proposal.theme,
        answers={section.pk: "Five words in this answer."},
    )
    answer = proposal.answers.get()
    assert (answer.words, Proposal.objects.get(pk=proposal.pk).title) == (5, "New title")
    found = Proposal.objects.filter(search_vector="answer")
    assert list(found) == [proposal]


def test_co_authors_edit_once_they_accept(open_round, member):
    proposal = make_proposal(open_round, lead=member, stage=Stage.IDEA)
    colleague = UserFactory(roles=[Role.MEMBER])
    invited = team_member_add(actor=member, proposal=proposal, user=colleague, co_author=True)
    answers = {}

    def edit(actor):
        proposal_update(
            actor=actor,
            proposal=proposal,
            title="Edited",
            summary="s",
            theme=proposal.theme,
            answers=answers,
        )

    with pytest.raises(ExchangeError):
        edit(colleague)
    team_invitation_accept(actor=colleague, member=invited)
    edit(colleague)
    named = team_member_add(
        actor=colleague, proposal=proposal, name="Mary Short", role_line="Community nurse"
    )
    with pytest.raises(ExchangeError):
        team_member_add(actor=member, proposal=proposal, name="Guest", co_author=True)
    team_member_remove(actor=member, member=named)
    with pytest.raises(ExchangeError):
        team_member_remove(actor=colleague, member=proposal.team.get(role=TeamRole.LEAD))


def test_an_idea_becomes_a_proposal_when_every_section_is_answered(open_round, member):
    proposal = make_proposal(open_round, lead=member, stage=Stage.IDEA)
    with pytest.raises(ExchangeError) as error:
        proposal_transition(actor=member, proposal=proposal, action="develop")
    assert len(error.value.errors) == open_round.sections.count()
    proposal_update(
        actor=member,
        proposal=proposal,
        title=proposal.title,
        summary=proposal.summary,
        theme=proposal.theme,
        answers={s.pk: "An answer." for s in open_round.sections.all()},
    )
    proposal = proposal_transition(actor=member, proposal=proposal, action="develop")
    assert proposal.stage == Stage.PROPOSAL
    assert proposal.developed_at
    late = open_round.proposals_close_at + DAY
    other = make_proposal(open_round, lead=member, stage=Stage.IDEA)
    with pytest.raises(ExchangeError, match="had to be ready by"):
        proposal_transition(actor=member, proposal=other, action="develop", now=late)


ACTORS = {"develop": "lead", "withdraw": "lead", "shortlist": "moderator",
          "fund": "moderator", "not_fund": "moderator"}  # fmt: skip


@pytest.mark.parametrize("action", sorted(PROPOSAL_TRANSITIONS))
@pytest.mark.parametrize("stage", Stage.values)
def test_the_stage_table_allows_its_moves_and_refuses_every_other(action, stage, moderator):
    round_ = make_exchange_round(voting_open=False)
    lead = UserFactory(roles=[Role.MEMBER])
    proposal = make_proposal(round_, lead=lead, stage=stage)
    proposal_update_all = {s.pk: "Answered." for s in round_.sections.all()}
    if stage in (Stage.IDEA, Stage.PROPOSAL):
        proposal_update(
            actor=lead,
            proposal=proposal,
            title=proposal.title,
            summary=proposal.summary,
            theme=proposal.theme,
            answers=proposal_update_all,
        )
    actor = lead if ACTORS[action] == "lead" else moderator
    transition = PROPOSAL_TRANSITIONS[action]
    now = round_.voting_closes_at + DAY if action in FUNDING_ACTIONS else round_.opens_at + DAY
    if stage in transition.sources:
        moved = proposal_transition(
            actor=actor, proposal=proposal, action=action, reason="Because", now=now
        )
        assert moved.stage == transition.target
        assert AuditEntry.objects.filter(action=f"exchange_proposal.{action}").count() == 1
    else:
        with pytest.raises(ExchangeError):
            proposal_transition(
                actor=actor, proposal=proposal, action=action, reason="Because", now=now
            )
        assert Proposal.objects.get(pk=proposal.pk).stage == stage


def test_decisions_need_a_moderator_a_reason_and_funding_waits_for_the_vote(moderator):
    round_ = make_exchange_round(voting_open=True)
    lead = UserFactory(roles=[Role.MEMBER])
    proposal = make_proposal(round_, lead=lead, stage=Stage.SHORTLISTED)
    with pytest.raises(ExchangeError):
        proposal_transition(actor=lead, proposal=proposal, action="fund", reason="x")
    with pytest.raises(ExchangeError, match="reason"):
        proposal_transition(actor=moderator, proposal=proposal, action="fund")
    with pytest.raises(ExchangeError, match="after voting closes"):
        proposal_transition(actor=moderator, proposal=proposal, action="fund", reason="x")


def test_a_funded_team_marks_moves_and_drops_plan_steps_with_reasons(open_round, member):
    proposal = make_proposal(open_round, lead=member, stage=Stage.IDEA)
    first = timeline_item_add(actor=member, proposal=proposal, on=dt.date(2025, 1, 6), title="A")
    second = timeline_item_add(actor=member, proposal=proposal, on=dt.date(2025, 2, 3), title="B")
    contributions_set(actor=member, proposal=proposal, points=["Advice", "", "Partners"])
    assert list(proposal.contributions.values_list("text", flat=True)) == ["Advice", "Partners"]
    with pytest.raises(ExchangeError, match="funded"):
        timeline_item_change(actor=member, item=first, status=TimelineStatus.DONE)
    Proposal.objects.filter(pk=proposal.pk).update(stage=Stage.FUNDED, decided_at=timezone.now())
    timeline_item_change(actor=member, item=first, status=TimelineStatus.DONE)
    with pytest.raises(ExchangeError):
        timeline_item_change(actor=member, item=second, status=TimelineStatus.MOVED,
                             on=dt.date(2025, 3, 3))  # fmt: skip
    moved = timeline_item_change(
        actor=member,
        item=second,
        status=TimelineStatus.MOVED,
        on=dt.date(2025, 3, 3),
        reason="Venue closed",
    )
    assert (moved.on, moved.planned_on) == (dt.date(2025, 3, 3), dt.date(2025, 2, 3))
    with pytest.raises(ExchangeError):
        timeline_item_add(actor=member, proposal=proposal, on=dt.date(2025, 4, 1), title="C")
