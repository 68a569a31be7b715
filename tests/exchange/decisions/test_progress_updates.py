"""A funded team's progress update reaches the people who follow the proposal: its supporters
and commenters are told, each the way they chose for "Progress updates on proposals you follow,
supported or commented on" (straight away, daily summary or not at all), once the round has
announced its funding; the team is not told of its own update; and updates appear in the
round's Atom feed."""

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchange.comments.services import comment_hide, comment_post
from exchange.decisions.services import progress_update_post, proposal_decide
from exchange.decisions.tasks import progress_updates_tell_due_task
from exchange.proposals.models import Proposal
from exchange.rounds.models import Round
from exchange.voting.services import support_add
from qcommunity.notifications.models import DigestItem, NotificationPreference
from qcommunity.outbox.models import OutboxEmail
from tests.exchange.comments.helpers import guest, member, moderator
from tests.factories.exchange import announce_decisions, make_exchange_round, make_proposal
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
KIND = "proposal_progress_update"


def funded_proposal(commenters=()):
    """A funded proposal of a round that announced its funding; `commenters` commented on it
    while comments were open. Returns the proposal, its lead and the comments."""
    round_ = make_exchange_round(themes=1, voting_open=False)
    lead = member("Lena Lead")
    proposal = make_proposal(round_, lead=lead)
    comments = [comment_post(actor=c, proposal=proposal, body="A comment") for c in commenters]
    announce_decisions(round_)
    proposal.refresh_from_db()
    mod = moderator()
    proposal = proposal_decide(actor=mod, proposal=proposal, action="shortlist", reason="Good")
    proposal = proposal_decide(actor=mod, proposal=proposal, action="fund", reason="Good")
    return proposal, lead, comments


def emails_to(user):
    return OutboxEmail.objects.filter(recipient=user.email, subject__startswith="Progress update")


def test_supporters_and_commenters_are_told_each_as_they_chose():
    straight, daily, off, commenter, hidden_commenter = (member() for _ in range(5))
    a_guest = guest()
    proposal, lead, comments = funded_proposal([commenter, a_guest, hidden_commenter])
    for person in (straight, daily, off):
        support_add(actor=person, proposal=proposal)
    NotificationPreference.objects.create(user=daily, kind=KIND, delivery="daily")
    NotificationPreference.objects.create(user=off, kind=KIND, delivery="off")
    comment_hide(actor=moderator(), comment=comments[2], reason="Rude")
    support_add(actor=lead, proposal=proposal)  # the team is not told of its own update

    progress_update_post(actor=lead, proposal=proposal, title="Month one", body="We **began**.")

    for person in (straight, commenter, a_guest):
        (email,) = emails_to(person)
        assert "Month one" in email.subject
        assert proposal.title in email.body_text
        assert f"/exchange/proposals/{proposal.slug}/" in email.body_text
    assert DigestItem.objects.filter(user=daily).count() == 1
    assert not emails_to(daily).exists()
    for person in (off, hidden_commenter, lead):
        assert not emails_to(person).exists()
        assert not DigestItem.objects.filter(user=person).exists()


def test_an_update_before_the_funding_is_announced_tells_nobody_yet():
    round_ = make_exchange_round(themes=1)
    lead = member()
    proposal = make_proposal(round_, lead=lead)
    supporter = member()
    support_add(actor=supporter, proposal=proposal)
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(
        voting_opens_at=now - dt.timedelta(days=3),
        voting_closes_at=now - dt.timedelta(days=1),
        decisions_at=now + dt.timedelta(days=5),
    )
    Proposal.objects.filter(pk=proposal.pk).update(stage="funded", decided_at=now)
    proposal.refresh_from_db()
    progress_update_post(actor=lead, proposal=proposal, title="Early", body="Shh")
    assert not emails_to(supporter).exists()
    feed = Client().get(reverse("exchange:round-feed", kwargs={"year": round_.year}))
    assert "Early" not in feed.content.decode()
    # The scheduled task before the announcement date still tells nobody...
    assert progress_updates_tell_due_task(now=(now + dt.timedelta(days=4)).isoformat()) == 0
    assert not emails_to(supporter).exists()
    # ...and once the date has passed, tells each follower once, however often it runs.
    later = (now + dt.timedelta(days=5, minutes=1)).isoformat()
    assert progress_updates_tell_due_task(now=later) == 1
    assert progress_updates_tell_due_task(now=later) == 0
    (email,) = emails_to(supporter)
    assert "Early" in email.subject


def test_a_held_back_update_of_a_proposal_no_longer_funded_is_never_told():
    round_ = make_exchange_round(themes=1)
    lead, supporter = member(), member()
    proposal = make_proposal(round_, lead=lead)
    support_add(actor=supporter, proposal=proposal)
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(
        voting_opens_at=now - dt.timedelta(days=3),
        voting_closes_at=now - dt.timedelta(days=1),
        decisions_at=now + dt.timedelta(days=5),
    )
    Proposal.objects.filter(pk=proposal.pk).update(stage="funded", decided_at=now)
    proposal.refresh_from_db()
    progress_update_post(actor=lead, proposal=proposal, title="Early", body="Shh")
    Proposal.objects.filter(pk=proposal.pk).update(stage="not_funded")
    assert progress_updates_tell_due_task(now=(now + dt.timedelta(days=6)).isoformat()) == 0
    assert not emails_to(supporter).exists()


def test_updates_appear_in_the_rounds_feed():
    proposal, lead, _ = funded_proposal()
    progress_update_post(actor=lead, proposal=proposal, title="Month one", body="We **began**.")
    response = Client().get(reverse("exchange:round-feed", kwargs={"year": proposal.round.year}))
    root = ElementTree.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[0] == f"Progress update: Month one ({proposal.title})"
    assert proposal.title in titles
    first = entries[0]
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Lena Lead"
    assert "<strong>began</strong>" in first.findtext(f"{ATOM}summary")
    assert {c.get("term") for c in first.findall(f"{ATOM}category")} == {
        "Theme 1",
        "Progress update",
    }


def test_the_feed_and_the_followers_cost_the_same_queries_with_one_and_many():
    from exchange.decisions.services import progress_update_followers

    proposal, lead, _ = funded_proposal([member()])
    url = reverse("exchange:round-feed", kwargs={"year": proposal.round.year})
    progress_update_post(actor=lead, proposal=proposal, title="One", body="b")
    support_add(actor=member(), proposal=proposal)
    one_feed, _ = count_queries(lambda: Client().get(url))
    one_followers, _ = count_queries(lambda: progress_update_followers(proposal))
    for n in range(5):
        progress_update_post(actor=lead, proposal=proposal, title=f"More {n}", body="b")
        support_add(actor=member(), proposal=proposal)
    assert count_queries(lambda: Client().get(url))[0] == one_feed
    assert count_queries(lambda: progress_update_followers(proposal))[0] == one_followers


# Attachments -----------------------------------------------------------------------------------


def test_an_update_takes_a_checked_attachment_served_through_the_download_view(client_for):
    from exchange.proposals.models import Attachment
    from tests.exchange.proposals.helpers import MINIMAL_PDF, upload

    proposal, lead, _ = funded_proposal()
    url = reverse("exchange:update-create", kwargs={"slug": proposal.slug})
    client = client_for(lead)
    assert 'enctype="multipart/form-data"' in client.get(url).content.decode()

    fake = client.post(
        url, {"title": "Month one", "body": "b", "file": upload("report.pdf", b"<html>x</html>")}
    )
    assert fake.status_code == 200
    assert "is not a PDF" in fake.content.decode()
    assert not proposal.updates.exists()
    assert not Attachment.objects.exists()

    response = client.post(
        url, {"title": "Month one", "body": "b", "file": upload("report.pdf", MINIMAL_PDF)}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.update == proposal.updates.get()
    download = reverse(
        "exchange:attachment-download", kwargs={"slug": proposal.slug, "token": attachment.token}
    )
    page = Client().get(reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug}))
    html = page.content.decode()
    assert f'href="{download}"' in html
    # Not listed with the proposal's own files.
    assert "Further information" not in html
    served = Client().get(download)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == MINIMAL_PDF

    # Before the round announces its funding, only the team reads the update and its file.
    Round.objects.filter(pk=proposal.round_id).update(
        decisions_at=timezone.now() + dt.timedelta(days=3)
    )
    assert Client().get(download).status_code == 404
    assert client_for(lead).get(download).status_code == 200
