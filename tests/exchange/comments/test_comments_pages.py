"""Comments on the proposal page and their own pages: the thread (nested replies, authors as
members, guests or the team, edited marks, hidden placeholders), the form or the sign-in link,
the closing notice, script made inert, pages that work without JavaScript, the moderation queue,
and the same number of queries for a thread of 3 and of 300 comments."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from exchange.comments.models import Comment, CommentReport
from exchange.comments.selectors import comment_thread
from exchange.comments.services import comment_hide, comment_post, comment_report
from exchange.proposals.enums import Stage
from tests.exchange.comments.helpers import (
    add_co_author,
    guest,
    make_thread,
    member,
    moderator,
    open_proposal,
)
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def page_url(proposal) -> str:
    return reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})


def comment_url(name: str, comment) -> str:
    return reverse(f"exchange:{name}", kwargs={"slug": comment.proposal.slug, "pk": comment.pk})


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# The thread on the proposal page ---------------------------------------------------------------


def test_the_thread_shows_authors_tags_dates_and_nested_replies(client):
    proposal = open_proposal()
    co_author = add_co_author(proposal)
    linked, unlisted, visitor = (
        member("Mina Member"),
        member("Hidden Entry", public=False),
        guest("Gail Guest"),
    )
    first = comment_post(actor=linked, proposal=proposal, body="How will you **measure** it?")
    reply = comment_post(actor=co_author, proposal=proposal, body="With a run chart", parent=first)
    deeper = comment_post(actor=visitor, proposal=proposal, body="Which measure?", parent=reply)
    deepest = comment_post(actor=unlisted, proposal=proposal, body="Waiting times", parent=deeper)
    Comment.objects.filter(pk=reply.pk).update(edited_at=timezone.now())
    html = html_of(client.get(page_url(proposal)))
    assert "Comments (4)" in html
    assert "How will you <strong>measure</strong> it?" in html
    profile = linked.profile.slug
    assert f'<a href="/directory/{profile}/" class="q-comment__author">Mina Member</a>' in html
    assert '<span class="q-comment__author">Hidden Entry</span>' in html
    tag = '<strong class="nhsuk-tag nhsuk-tag--{}">{}'
    assert re.search(r"Gail Guest</span>\s*" + re.escape(tag.format("grey", "Guest")), html)
    assert re.search(r"Cora Author</a>\s*" + re.escape(tag.format("blue", "Proposal team")), html)
    assert html.count("(edited)") == 1
    # Two levels nested; the fourth comment sits with the third, saying whom it answers.
    thread = comment_thread(proposal, viewer=AnonymousUser())
    assert [n.comment for n in thread] == [first]
    assert [n.comment for n in thread[0].children] == [reply]
    assert [n.comment for n in thread[0].children[0].children] == [deeper, deepest]
    assert thread[0].children[0].children[1].in_reply_to == "Gail Guest"
    assert "in reply to Gail Guest" in html
    assert html.index(f'id="comment-{deeper.pk}"') < html.index(f'id="comment-{deepest.pk}"')


def test_a_hidden_comment_leaves_a_placeholder_and_its_replies(client):
    proposal = open_proposal()
    rude = comment_post(actor=member("Rudy Rude"), proposal=proposal, body="Nasty insult")
    comment_post(actor=proposal.lead, proposal=proposal, body="Please be kind", parent=rude)
    comment_hide(actor=moderator(), comment=rude, reason="It was abusive")
    html = html_of(client.get(page_url(proposal)))
    assert "Nasty insult" not in html
    assert "Rudy Rude" not in html
    assert "This comment was hidden by a moderator: It was abusive" in html
    assert "Please be kind" in html


def test_visitors_see_the_thread_and_a_sign_in_link_but_no_form(client):
    proposal = open_proposal()
    comment_post(actor=member(), proposal=proposal, body="Nice idea")
    html = html_of(client.get(page_url(proposal)))
    assert "Nice idea" in html
    assert "Sign in to comment" in html
    assert f"/accounts/login/?next=%2Fexchange%2Fproposals%2F{proposal.slug}%2F" in html
    assert 'name="body"' not in html
    assert "Reply" not in html


def test_signed_in_people_get_the_form_and_the_actions(client):
    proposal = open_proposal()
    theirs = comment_post(actor=member("Other Person"), proposal=proposal, body="Theirs")
    reader = guest()
    mine = comment_post(actor=reader, proposal=proposal, body="Mine")
    client.force_login(reader)
    html = html_of(client.get(page_url(proposal)))
    assert f'action="{reverse("exchange:comment-create", kwargs={"slug": proposal.slug})}"' in html
    assert "shown with your name and the tag Guest" in html
    assert comment_url("comment-reply", theirs) in html
    assert comment_url("comment-report", theirs) in html
    assert comment_url("comment-edit", mine) in html
    assert comment_url("comment-report", mine) not in html
    assert comment_url("comment-edit", theirs) not in html
    assert "moderation" not in html
    comment_report(actor=reader, comment=theirs, reason="Rude")
    html = html_of(client.get(page_url(proposal)))
    assert comment_url("comment-report", theirs) not in html
    assert "You reported this comment" in html


def test_after_closing_the_page_says_so_and_the_form_and_reply_links_are_gone(client):
    proposal = open_proposal(voting_open=True)
    Comment.objects.create(
        proposal=proposal, author=member(), body="Early", body_html="<p>Early</p>",
        created_at=proposal.round.opens_at,
    )  # fmt: skip
    client.force_login(member())
    html = html_of(client.get(page_url(proposal)))
    closed = timezone.localtime(proposal.round.comments_close_at)
    assert f"Comments closed on {closed.day} {closed:%B %Y}" in html
    assert "Early" in html
    assert 'name="body"' not in html
    assert "/reply/" not in html
    assert "Sign in to comment" not in html


def test_a_withdrawn_proposal_takes_no_comments(client):
    proposal = open_proposal(stage=Stage.WITHDRAWN)
    client.force_login(member())
    html = html_of(client.get(page_url(proposal)))
    assert "no longer takes comments" in html
    assert 'name="body"' not in html


XSS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(2))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgzKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(4)">link</a>',
    "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoNSk+)",
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(6)>",
]


@pytest.mark.parametrize("payload", XSS)
def test_script_in_a_comment_is_inert(client, payload):
    proposal = open_proposal()
    author = member()
    comment = comment_post(actor=author, proposal=proposal, body=f"Hello {payload}")
    page = html_of(client.get(page_url(proposal)))
    section = page.split('id="comments"', 1)[1].split("</section>", 1)[0]
    assert "Hello" in section
    for html in (comment.body_html, section):
        lowered = html.lower()
        assert "<script>alert" not in lowered
        assert "onerror" not in lowered
        assert "onload" not in lowered
        assert "javascript:" not in lowered
        assert "data:text" not in lowered
        assert "data:image" not in lowered
        assert "<iframe" not in lowered
        assert "<svg" not in lowered


# Commenting without JavaScript -----------------------------------------------------------------


def test_posting_a_comment_goes_back_to_it_on_the_page(client):
    proposal = open_proposal()
    client.force_login(member())
    url = reverse("exchange:comment-create", kwargs={"slug": proposal.slug})
    response = client.post(url, {"body": "Count me in"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == f"{page_url(proposal)}#comment-{comment.pk}"
    assert "Your comment has been posted." in html_of(client.get(page_url(proposal)))


def test_a_mistake_comes_back_with_the_message_and_the_text_kept(client):
    proposal = open_proposal()
    client.force_login(member())
    url = reverse("exchange:comment-create", kwargs={"slug": proposal.slug})
    html = html_of(client.post(url, {"body": "   "}))
    assert "There is a problem" in html
    assert "Enter your comment" in html
    long_text = "word " * 1100
    html = html_of(client.post(url, {"body": long_text}))
    assert "5,000 characters or fewer" in html
    assert "word word word" in html
    assert not Comment.objects.exists()


def test_posting_after_closing_is_refused_on_the_form_page(client):
    proposal = open_proposal(voting_open=True)
    client.force_login(member())
    url = reverse("exchange:comment-create", kwargs={"slug": proposal.slug})
    html = html_of(client.post(url, {"body": "Too late?"}))
    assert "Comments on this round" in html
    assert "closed" in html
    assert not Comment.objects.exists()


def test_the_reply_page_quotes_the_comment_and_posts_the_reply(client):
    proposal = open_proposal()
    parent = comment_post(actor=member("Pat Parent"), proposal=proposal, body="Question?")
    client.force_login(proposal.lead)
    url = comment_url("comment-reply", parent)
    html = html_of(client.get(url))
    assert "Reply to Pat Parent" in html
    assert "Question?" in html
    assert "Your reply" in html
    response = client.post(url, {"body": "Answer!"})
    reply = Comment.objects.get(parent=parent)
    assert response.headers["Location"].endswith(f"#comment-{reply.pk}")
    assert reply.author == proposal.lead


def test_a_hidden_comment_or_another_proposals_comment_has_no_reply_page(client):
    proposal, other = open_proposal(), open_proposal()
    hidden = comment_post(actor=member(), proposal=proposal, body="Rude")
    comment_hide(actor=moderator(), comment=hidden, reason="Abusive")
    elsewhere = comment_post(actor=member(), proposal=other, body="Fine")
    client.force_login(member())
    assert client.get(comment_url("comment-reply", hidden)).status_code == 404
    wrong = reverse("exchange:comment-reply", kwargs={"slug": proposal.slug, "pk": elsewhere.pk})
    assert client.get(wrong).status_code == 404


def test_the_author_changes_their_comment_on_the_edit_page(client, settings):
    settings.EXCHANGE_COMMENT_EDIT_MINUTES = 15
    proposal = open_proposal()
    author = member()
    comment = comment_post(actor=author, proposal=proposal, body="Teh plan")
    url = comment_url("comment-edit", comment)
    client.force_login(member())
    assert client.get(url).status_code == 404
    client.force_login(author)
    assert "Teh plan" in html_of(client.get(url))
    assert client.post(url, {"body": "The plan"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "The plan"
    assert comment.edited_at is not None
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=20)
    )
    html = html_of(client.get(url))
    assert "You can no longer change this comment" in html
    assert 'name="body"' not in html
    html = html_of(client.post(url, {"body": "Sneaky"}))
    assert "in the 15 minutes after you post it" in html
    comment.refresh_from_db()
    assert comment.body == "The plan"


def test_the_report_page_reports_once(client):
    proposal = open_proposal()
    comment = comment_post(actor=member(), proposal=proposal, body="Spam spam")
    reader = member()
    client.force_login(reader)
    url = comment_url("comment-report", comment)
    assert "What is wrong with this comment?" in html_of(client.get(url))
    assert "Enter what is wrong" in html_of(client.post(url, {"reason": ""}))
    response = client.post(url, {"reason": "Advertising"})
    assert response.status_code == 302
    assert CommentReport.objects.get().reason == "Advertising"
    html = html_of(client.get(url))
    assert "You reported this comment on" in html
    assert 'name="reason"' not in html
    client.force_login(comment.author)
    assert client.get(url).status_code == 404


def test_comment_pages_send_visitors_to_sign_in_and_hide_unseen_proposals(client):
    proposal = open_proposal()
    comment = comment_post(actor=member(), proposal=proposal, body="Hi")
    url = comment_url("comment-reply", comment)
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
    proposal.round.__class__.objects.filter(pk=proposal.round_id).update(published_at=None)
    client.force_login(member())
    assert client.get(url).status_code == 404


# Moderation ------------------------------------------------------------------------------------


def test_moderators_see_open_reports_hide_with_a_reason_and_dismiss(client):
    proposal = open_proposal()
    rude = comment_post(actor=member("Rudy Rude"), proposal=proposal, body="Insult")
    fair = comment_post(actor=member("Fay Fair"), proposal=proposal, body="Sharp point")
    comment_report(actor=member(), comment=rude, reason="Abusive words")
    comment_report(actor=guest(), comment=fair, reason="I disagree")
    mod = moderator()
    client.force_login(member())
    assert client.get(reverse("exchange:moderation-queue")).status_code == 404
    client.force_login(mod)
    html = html_of(client.get(reverse("exchange:moderation-queue")))
    assert "Comment by Rudy Rude" in html
    assert "Comment by Fay Fair" in html
    assert "Abusive words" in html
    # The proposal page shows moderators the open reports.
    html = html_of(client.get(page_url(proposal)))
    assert "(1 open report)" in html
    assert f'href="{reverse("exchange:moderation-queue")}"' in html

    page = reverse("exchange:moderation-comment", kwargs={"pk": rude.pk})
    assert "Abusive words" in html_of(client.get(page))
    hide = reverse("exchange:moderation-comment-hide", kwargs={"pk": rude.pk})
    assert "Enter the reason for hiding the comment" in html_of(client.post(hide, {"reason": ""}))
    assert client.post(hide, {"reason": "Abuse is not allowed"}).status_code == 302
    dismiss = reverse("exchange:moderation-comment-dismiss", kwargs={"pk": fair.pk})
    assert client.post(dismiss).status_code == 302
    rude.refresh_from_db()
    assert rude.hidden_reason == "Abuse is not allowed"
    assert Comment.objects.get(pk=fair.pk).hidden_at is None
    html = html_of(client.get(reverse("exchange:moderation-queue")))
    assert "There are no reported comments to look at." in html
    unhide = reverse("exchange:moderation-comment-unhide", kwargs={"pk": rude.pk})
    assert client.post(unhide).status_code == 302
    rude.refresh_from_db()
    assert rude.hidden_at is None


def test_the_moderation_queue_is_paginated_with_constant_queries(client):
    proposal = open_proposal()
    authors = [member(), guest()]
    client.force_login(moderator())
    url = reverse("exchange:moderation-queue")

    def add(n):
        make_thread(proposal, n * 3, authors=authors, reporter=member())

    make_thread(proposal, 1, authors=authors, reporter=member())
    client.get(url)
    few, _ = count_queries(lambda: client.get(url))
    add(30)
    many, sql = count_queries(lambda: client.get(url))
    assert few == many, "\n".join(sql)
    html = html_of(client.get(url))
    assert "Showing 1 to 25 of" in html
    assert html_of(client.get(url + "?page=2")).count("Comment by") >= 1


# Queries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["visitor", "member", "moderator"])
def test_the_page_costs_the_same_queries_with_3_and_with_300_comments(client, viewer, settings):
    settings.EXCHANGE_PAGE_CACHE = False  # the work of a page, not a visitor's cached copy
    small, large = open_proposal(), open_proposal()
    people = [member(), member(public=False), guest(), small.lead, large.lead]
    reader = {"visitor": None, "member": member(), "moderator": moderator()}[viewer]
    make_thread(small, 3, authors=people, reporter=reader or member())
    make_thread(large, 300, authors=people, reporter=reader or member())
    assert Comment.objects.filter(proposal=large, hidden_at__isnull=False).count() > 10
    if reader is not None:
        client.force_login(reader)

    def visit(proposal):
        return lambda: client.get(page_url(proposal))

    visit(small)()  # warm up
    (few, _), (many, sql) = count_queries(visit(small)), count_queries(visit(large))
    assert few == many, "\n".join(sql)
    html = client.get(page_url(large)).content.decode()
    assert html.count('class="q-comment q-comment--depth') == 300
