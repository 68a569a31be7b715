"""Rules the database holds for Q Exchange on its own, whatever code writes the rows: the
ballot rules (one ballot, exact choices per theme, standing proposals of the round, the voting
window) and the shape of rounds, teams, timelines and hidden comments."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from exchange.comments.models import Comment
from exchange.proposals.enums import Stage, TeamRole, TimelineStatus
from exchange.proposals.models import TeamMember, TimelineItem
from exchange.voting.models import Ballot, BallotChoice
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import UserRole
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal

pytestmark = pytest.mark.django_db


def check_now() -> None:
    """Fire the deferred constraint triggers now, as the commit would."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def standing():
    """A round with voting open: two themes, three standing proposals in each, two to choose."""
    round_ = make_exchange_round(choices_per_theme=2)
    lead = UserFactory()
    themes = list(round_.themes.all())
    proposals = {
        theme.pk: [make_proposal(round_, lead=lead, theme=theme) for _ in range(3)]
        for theme in themes
    }
    return round_, themes, proposals


def member():
    return UserFactory(roles=[Role.MEMBER])


def cast(round_, voter, chosen) -> Ballot:
    ballot = Ballot.objects.create(round=round_, voter=voter)
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, proposal=p, theme_id=p.theme_id) for p in chosen
    )
    return ballot


def refused(constraint: str):
    return pytest.raises(IntegrityError, match=constraint)


def test_a_ballot_with_exactly_the_choices_per_theme_is_kept(standing):
    round_, themes, proposals = standing
    chosen = proposals[themes[0].pk][:2] + proposals[themes[1].pk][1:]
    with transaction.atomic():
        ballot = cast(round_, member(), chosen)
        check_now()
    assert ballot.choices.count() == 4


@pytest.mark.parametrize(("first", "second"), [(1, 2), (3, 2), (2, 0)])
def test_too_few_or_too_many_choices_in_a_theme_are_refused(standing, first, second):
    round_, themes, proposals = standing
    chosen = proposals[themes[0].pk][:first] + proposals[themes[1].pk][:second]
    with refused("choices in theme"), transaction.atomic():
        cast(round_, member(), chosen)
        check_now()


def test_an_empty_ballot_is_refused(standing):
    round_, _, _ = standing
    with refused("choices in theme"), transaction.atomic():
        Ballot.objects.create(round=round_, voter=member())
        check_now()


def test_changing_a_ballot_is_judged_on_the_result_at_commit(standing):
    round_, themes, proposals = standing
    voter = member()
    with transaction.atomic():
        ballot = cast(round_, voter, proposals[themes[0].pk][:2] + proposals[themes[1].pk][:2])
        check_now()
    with transaction.atomic():
        ballot.choices.filter(theme=themes[0]).delete()
        replacement = proposals[themes[0].pk][1:]
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, proposal=p, theme_id=p.theme_id) for p in replacement
        )
        check_now()
    assert set(ballot.choices.values_list("proposal_id", flat=True)) == {
        p.pk for p in replacement + proposals[themes[1].pk][:2]
    }
    with refused("choices in theme"), transaction.atomic():
        ballot.choices.filter(theme=themes[1]).first().delete()
        check_now()


def test_one_ballot_per_member_per_round(standing):
    round_, themes, proposals = standing
    voter = member()
    chosen = proposals[themes[0].pk][:2] + proposals[themes[1].pk][:2]
    with transaction.atomic():
        cast(round_, voter, chosen)
    with refused("exchange_ballot_one"), transaction.atomic():
        cast(round_, voter, chosen)


@pytest.mark.parametrize("stage", [Stage.IDEA, Stage.WITHDRAWN, Stage.NOT_FUNDED])
def test_a_proposal_not_standing_cannot_be_chosen(standing, stage):
    round_, themes, proposals = standing
    other = make_proposal(round_, lead=UserFactory(), theme=themes[0], stage=stage)
    chosen = [other, proposals[themes[0].pk][0], *proposals[themes[1].pk][:2]]
    with refused("not standing"), transaction.atomic():
        cast(round_, member(), chosen)
        check_now()


def test_a_proposal_of_another_round_or_the_wrong_theme_cannot_be_chosen(standing):
    round_, themes, proposals = standing
    elsewhere = make_exchange_round()
    stranger = make_proposal(elsewhere, lead=UserFactory())
    with refused("not standing"), transaction.atomic():
        ballot = Ballot.objects.create(round=round_, voter=member())
        BallotChoice.objects.create(ballot=ballot, proposal=stranger, theme=themes[0])
        for p in [proposals[themes[0].pk][0], *proposals[themes[1].pk][:2]]:
            BallotChoice.objects.create(ballot=ballot, proposal=p, theme_id=p.theme_id)
        check_now()
    mislabelled = proposals[themes[1].pk][2]
    with refused("not standing"), transaction.atomic():
        ballot = Ballot.objects.create(round=round_, voter=member())
        BallotChoice.objects.create(ballot=ballot, proposal=mislabelled, theme=themes[0])
        for p in [proposals[themes[0].pk][0], *proposals[themes[1].pk][:2]]:
            BallotChoice.objects.create(ballot=ballot, proposal=p, theme_id=p.theme_id)
        check_now()


def test_a_theme_with_fewer_standing_proposals_needs_all_of_them():
    round_ = make_exchange_round(choices_per_theme=3, themes=1)
    only = [make_proposal(round_, lead=UserFactory()) for _ in range(2)]
    with transaction.atomic():
        cast(round_, member(), only)
        check_now()
    with refused("choices in theme"), transaction.atomic():
        cast(round_, member(), only[:1])
        check_now()


def test_ballots_are_refused_outside_the_voting_window_unless_the_transaction_says_so():
    round_ = make_exchange_round(voting_open=False, themes=1, choices_per_theme=1)
    proposal = make_proposal(round_, lead=UserFactory())
    with refused("is not open"), transaction.atomic():
        cast(round_, member(), [proposal])
        check_now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL exchange.ballot_outside_window = 'on'")
        cast(round_, member(), [proposal])
        check_now()


@pytest.mark.parametrize(
    "voter",
    [
        pytest.param(UserFactory, id="signed-in-user"),
        pytest.param(
            lambda: UserFactory(roles=[Role.STAFF_ADMIN], is_staff=True, is_superuser=True),
            id="superuser-staff-admin",
        ),
        pytest.param(lambda: UserFactory(roles=[Role.MEMBER], is_active=False), id="inactive"),
    ],
)
def test_a_ballot_whose_voter_is_not_a_member_is_refused(standing, voter):
    """A raw insert that bypasses `ballot_cast`: the database itself holds "only members vote"."""
    round_, themes, proposals = standing
    chosen = proposals[themes[0].pk][:2] + proposals[themes[1].pk][:2]
    with refused("is not a member"), transaction.atomic():
        cast(round_, voter(), chosen)
        check_now()
    assert not Ballot.objects.exists()


def test_a_member_whose_role_is_removed_cannot_change_their_ballot(standing):
    round_, themes, proposals = standing
    voter = member()
    with transaction.atomic():
        ballot = cast(round_, voter, proposals[themes[0].pk][:2] + proposals[themes[1].pk][:2])
        check_now()
    UserRole.objects.filter(user=voter, role=Role.MEMBER).delete()
    with refused("is not a member"), transaction.atomic():
        ballot.choices.filter(theme=themes[0]).delete()
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, proposal=p, theme_id=p.theme_id)
            for p in proposals[themes[0].pk][1:]
        )
        check_now()


def test_round_dates_must_be_in_order():
    round_ = make_exchange_round()
    round_.voting_closes_at = round_.voting_opens_at - dt.timedelta(hours=1)
    with refused("exchange_round_dates_in_order"), transaction.atomic():
        round_.save()


def test_team_members_are_named_and_only_members_edit():
    round_ = make_exchange_round()
    lead = UserFactory()
    proposal = make_proposal(round_, lead=lead)
    TeamMember.objects.create(proposal=proposal, name="Mary Short", role_line="Community nurse")
    with refused("exchange_team_member_named"), transaction.atomic():
        TeamMember.objects.create(proposal=proposal, role_line="Nobody")
    with refused("exchange_team_editor_has_account"), transaction.atomic():
        TeamMember.objects.create(proposal=proposal, name="Idil", role=TeamRole.CO_AUTHOR)
    with refused("exchange_team_one_lead"), transaction.atomic():
        TeamMember.objects.create(proposal=proposal, user=UserFactory(), role=TeamRole.LEAD)
    with refused("exchange_team_member_once"), transaction.atomic():
        TeamMember.objects.create(proposal=proposal, user=lead)


def test_moved_timeline_items_and_hidden_comments_carry_a_reason():
    proposal = make_proposal(make_exchange_round(), lead=UserFactory())
    with refused("exchange_timeline_change_has_reason"), transaction.atomic():
        TimelineItem.objects.create(
            proposal=proposal, on=dt.date(2025, 5, 5), title="Session", status=TimelineStatus.MOVED
        )
    with refused("exchange_comment_hidden_has_reason"), transaction.atomic():
        Comment.objects.create(
            proposal=proposal,
            author=UserFactory(),
            body="x",
            body_html="<p>x</p>",
            hidden_at=timezone.now(),
        )
