"""The site as its people meet it: the demo data, each demo account signed in through the real
sign-in pages, every page reached only by following links from `/`.

Two promises are checked on what the crawl finds:
- no page shows markup as text (an escaped `<span>`, `<a>` or `<strong>` in what a reader sees);
- every page type of the site is reached by following links as some person, except the few
  listed below with the reason a link cannot lead there (an address sent by email, a form's
  answer, a file download).
"""

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from qcommunity.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, current_demo_code
from tests.test_permission_matrix import MATRIX, METHOD_NOT_ALLOWED, all_route_names

# The crawl fixture makes the module's data once; the mark asks pytest-django for a database.
pytestmark = pytest.mark.django_db

# Each route is visited at most this many times per person (different objects, filters, pages).
VISITS_PER_ROUTE = 3
# Links never followed: signing out ends the crawl's session; the Django admin keeps its own
# templates and is checked by Django; static files and uploads are not pages.
NOT_FOLLOWED = ("/accounts/logout/", "/admin/", "/static/", "/media/")
# Sensitive pages first ask for the password or a second factor again: the link still counts.
ASKS_FIRST = ("/accounts/reauthenticate/", "/accounts/2fa/reauthenticate/")
TAGS_AS_TEXT = re.compile(
    r"<\s*/?\s*(?:span|a|strong|em|b|i|p|div|br|ul|ol|li|h[1-6])\b[^<]*>", re.I
)

# Page types that no link on the site leads to, each with why. Everything else must be reached.
NOT_LINKED = {
    # Reached from an email, never from a page.
    "account_confirm_email": "the address confirmation link in the sign-up email",
    "account_reset_password_from_key": "the reset link in the password reset email",
    "newsletters:confirm": "the confirmation link in the newsletter subscription email",
    "newsletters:unsubscribe": "the unsubscribe link in every newsletter",
    "exchange:team-accept": "the co-author invitation email",
    "people:invitation": "the invitation email staff send",
    "accreditation-staff:version-draft": "offered on a standard's page only while it has no "
    "draft; the demo standard has one waiting for the coordinator",
    # The answer to a form, or a step the site sends someone to.
    "account_reset_password_done": "the answer to the reset form",
    "account_reset_password_from_key_done": "the answer to the reset form",
    "account_confirm_login_code": "the sign-in code flow, started by a form",
    "account_email_verification_sent": "the answer to the sign-up form",
    "account_inactive": "the answer to signing in with a suspended account",
    "account_set_password": "only for an account without a password; every demo account has one",
    "accounts:two-factor-required": "where the site sends someone who must set up two-factor",
    "mfa_authenticate": "the second step of signing in, after the password form",
    "mfa_reauthenticate": "asked for before a sensitive change",
    "account_reauthenticate": "asked for before a sensitive change",
    "mfa_download_recovery_codes": "on the recovery codes page, which asks for a code again first",
    "privacy:deleted": "the answer to deleting an account",
    "members:application-submitted": "the answer to submitting an application",
    "newsletters-staff:import-result": "the answer to confirming an import",
    "members:contact-sent": "the answer to the contact form",
    "accounts:email-change-undo": "the undo link in the email to the old address",
    "people-staff:account-reinstate": "on a suspended account's page; the crawl opens only the "
    "first few accounts of the list",
    "admin-login": "the Django admin's sign-in address, which sends everyone to the site's own",
    "newsletters:subscribe-sent": "the answer to the subscription form",
    "exchange:comment-create": "the comment form's address; its page shows when one is refused",
    "members:application-detail": "a person's own application, begun with the Start button",
    "members:application-edit": "a person's own application, begun with the Start button",
    "members:application-check": "a person's own application, begun with the Start button",
    "members:application-withdraw": "a person's own application, begun with the Start button",
    "members:assignment-check": "after answering the conflict question (a form)",
    "members:assignment-review": "after answering the conflict question (a form)",
    "exchange:shortlist-review": "after answering the conflict question (a form)",
    # What the demo's data does not offer (tests/browser/test_first_hour_journeys.py clicks
    # through these from `/` with data made for them).
    "exchange-staff:round-publish": "linked from a draft round; every demo round is published",
    "exchange:comment-edit": "offered for 15 minutes after posting; demo comments are older",
    # Not pages: machine endpoints.
    "core:health": "a machine endpoint for the load balancer",
}


@dataclass
class Crawl:
    reached: dict[str, set[str]] = field(default_factory=dict)  # route name -> who reached it
    markup_as_text: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _Page(HTMLParser):
    """The links of a page and the text a reader sees (outside form fields and scripts)."""

    HIDDEN = {"script", "style", "textarea", "template", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        attributes = dict(attrs)
        if tag == "a":
            self.links.append(attributes.get("href") or "")
        elif tag == "form" and (attributes.get("method") or "get").lower() == "get":
            # A search or filter form: pressing its button with the defaults is a click too.
            self.links.append(attributes.get("action") or "")
        elif tag in ("img", "iframe"):
            self.images.append(attributes.get("src") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _sign_in(client: Client, account) -> None:
    response = client.post("/accounts/login/", {"login": account.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, account.email
    if response.headers["Location"].startswith("/accounts/2fa/authenticate/"):
        response = client.post("/accounts/2fa/authenticate/", {"code": current_demo_code()})
        assert response.status_code == 302, account.email


def _crawl_as(who: str, client: Client, crawl: Crawl) -> None:
    visits: dict[str, int] = {}
    seen: set[str] = set()
    queue = deque([("/", "")])
    while queue:
        path, referrer = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        name = _route_name(urlsplit(path).path)
        if name is None or visits.get(name, 0) >= VISITS_PER_ROUTE:
            continue
        visits[name] = visits.get(name, 0) + 1
        response = client.get(path)
        if response.status_code >= 500 or response.status_code == 404:
            crawl.errors.append(
                f"{who}: {path} answered {response.status_code} (linked from {referrer})"
            )
            continue
        if response.status_code == 302 and response.headers["Location"].startswith(ASKS_FIRST):
            # The link works: the page asks this person to confirm who they are first.
            crawl.reached.setdefault(name, set()).add(who)
            continue
        if response.status_code != 200:
            continue
        crawl.reached.setdefault(name, set()).add(who)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = _Page()
        page.feed(response.content.decode())
        shown = " ".join(page.text)
        for found in TAGS_AS_TEXT.findall(shown):
            crawl.markup_as_text.append(f"{who}: {path} shows {found!r} as text")
        for src in page.images:
            parts = urlsplit(src)
            local = not (parts.scheme or parts.netloc) and parts.path.startswith("/")
            if local and not parts.path.startswith("/static/") and parts.path not in seen:
                queue.append((parts.path, path))
        for href in page.links:
            parts = urlsplit(href or path)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(NOT_FOLLOWED):
                # Linked, but not followed: signing out would end this person's crawl.
                if (skipped := _route_name(parts.path)) == "account_logout":
                    crawl.reached.setdefault(skipped, set()).add(who)
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append((target, path))


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker) -> Crawl:
    """Seed the demo once, crawl as a visitor and as every demo account, then roll it all back."""
    result = Crawl()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        _crawl_as("visitor", Client(), result)
        for account in DEMO_ACCOUNTS:
            client = Client()
            _sign_in(client, account)
            _crawl_as(account.email, client, result)
        transaction.set_rollback(True)
    return result


def test_no_page_shows_markup_as_text(crawl):
    assert crawl.markup_as_text == [], "\n".join(crawl.markup_as_text)


def test_crawl_meets_no_broken_links_or_errors(crawl):
    assert crawl.errors == [], "\n".join(crawl.errors)


def _post_only(name: str) -> bool:
    entry = MATRIX.get(name)
    return entry is not None and METHOD_NOT_ALLOWED in entry.expect.values()


def test_every_page_type_is_reached_by_following_links(crawl):
    pages = {
        name
        for name in all_route_names()
        if not name.startswith(("admin:", "anymail:")) and not _post_only(name)
    }
    missing = sorted(pages - set(crawl.reached) - set(NOT_LINKED))
    assert missing == [], "not reached by any link: " + ", ".join(missing)


def test_not_linked_lists_only_routes_that_exist_and_are_not_linked(crawl):
    names = set(all_route_names())
    assert sorted(set(NOT_LINKED) - names) == []
    linked_after_all = sorted(set(NOT_LINKED) & set(crawl.reached))
    assert linked_after_all == [], "reached by a link after all: " + ", ".join(linked_after_all)
