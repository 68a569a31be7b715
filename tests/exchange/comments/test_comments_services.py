"""The comment services: who may comment and when, the edit window, replies, reports once per
person, hiding with a reason (the replies stay), the audit trail, and the notifications the team
and the commenters get through their preferences."""

import datetime as dt

import pytest
from django.utils import timezone

from exchange.comments.models import Comment, CommentReport
from exchange.comments.notifications import COMMENT_REPLY, PROPOSAL_COMMENT
from exchange.comments.services import (
    comment_can_edit,
    comment_edit,
    comment_hide,
    comment_post,
    comment_report,
    comment_reports_dismiss,
    comment_unhide,
)
from exchange.proposals.enums import Stage
from exchange.rounds.models import Round
from exchange.rounds.services import ExchangeError
from qcommunity.audit.models import AuditEntry
from qcommunity.notifications.models import DigestItem
from qcommunity.notifications.services import notification_preferences_set
from qcommunity.outbox.models import OutboxEmail
from tests.exchange.comments.helpers import (
    add_co_author,
    guest,
    member,
    moderator,
    open_proposal,
)

pytestmark = pytest.mark.django_db


# Posting ---------------------------------------------------------------------------------------


def test_members_and_guests_comment_and_the_markdown_is_rendered_once():
    proposal = open_proposal()
    for author in (member(), guest()):
        comment = comment_post(actor=author, proposal=proposal, body="  I **like** this  ")
        assert comment.body == "I **like** this"
        assert comment.body_html == "<p>I <strong>like</strong> this</p>"


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_an_empty_or_too_long_comment_is_refused(body):
    proposal = open_proposal()
    with pytest.raises(ExchangeError) as error:
        comment_post(actor=member(), proposal=proposal, body=body)
    assert "body" in error.value.errors
    assert not Comment.objects.exists()


def test_visitors_cannot_comment():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ExchangeError):
        comment_post(actor=AnonymousUser(), proposal=open_proposal(), body="Hello")


def test_comments_are_refused_once_the_round_has_closed_them():
    proposal = open_proposal()
    round_ = proposal.round
    author = member()
    comment_post(actor=author, proposal=proposal, body="Just in time", now=round_.opens_at)
    with pytest.raises(ExchangeError, match="closed"):
        comment_post(actor=author, proposal=proposal, body="Too late", now=round_.comments_close_at)
    assert list(Comment.objects.values_list("body", flat=True)) == ["Just in time"]


def test_comments_are_refused_on_a_withdrawn_proposal():
    proposal = open_proposal(stage=Stage.WITHDRAWN)
    with pytest.raises(ExchangeError, match="withdrawn"):
        comment_post(actor=member(), proposal=proposal, body="Hello")


def test_comments_are_refused_in_an_unpublished_round():
    proposal = open_proposal()
    Round.objects.filter(pk=proposal.round_id).update(published_at=None)
    proposal.round.refresh_from_db()
    with pytest.raises(ExchangeError):
        comment_post(actor=member(), proposal=proposal, body="Hello")


def test_a_reply_must_answer_a_visible_comment_of_the_same_proposal():
    proposal, other = open_proposal(), open_proposal()
    author = member()
    elsewhere = comment_post(actor=author, proposal=other, body="On the other one")
    with pytest.raises(ExchangeError, match="same proposal"):
        comment_post(actor=author, proposal=proposal, body="Reply", parent=elsewhere)
    parent = comment_post(actor=author, proposal=proposal, body="First")
    reply = comment_post(actor=member(), proposal=proposal, body="Reply", parent=parent)
    assert reply.parent == parent
    comment_hide(actor=moderator(), comment=parent, reason="Abusive")
    with pytest.raises(ExchangeError, match="hid"):
        comment_post(actor=author, proposal=proposal, body="Again", parent=parent)


# Editing ---------------------------------------------------------------------------------------


def test_the_author_edits_within_the_window_and_the_comment_is_marked_edited(settings):
    settings.EXCHANGE_COMMENT_EDIT_MINUTES = 15
    proposal = open_proposal()
    author = member()
    posted = timezone.now() - dt.timedelta(minutes=10)
    comment = comment_post(actor=author, proposal=proposal, body="Frist", now=posted)
    assert comment.edited_at is None
    edited = comment_edit(actor=author, comment=comment, body="First")
    assert edited.body == "First"
    assert edited.body_html == "<p>First</p>"
    assert edited.edited_at is not None


def test_editing_after_the_window_is_refused(settings):
    settings.EXCHANGE_COMMENT_EDIT_MINUTES = 15
    proposal = open_proposal()
    author = member()
    posted = timezone.now() - dt.timedelta(minutes=16)
    comment = comment_post(actor=author, proposal=proposal, body="Old", now=posted)
    assert not comment_can_edit(comment, author)
    with pytest.raises(ExchangeError, match="15 minutes"):
        comment_edit(actor=author, comment=comment, body="New")
    settings.EXCHANGE_COMMENT_EDIT_MINUTES = 30
    assert comment_can_edit(comment, author)
    assert comment_edit(actor=author, comment=comment, body="New").body == "New"


def test_only_the_author_edits_and_not_once_hidden():
    proposal = open_proposal()
    author = member()
    comment = comment_post(actor=author, proposal=proposal, body="Mine")
    for other in (member(), proposal.lead, moderator()):
        assert not comment_can_edit(comment, other)
        with pytest.raises(ExchangeError, match="your own"):
            comment_edit(actor=other, comment=comment, body="Theirs")
    comment_hide(actor=moderator(), comment=comment, reason="Abusive")
    with pytest.raises(ExchangeError, match="hid"):
        comment_edit(actor=author, comment=comment, body="Sorry")
    assert Comment.objects.get().body == "Mine"


# Reporting and moderating ----------------------------------------------------------------------


def test_a_person_reports_a_comment_once_and_not_their_own():
    proposal = open_proposal()
    author, reader = member(), guest()
    comment = comment_post(actor=author, proposal=proposal, body="Rude words")
    report = comment_report(actor=reader, comment=comment, reason="It is rude")
    assert report.reason == "It is rude"
    assert report.resolved_at is None
    with pytest.raises(ExchangeError, match="already reported"):
        comment_report(actor=reader, comment=comment, reason="Still rude")
    with pytest.raises(ExchangeError, match="your own"):
        comment_report(actor=author, comment=comment, reason="Oops")
    with pytest.raises(ExchangeError) as error:
        comment_report(actor=member(), comment=comment, reason=" ")
    assert "reason" in error.value.errors
    assert CommentReport.objects.count() == 1
    assert AuditEntry.objects.filter(action="exchange_comment.report").count() == 1


def test_only_moderators_hide_and_a_reason_is_required():
    proposal = open_proposal()
    comment = comment_post(actor=member(), proposal=proposal, body="Rude words")
    for actor in (member(), proposal.lead, guest()):
        with pytest.raises(ExchangeError, match="permission"):
            comment_hide(actor=actor, comment=comment, reason="No")
    with pytest.raises(ExchangeError) as error:
        comment_hide(actor=moderator(), comment=comment, reason="  ")
    assert error.value.errors == {"reason": "Enter a reason"}
    assert Comment.objects.get().hidden_at is None


def test_hiding_keeps_the_replies_resolves_the_reports_and_is_audited():
    proposal = open_proposal()
    mod = moderator()
    rude = comment_post(actor=member(), proposal=proposal, body="Rude words")
    reply = comment_post(actor=proposal.lead, proposal=proposal, body="Please", parent=rude)
    comment_report(actor=member(), comment=rude, reason="Abuse")
    hidden = comment_hide(actor=mod, comment=rude, reason="It was abusive")
    assert hidden.hidden_at is not None
    assert hidden.hidden_by == mod
    assert hidden.hidden_reason == "It was abusive"
    assert Comment.objects.get(pk=reply.pk).parent_id == rude.pk
    assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
    entry = AuditEntry.objects.get(action="exchange_comment.hide")
    assert entry.actor == mod
    assert entry.data == {"reason": "It was abusive", "reports_resolved": 1}
    with pytest.raises(ExchangeError, match="already hidden"):
        comment_hide(actor=mod, comment=rude, reason="Again")
    shown = comment_unhide(actor=mod, comment=rude)
    assert shown.hidden_at is None
    assert shown.hidden_reason == ""
    assert AuditEntry.objects.filter(action="exchange_comment.unhide").count() == 1


def test_dismissing_reports_leaves_the_comment_and_is_audited():
    proposal = open_proposal()
    comment = comment_post(actor=member(), proposal=proposal, body="Sharp but fair")
    comment_report(actor=member(), comment=comment, reason="Rude")
    comment_report(actor=guest(), comment=comment, reason="Mean")
    with pytest.raises(ExchangeError, match="permission"):
        comment_reports_dismiss(actor=member(), comment=comment)
    assert comment_reports_dismiss(actor=moderator(), comment=comment) == 2
    assert Comment.objects.get().hidden_at is None
    assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
    with pytest.raises(ExchangeError, match="no open reports"):
        comment_reports_dismiss(actor=moderator(), comment=comment)
    assert AuditEntry.objects.filter(action="exchange_comment.dismiss_reports").count() == 1


# Notifications ---------------------------------------------------------------------------------


def _emails_to(user) -> list[str]:
    return list(OutboxEmail.objects.filter(recipient=user.email).values_list("subject", flat=True))


def test_the_team_hears_of_new_comments_but_never_the_author_and_not_pending_co_authors():
    proposal = open_proposal()
    co_author = add_co_author(proposal)
    invited = add_co_author(proposal, accepted=False)
    commenter = guest("Gus Guest")
    comment_post(actor=commenter, proposal=proposal, body="What will it cost?")
    title = proposal.title
    assert _emails_to(proposal.lead) == [f"New comment on \u201c{title}\u201d"]
    assert _emails_to(co_author) == [f"New comment on \u201c{title}\u201d"]
    assert _emails_to(invited) == []
    assert _emails_to(commenter) == []
    email = OutboxEmail.objects.filter(recipient=proposal.lead.email).get()
    assert "What will it cost?" in email.body_text
    assert f"/exchange/proposals/{proposal.slug}/#comment-" in email.body_text

    OutboxEmail.objects.all().delete()
    comment_post(actor=proposal.lead, proposal=proposal, body="Our own note")
    assert _emails_to(proposal.lead) == []
    assert _emails_to(co_author) == [f"New comment on \u201c{title}\u201d"]


def test_a_commenter_hears_of_replies_once_and_not_of_their_own():
    proposal = open_proposal()
    commenter, replier = member("Carl Commenter"), member("Rita Replier")
    parent = comment_post(actor=commenter, proposal=proposal, body="A question")
    OutboxEmail.objects.all().delete()
    comment_post(actor=replier, proposal=proposal, body="An answer", parent=parent)
    subject = f"Rita Replier replied to your comment on \u201c{proposal.title}\u201d"
    assert _emails_to(commenter) == [subject]
    OutboxEmail.objects.all().delete()
    comment_post(actor=commenter, proposal=proposal, body="Thanks", parent=parent)
    assert _emails_to(commenter) == []
    # The lead's own comment answered: one message, the reply, not a second "new comment".
    own = comment_post(actor=proposal.lead, proposal=proposal, body="Team note")
    OutboxEmail.objects.all().delete()
    comment_post(actor=replier, proposal=proposal, body="Re: team note", parent=own)
    assert len(_emails_to(proposal.lead)) == 1
    assert "replied to your comment" in _emails_to(proposal.lead)[0]


def test_notifications_follow_each_persons_preferences():
    proposal = open_proposal()
    daily, off = proposal.lead, add_co_author(proposal)
    notification_preferences_set(user=daily, choices={PROPOSAL_COMMENT: "daily"}, actor=daily)
    notification_preferences_set(user=off, choices={PROPOSAL_COMMENT: "off"}, actor=off)
    commenter = member()
    notification_preferences_set(user=commenter, choices={COMMENT_REPLY: "daily"}, actor=commenter)
    parent = comment_post(actor=commenter, proposal=proposal, body="Hello team")
    assert OutboxEmail.objects.count() == 0
    item = DigestItem.objects.get(user=daily)
    assert item.kind == PROPOSAL_COMMENT
    assert not DigestItem.objects.filter(user=off).exists()
    comment_post(actor=member(), proposal=proposal, body="Hello you", parent=parent)
    assert DigestItem.objects.get(user=commenter).kind == COMMENT_REPLY
    assert OutboxEmail.objects.count() == 0
