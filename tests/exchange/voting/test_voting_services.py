"""Supporting and the ballot rules through the services, tried the ways a member (or a race)
might break them: one ballot per member per round, exactly the round's number of choices per
theme, standing proposals of the round only, the voting window. Where the service's own checks
are taken away, the database still refuses, and the service says so in words."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from exchange.proposals.enums import Stage
from exchange.rounds.models import Round
from exchange.rounds.services import ExchangeError
from exchange.voting import services as services_voting
from exchange.voting.models import Ballot, BallotChoice, Support
from exchange.voting.services import ballot_cast, support_add, support_remove
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal

DAY = dt.timedelta(days=1)


def member():
    return UserFactory(roles=[Role.MEMBER])


def standing_round(choices_per_theme=2, per_theme=3):
    """A round with voting open: two themes with `per_theme` standing proposals each (the
    second shortlisted), and in theme 1 an idea and a withdrawn proposal that do not stand."""
    round_ = make_exchange_round(choices_per_theme=choices_per_theme)
    lead = member()
    themes = list(round_.themes.all())
    proposals = {
        theme.pk: [
            make_proposal(
                round_,
                lead=lead,
                theme=theme,
                stage=Stage.SHORTLISTED if n == 1 else Stage.PROPOSAL,
            )
            for n in range(per_theme)
        ]
        for theme in themes
    }
    idea = make_proposal(round_, lead=lead, theme=themes[0], stage=Stage.IDEA)
    withdrawn = make_proposal(round_, lead=lead, theme=themes[0], stage=Stage.WITHDRAWN)
    return round_, themes, proposals, idea, withdrawn


def ids(proposals) -> set[int]:
    return {p.pk for p in proposals}


def chosen_on(ballot) -> set[int]:
    return set(BallotChoice.objects.filter(ballot=ballot).values_list("proposal_id", flat=True))


@pytest.fixture
def setup(db):
    return standing_round()


# Casting and changing ----------------------------------------------------------------------------


def test_a_ballot_with_exactly_the_choices_per_theme_is_saved_and_audited(setup):
    round_, themes, proposals, _, _ = setup
    voter = member()
    choice = ids(proposals[themes[0].pk][:2]) | ids(proposals[themes[1].pk][1:])

    ballot = ballot_cast(actor=voter, round_=round_, proposal_ids=choice)

    assert chosen_on(ballot) == choice
    entry = AuditEntry.objects.get(action="exchange_ballot.cast")
    assert entry.data == {"round": round_.year}


def test_changing_the_ballot_replaces_its_choices_and_keeps_one_ballot(setup):
    round_, themes, proposals, _, _ = setup
    voter = member()
    first = ids(proposals[themes[0].pk][:2]) | ids(proposals[themes[1].pk][:2])
    second = ids(proposals[themes[0].pk][1:]) | ids(proposals[themes[1].pk][:2])
    ballot_cast(actor=voter, round_=round_, proposal_ids=first)

    ballot = ballot_cast(actor=voter, round_=round_, proposal_ids=second)

    assert Ballot.objects.filter(round=round_, voter=voter).count() == 1
    assert chosen_on(ballot) == second
    assert AuditEntry.objects.filter(action="exchange_ballot.change").count() == 1


@pytest.mark.parametrize(
    ("first", "second", "wrong"),
    [(1, 2, "Choose 2 proposals in Theme 1: you chose 1"),
     (3, 2, "Choose no more than 2 proposals in Theme 1: you chose 3"),
     (2, 0, "Choose 2 proposals in Theme 2")],
)  # fmt: skip
def test_too_few_or_too_many_in_a_theme_is_refused_with_words_for_that_theme(
    setup, first, second, wrong
):
    round_, themes, proposals, _, _ = setup
    voter = member()
    choice = ids(proposals[themes[0].pk][:first]) | ids(proposals[themes[1].pk][:second])

    with pytest.raises(ExchangeError) as error:
        ballot_cast(actor=voter, round_=round_, proposal_ids=choice)

    assert wrong in error.value.errors.values()
    assert len(error.value.errors) == 1
    assert not Ballot.objects.filter(voter=voter).exists()


def test_a_failed_change_keeps_the_ballot_as_it_was(setup):
    round_, themes, proposals, _, _ = setup
    voter = member()
    first = ids(proposals[themes[0].pk][:2]) | ids(proposals[themes[1].pk][:2])
    ballot = ballot_cast(actor=voter, round_=round_, proposal_ids=first)

    with pytest.raises(ExchangeError):
        ballot_cast(actor=voter, round_=round_, proposal_ids=ids(proposals[themes[0].pk][:2]))

    assert chosen_on(ballot) == first


@pytest.mark.parametrize("stranger", ["idea", "withdrawn", "other_round"])
def test_a_proposal_not_standing_in_the_round_cannot_be_chosen(setup, stranger):
    round_, themes, proposals, idea, withdrawn = setup
    other = make_proposal(make_exchange_round(), lead=member())
    odd_one = {"idea": idea, "withdrawn": withdrawn, "other_round": other}[stranger]
    choice = {proposals[themes[0].pk][0].pk, odd_one.pk} | ids(proposals[themes[1].pk][:2])

    with pytest.raises(ExchangeError) as error:
        ballot_cast(actor=member(), round_=round_, proposal_ids=choice)

    assert "no longer standing" in error.value.errors["ballot"]
    assert not Ballot.objects.exists()


def test_where_fewer_stand_than_the_round_asks_the_member_chooses_all_of_them(db):
    round_, themes, proposals, _, _ = standing_round(choices_per_theme=3, per_theme=2)
    every = ids(proposals[themes[0].pk]) | ids(proposals[themes[1].pk])

    with pytest.raises(ExchangeError) as error:
        ballot_cast(
            actor=member(),
            round_=round_,
            proposal_ids=every - {proposals[themes[1].pk][0].pk},
        )
    assert error.value.errors == {
        f"theme_{themes[1].pk}": "Choose 2 proposals in Theme 2: you chose 1"
    }

    assert chosen_on(ballot_cast(actor=member(), round_=round_, proposal_ids=every)) == every


def test_people_who_are_not_members_cannot_vote(setup):
    round_, themes, proposals, _, _ = setup
    choice = ids(proposals[themes[0].pk][:2]) | ids(proposals[themes[1].pk][:2])
    superuser = UserFactory(roles=[Role.STAFF_ADMIN], is_staff=True, is_superuser=True)
    for outsider in (UserFactory(), UserFactory(roles=[Role.STAFF_ADMIN]), superuser):
        with pytest.raises(ExchangeError, match="Only members of Q can vote"):
            ballot_cast(actor=outsider, round_=round_, proposal_ids=choice)
    assert not Ballot.objects.exists()


def test_a_non_member_is_refused_by_the_database_when_the_service_check_is_skipped(
    setup, monkeypatch
):
    """As if the member role was removed between the service's check and the write."""
    round_, themes, proposals, _, _ = setup
    monkeypatch.setattr(services_voting, "may_vote", lambda user: True)
    superuser = UserFactory(roles=[Role.STAFF_ADMIN], is_staff=True, is_superuser=True)
    choice = ids(proposals[themes[0].pk][:2]) | ids(proposals[themes[1].pk][:2])

    with pytest.raises(ExchangeError, match="Only members of Q can vote"):
        ballot_cast(actor=superuser, round_=round_, proposal_ids=choice)
    assert not Ballot.objects.exists()


def test_turnout_counts_one_population_the_ballots_of_members(setup):
    """Eligible: active members. Ballots: those members' ballots; a voter who has since stopped
    being a member counts in neither."""
    from exchange.voting.selectors import eligible_voters, round_turnout
    from qcommunity.accounts.models import UserRole

    round_, themes, proposals, _, _ = setup
    choice = ids(proposals[themes[0].pk][:2]) | ids(proposals[themes[1].pk][:2])
    voters = [member() for _ in range(3)]
    for voter in voters:
        ballot_cast(actor=voter, round_=round_, proposal_ids=choice)
    UserRole.objects.filter(user=voters[0], role=Role.MEMBER).delete()

    turnout = round_turnout(round_)

    assert turnout.ballots == 2
    assert turnout.eligible == eligible_voters().count()
    assert not eligible_voters().filter(pk=voters[0].pk).exists()
    assert turnout.by_day[-1][2] == 2
    assert turnout.percentage == round(100 * 2 / turnout.eligible, 1)


# The voting window ---------------------------------------------------------------------------


def move_window(round_: Round, *, when: str) -> None:
    """Voting "before" (opens in 2 days) or "after" (closed yesterday), the other dates kept."""
    now = timezone.now()
    if when == "before":
        opens, closes = now + 2 * DAY, now + 16 * DAY
    else:
        opens, closes = now - 9 * DAY, now - DAY
    Round.objects.filter(pk=round_.pk).update(
        voting_opens_at=opens, voting_closes_at=closes, decisions_at=closes + 10 * DAY
    )
    round_.refresh_from_db()


@pytest.mark.parametrize(("when", "words"), [("before", "opens on"), ("after", "closed on")])
def test_outside_the_window_the_service_refuses(setup, when, words):
    round_, themes, proposals, _, _ = setup
    move_window(round_, when=when)
    choice = ids(proposals[themes[0].pk][:2]) | ids(proposals[themes[1].pk][:2])

    with pytest.raises(ExchangeError, match=words):
        ballot_cast(actor=member(), round_=round_, proposal_ids=choice)
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("when", ["before", "after"])
def test_outside_the_window_the_database_refuses_when_the_service_check_is_skipped(
    setup, monkeypatch, when
):
    """As if the window closed between the service's check and the write."""
    round_, themes, proposals, _, _ = setup
    move_window(round_, when=when)
    monkeypatch.setattr(services_voting, "_window_error", lambda round_, now: None)
    choice = ids(proposals[themes[0].pk][:2]) | ids(proposals[themes[1].pk][:2])

    with pytest.raises(ExchangeError, match="Voting is not open"):
        ballot_cast(actor=member(), round_=round_, proposal_ids=choice)
    assert not Ballot.objects.exists()


def test_wrong_counts_are_refused_by_the_database_when_the_service_check_is_skipped(
    setup, monkeypatch
):
    """As if a proposal was withdrawn while the member was choosing."""
    round_, themes, proposals, _, _ = setup
    monkeypatch.setattr(services_voting, "ballot_problems", lambda *args: {})

    with pytest.raises(ExchangeError, match="Check your choices") as error:
        ballot_cast(actor=member(), round_=round_, proposal_ids=ids(proposals[themes[0].pk][:1]))

    assert "ballot" in error.value.errors
    assert not Ballot.objects.exists()


# Two requests at once ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_ballots_cast_at_once_by_one_member_end_as_one_ballot():
    round_, themes, proposals, _, _ = standing_round()
    voter = member()
    one = ids(proposals[themes[0].pk][:2]) | ids(proposals[themes[1].pk][:2])
    two = ids(proposals[themes[0].pk][1:]) | ids(proposals[themes[1].pk][1:])
    for attempt in range(3):
        barrier = threading.Barrier(2)
        errors = []

        def cast(choice, barrier=barrier, errors=errors):
            try:
                barrier.wait(timeout=10)
                ballot_cast(actor=voter, round_=round_, proposal_ids=choice)
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=cast, args=(c,)) for c in (one, two)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert errors == [], f"attempt {attempt}: {errors}"
        ballots = list(Ballot.objects.filter(round=round_, voter=voter))
        assert len(ballots) == 1
        assert chosen_on(ballots[0]) in (one, two)
        Ballot.objects.all().delete()


# Supporting -------------------------------------------------------------------------------------


def test_supporting_and_stopping_are_idempotent(setup):
    _, themes, proposals, _, _ = setup
    proposal = proposals[themes[0].pk][0]
    supporter = member()

    assert support_add(actor=supporter, proposal=proposal) is True
    assert support_add(actor=supporter, proposal=proposal) is False
    assert Support.objects.filter(proposal=proposal, user=supporter).count() == 1
    assert support_remove(actor=supporter, proposal=proposal) is True
    assert support_remove(actor=supporter, proposal=proposal) is False
    assert not Support.objects.exists()


def test_only_members_support_and_not_withdrawn_proposals(setup):
    _, themes, proposals, _, withdrawn = setup
    with pytest.raises(ExchangeError, match="Only members of Q can support"):
        support_add(actor=UserFactory(), proposal=proposals[themes[0].pk][0])
    with pytest.raises(ExchangeError, match="withdrawn"):
        support_add(actor=member(), proposal=withdrawn)
    assert not Support.objects.exists()
