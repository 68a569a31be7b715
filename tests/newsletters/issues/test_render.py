"""The issue as email and web page: markdown sanitised, merge fields, plain text, footer."""

import pytest

from qcommunity.newsletters.issues import services as issue_services
from qcommunity.newsletters.issues.render import (
    html_to_plain_text,
    issue_render_email,
    issue_render_web,
    merge_fields_unknown,
)
from qcommunity.newsletters.showcase.enums import ShowcaseStatus
from tests.factories.newsletters import (
    BlockFactory,
    ContactFactory,
    IssueFactory,
    ShowcaseItemFactory,
    SubscriptionFactory,
    editor_user,
)

pytestmark = pytest.mark.django_db


def issue_with_content():
    editor = editor_user()
    issue = IssueFactory(title="Spring news", intro="Hello {{ first_name }}, welcome.")
    issue_services.section_add(
        actor=editor,
        issue=issue,
        heading="Labs",
        body="Our **labs** are [open](https://q.example/labs/).\n\n<script>alert(1)</script>"
        '\n\n<img src=x onerror="alert(2)">\n\n[bad](javascript:alert(3))',
    )
    issue_services.section_add_block(actor=editor, issue=issue, block=BlockFactory())
    item = ShowcaseItemFactory(status=ShowcaseStatus.APPROVED, title="Huddles <3")
    issue_services.section_add_showcase(actor=editor, issue=issue, item=item)
    return issue


def test_the_email_html_is_sanitised():
    issue = issue_with_content()
    html = issue_render_email(issue, unsubscribe_url="https://q.example/u/abc/")["body_html"]
    assert "<strong>labs</strong>" in html
    assert '<a href="https://q.example/labs/" rel="nofollow noopener noreferrer">open</a>' in html
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "alert(1)" not in html
    assert "Huddles &lt;3" in html


def test_merge_fields_take_each_readers_name_escaped():
    issue = issue_with_content()
    subscription = SubscriptionFactory(
        newsletter=issue.newsletter, contact=ContactFactory(name="<b>Ada</b> Lovelace")
    )
    email = issue_render_email(issue, subscription=subscription, unsubscribe_url="https://u/1")
    assert "Hello &lt;b&gt;Ada&lt;/b&gt;, welcome." in email["body_html"]
    assert "Hello <b>Ada</b>, welcome." in email["body_text"]
    nameless = SubscriptionFactory(newsletter=issue.newsletter, contact=ContactFactory(name=""))
    assert "Hello there, welcome." in issue_render_email(issue, subscription=nameless)["body_text"]


def test_each_recipient_gets_their_own_unsubscribe_link():
    issue = issue_with_content()
    first = issue_render_email(issue, unsubscribe_url="https://q.example/u/one/?a=1&b=2")
    second = issue_render_email(issue, unsubscribe_url="https://q.example/u/two/")
    assert 'href="https://q.example/u/one/?a=1&amp;b=2"' in first["body_html"]
    assert "https://q.example/u/one/?a=1&b=2" in first["body_text"]
    assert "https://q.example/u/two/" in second["body_html"]
    assert "u/one" not in second["body_html"]


def test_a_test_send_has_no_unsubscribe_link_and_says_so():
    email = issue_render_email(issue_with_content())
    assert "This is a test." in email["body_html"]
    assert "Unsubscribe" not in email["body_html"]


def test_the_plain_text_part_has_the_same_content():
    issue = issue_with_content()
    text = issue_render_email(issue, unsubscribe_url="https://u/1")["body_text"]
    assert text.startswith(f"{issue.newsletter.name}\n\nSpring news\n===========\n")
    assert "Our labs are open (https://q.example/labs/)." in text
    assert "How to get involved\n-------------------\n" in text
    assert "Member showcase: Huddles <3" in text
    assert "Find out more about Huddles <3: https://example.org/falls" in text
    assert "Unsubscribe from" in text
    assert "https://u/1" in text
    assert "alert(1)" not in text
    assert "\n\n\n" not in text


def test_the_web_fragment_starts_headings_at_h2_and_has_no_footer():
    html = issue_render_web(issue_with_content())
    assert "<h1" not in html
    assert "<h2>Labs</h2>" in html
    assert "Hello there, welcome." in html
    assert "Unsubscribe" not in html


def test_unknown_merge_fields_are_found():
    assert merge_fields_unknown("{{ first_name }} {{first_name}} {{ nme }} {{ }}") == [
        "{{ nme }}",
        "{{ }}",
    ]


def test_html_to_plain_text_lists_and_quotes():
    text = html_to_plain_text(
        "<ul><li>One</li><li>Two</li></ul><ol><li>First</li></ol><blockquote><p>Said</p>"
        "</blockquote>"
    )
    assert text == "- One\n- Two\n\n1. First\n\n> Said"
