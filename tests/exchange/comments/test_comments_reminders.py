"""The "comments closing" reminder: 3 days before a round's comments close, the team (lead and
accepted co-authors) of each proposal with a comment nobody on the team has answered hears of
it, once."""

import datetime as dt

import pytest
from django.utils import timezone

from exchange.comments.services import comment_hide, comment_post
from exchange.proposals.services import proposal_transition
from qcommunity.core.formatting import uk_time
from qcommunity.outbox.models import OutboxEmail
from qcommunity.reminders.registry import get_kind
from qcommunity.reminders.services import reminder_kind_send_due
from tests.exchange.comments.helpers import add_co_author, guest, member, moderator, open_proposal

pytestmark = pytest.mark.django_db

KIND = "exchange.comments_closing"


def send(proposal, before_closing: dt.timedelta) -> int:
    return reminder_kind_send_due(
        kind=get_kind(KIND), now=proposal.round.comments_close_at - before_closing
    )


def recipients() -> list[str]:
    return sorted(
        OutboxEmail.objects.filter(kind="reminder_exchange_comments_closing").values_list(
            "recipient", flat=True
        )
    )


def test_the_team_is_reminded_three_days_before_closing_and_only_once():
    proposal = open_proposal()
    co_author = add_co_author(proposal)
    pending = add_co_author(proposal, accepted=False)
    comment_post(actor=guest(), proposal=proposal, body="Will you share the results?")
    assert send(proposal, dt.timedelta(days=3, hours=1)) == 0
    assert send(proposal, dt.timedelta(days=2, hours=23)) == 2
    assert recipients() == sorted([proposal.lead.email, co_author.email])
    assert pending.email not in recipients()
    email = OutboxEmail.objects.get(
        recipient=proposal.lead.email, kind="reminder_exchange_comments_closing"
    )
    assert proposal.title in email.subject
    assert f"/exchange/proposals/{proposal.slug}/#comments" in email.body_text
    # Not twice: a later run, and a run a day later, send nothing more.
    assert send(proposal, dt.timedelta(days=2, hours=23)) == 0
    assert send(proposal, dt.timedelta(days=1)) == 0
    assert len(recipients()) == 2


def test_no_reminder_once_comments_have_closed():
    proposal = open_proposal()
    comment_post(actor=member(), proposal=proposal, body="A question")
    assert send(proposal, -dt.timedelta(minutes=1)) == 0


def test_answered_hidden_and_team_comments_need_no_reminder():
    answered = open_proposal()
    question = comment_post(actor=member(), proposal=answered, body="A question")
    comment_post(actor=answered.lead, proposal=answered, body="An answer", parent=question)

    by_co_author = open_proposal()
    co_author = add_co_author(by_co_author)
    question = comment_post(actor=guest(), proposal=by_co_author, body="A question")
    comment_post(actor=co_author, proposal=by_co_author, body="An answer", parent=question)
    comment_post(actor=by_co_author.lead, proposal=by_co_author, body="Our own update")

    hidden = open_proposal()
    rude = comment_post(actor=member(), proposal=hidden, body="Rude")
    comment_hide(actor=moderator(), comment=rude, reason="Abusive")

    only_others_replied = open_proposal()
    question = comment_post(actor=member(), proposal=only_others_replied, body="A question")
    comment_post(actor=member(), proposal=only_others_replied, body="Me too", parent=question)

    withdrawn = open_proposal()
    comment_post(actor=member(), proposal=withdrawn, body="A question")
    proposal_transition(actor=withdrawn.lead, proposal=withdrawn, action="withdraw")

    for proposal in (answered, by_co_author, hidden, withdrawn):
        send(proposal, dt.timedelta(days=2))
        assert proposal.lead.email not in recipients(), proposal
    send(only_others_replied, dt.timedelta(days=2))
    assert only_others_replied.lead.email in recipients()


def test_the_reminder_is_registered_with_its_email_template():
    kind = get_kind(KIND)
    assert kind.lead == dt.timedelta(days=3)
    assert kind.template == "reminder_exchange_comments_closing"


def test_the_subject_says_the_closing_date_from_when_it_is_sent():
    """Sent about 2 days before closing (a run that came late), it must not say "in 3 days"."""
    proposal = open_proposal()
    comment_post(actor=guest(), proposal=proposal, body="Will you share the results?")
    closes = proposal.round.comments_close_at
    sent_at = closes - dt.timedelta(days=2, hours=1)
    assert reminder_kind_send_due(kind=get_kind(KIND), now=sent_at) == 1
    email = OutboxEmail.objects.get(kind="reminder_exchange_comments_closing")
    local = timezone.localtime(closes)
    assert "in 3 days" not in email.subject
    assert email.subject == (
        f'Comments on "{proposal.title}" close on {local:%A} {local.day} {local:%B}'
        f"{'' if local.year == timezone.localtime(sent_at).year else f' {local.year}'}"
        f" at {uk_time(closes)}: some have no reply from your team"
    )
