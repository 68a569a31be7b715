"""The voting-closing reminder, through the reminders engine: 2 days before voting closes, once,
to each active member who has not voted; not to those who voted, nor to those who turned
"Reminders to vote" off, nor to people who are not members, nor for unpublished rounds."""

import datetime as dt

import pytest
from django.utils import timezone

from exchange.rounds.models import Round
from exchange.voting.reminders import members_not_voted_before_closing
from exchange.voting.services import ballot_cast
from qcommunity.accounts.enums import Role
from qcommunity.core.formatting import uk_when
from qcommunity.notifications.services import notification_preferences_set
from qcommunity.outbox.models import OutboxEmail
from qcommunity.reminders.models import SentReminder
from qcommunity.reminders.registry import get_kind
from qcommunity.reminders.services import reminder_window, reminders_send_due, reminders_wanted
from tests.exchange.voting.test_voting_services import ids, standing_round
from tests.factories.accounts import UserFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

KIND = "exchange.voting_closing"
TEMPLATE = "reminder_exchange_voting_closing"
PREFERENCE = "exchange_voting_reminder"
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def reminded() -> set[int]:
    return set(SentReminder.objects.filter(kind=KIND).values_list("recipient_id", flat=True))


def member_choosing(delivery: str, **kwargs):
    person = UserFactory(roles=[Role.MEMBER], **kwargs)
    notification_preferences_set(user=person, choices={PREFERENCE: delivery}, actor=person)
    return person


@pytest.fixture
def voting():
    """Voting open, closing in 3 days; a member who voted, one who has not, an inactive member
    and a signed-up person who is not a member."""
    round_, themes, proposals, _, _ = standing_round()
    closes = timezone.now().replace(microsecond=0) + 3 * DAY
    Round.objects.filter(pk=round_.pk).update(
        voting_closes_at=closes, decisions_at=closes + 10 * DAY
    )
    round_.refresh_from_db()
    Round.objects.exclude(pk=round_.pk).update(published_at=None)
    voter = UserFactory(roles=[Role.MEMBER])
    ballot_cast(
        actor=voter,
        round_=round_,
        proposal_ids=ids(proposals[themes[0].pk][:2] + proposals[themes[1].pk][:2]),
    )
    laggard = UserFactory(roles=[Role.MEMBER], full_name="Lena Laggard", preferred_name="")
    inactive = UserFactory(roles=[Role.MEMBER], is_active=False)
    guest = UserFactory()
    return round_, voter, laggard, inactive, guest


def test_members_who_have_not_voted_are_reminded_once_2_days_before_closing(voting):
    round_, voter, laggard, inactive, guest = voting
    due = round_.voting_closes_at - 2 * DAY

    assert reminders_send_due(now=due - HOUR) == 0
    sent_now = reminders_send_due(now=due)
    assert reminders_send_due(now=due + HOUR) == 0

    assert laggard.pk in reminded()
    assert not {voter.pk, inactive.pk, guest.pk} & reminded()
    assert sent_now == len(reminded())  # every other member without a ballot, once each
    email = OutboxEmail.objects.get(recipient=laggard.email, kind=TEMPLATE)
    closes = round_.voting_closes_at
    assert email.subject == (
        f"Voting in {round_.name} closes {uk_when(closes, now=due)}: you have not voted yet"
    )
    assert timezone.localtime(closes).strftime("%A") in email.subject
    assert f"/exchange/{round_.year}/vote/" in email.body_text
    assert "Dear Lena Laggard" in email.body_text
    assert "To stop reminders to vote, go to http://127.0.0.1:8000/me/notifications/" in (
        email.body_text
    )
    assert 'href="http://127.0.0.1:8000/me/notifications/">Stop reminders to vote</a>' in (
        email.body_html
    )


def test_voting_before_the_reminder_stops_it(voting):
    round_, _, laggard, _, _ = voting
    themes = list(round_.themes.all())
    standing = {t.pk: list(t.proposals.order_by("id")[:3]) for t in themes}
    ballot_cast(
        actor=laggard,
        round_=round_,
        proposal_ids=ids(standing[themes[0].pk][:2] + standing[themes[1].pk][:2]),
    )
    reminders_send_due(now=round_.voting_closes_at - 2 * DAY)
    assert laggard.pk not in reminded()


def test_an_unpublished_round_sends_no_reminder(voting):
    round_, *_ = voting
    Round.objects.filter(pk=round_.pk).update(published_at=None)
    assert reminders_send_due(now=round_.voting_closes_at - 2 * DAY) == 0


def test_members_who_turned_reminders_to_vote_off_are_not_reminded(voting):
    round_, _, laggard, _, _ = voting
    opted_out = member_choosing("off")
    summary = member_choosing("daily")

    reminders_send_due(now=round_.voting_closes_at - 2 * DAY)

    assert opted_out.pk not in reminded()
    assert {laggard.pk, summary.pk} <= reminded()  # the default, and the daily summary, get it
    # A reminder about a closing date is not held for the morning summary: its own email.
    assert OutboxEmail.objects.filter(recipient=summary.email, kind=TEMPLATE).count() == 1
    assert not OutboxEmail.objects.filter(recipient=opted_out.email).exists()


def test_the_members_query_itself_leaves_out_those_who_turned_it_off(voting):
    round_, _, laggard, _, _ = voting
    opted_out = member_choosing("off")
    due = round_.voting_closes_at - 2 * DAY

    recipients = {d.recipient.pk for d in members_not_voted_before_closing(since=due, until=due)}

    assert laggard.pk in recipients
    assert opted_out.pk not in recipients


def test_finding_who_to_remind_runs_the_same_queries_for_one_and_many_members(voting):
    round_, *_ = voting
    kind = get_kind(KIND)
    since, until = reminder_window(kind, round_.voting_closes_at - 2 * DAY)
    found = []

    def find():
        found[:] = [due.recipient.pk for due in reminders_wanted(kind, since, until)]

    def add_rows(n):
        for i in range(n):
            member_choosing("off" if i % 2 else "daily")

    find()
    before = len(found)
    assert_constant_queries(find, add_rows, many=10)
    assert len(found) == before + 5  # the 5 on the daily summary; the 5 who turned it off left out
