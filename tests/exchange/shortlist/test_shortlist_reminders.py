"""The proposal deadline reminder: 7 days before proposals close, once, to the lead of each idea
not yet developed into a full proposal; not for proposals, withdrawn ideas, unpublished rounds,
nor once proposals have closed."""

import datetime as dt

import pytest
from django.utils import timezone

from exchange.proposals.enums import Stage
from exchange.rounds.models import Round
from qcommunity.accounts.enums import Role
from qcommunity.core.formatting import uk_when
from qcommunity.outbox.models import OutboxEmail
from qcommunity.reminders.models import SentReminder
from qcommunity.reminders.services import reminders_send_due
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal

pytestmark = pytest.mark.django_db

KIND = "exchange.proposal_deadline"
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def reminded() -> set[int]:
    return set(SentReminder.objects.filter(kind=KIND).values_list("recipient_id", flat=True))


@pytest.fixture
def ideas():
    Round.objects.update(published_at=None)
    round_ = make_exchange_round(voting_open=False)  # proposals close in 30 days
    closes = timezone.now().replace(microsecond=0) + 10 * DAY
    Round.objects.filter(pk=round_.pk).update(proposals_close_at=closes)
    round_.refresh_from_db()

    def lead(name):
        return UserFactory(roles=[Role.MEMBER], full_name=name, preferred_name="")

    idea = make_proposal(round_, lead=lead("Ida Idea"), stage=Stage.IDEA)
    developed = make_proposal(round_, lead=lead("Dev Eloped"), stage=Stage.PROPOSAL)
    withdrawn = make_proposal(round_, lead=lead("Will Drawn"), stage=Stage.WITHDRAWN)
    draft = make_exchange_round(voting_open=False)
    Round.objects.filter(pk=draft.pk).update(proposals_close_at=closes, published_at=None)
    hidden = make_proposal(draft, lead=lead("Un Published"), stage=Stage.IDEA)
    return round_, idea, developed, withdrawn, hidden


def test_leads_of_ideas_are_reminded_once_7_days_before_proposals_close(ideas):
    round_, idea, _developed, _withdrawn, _hidden = ideas
    due = round_.proposals_close_at - 7 * DAY
    assert reminders_send_due(now=due - HOUR) == 0
    assert reminders_send_due(now=due) == 1
    assert reminders_send_due(now=due + DAY) == 0
    assert reminded() == {idea.lead_id}
    email = OutboxEmail.objects.get(
        recipient=idea.lead.email, kind="reminder_exchange_proposal_deadline"
    )
    closes = round_.proposals_close_at
    assert email.subject == (
        f'"{idea.title}" is still an idea: proposals close {uk_when(closes, now=due)}'
    )
    assert f"{timezone.localtime(closes):%A}" in email.subject
    assert f"/exchange/proposals/{idea.slug}/develop/" in email.body_text
    assert "Dear Ida Idea" in email.body_text


def test_nothing_is_sent_once_proposals_have_closed(ideas):
    round_ = ideas[0]
    assert reminders_send_due(now=round_.proposals_close_at + HOUR) == 0
    assert reminded() == set()
