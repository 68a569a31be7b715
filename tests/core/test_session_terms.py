"""/cookies/ and /privacy/ say what the site does with sessions and IP addresses (issue 13,
point 10), read from the settings that decide it: change a setting and the sentence follows;
a sentence that no longer matches the sign-in's real behaviour fails here."""

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings

from qcommunity.core.formatting import duration_words
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def session_cell(client=None) -> str:
    html = (client or Client()).get("/cookies/").content.decode()
    row = re.search(r"sessionid\s*</t[hd]>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    text = re.sub(r"<[^>]+>", " ", cells[-1])
    return re.sub(r"\s+", " ", text).strip().replace("&#34;", '"').replace("&quot;", '"')


def sign_in(remember: bool) -> Client:
    user = UserFactory()
    client = Client()
    data = {"login": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post("/accounts/login/", data)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    return client


def test_the_cookie_page_says_what_signing_in_does_with_and_without_keep_me_signed_in():
    cell = session_cell()
    two_weeks = duration_words(settings.SESSION_COOKIE_AGE)
    assert two_weeks == "2 weeks"  # today's setting; the sentence below follows it

    without = sign_in(remember=False)
    assert without.session.get_expire_at_browser_close()
    assert cell.startswith("When you close your browser")

    kept = sign_in(remember=True)
    assert not kept.session.get_expire_at_browser_close()
    assert kept.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert f'after {two_weeks} if you chose "Keep me signed in on this device"' in cell
    assert "when you sign out" in cell


@override_settings(SESSION_COOKIE_AGE=3 * 24 * 3600)
def test_a_different_session_length_changes_the_sentence():
    assert "after 3 days if you chose" in session_cell()
    assert sign_in(remember=True).session.get_expiry_age() == 3 * 24 * 3600


@override_settings(ACCOUNT_SESSION_REMEMBER=True)
def test_always_remembered_sessions_say_so():
    assert session_cell() == "After 2 weeks, or when you sign out"
    assert not sign_in(remember=False).session.get_expire_at_browser_close()


@override_settings(ACCOUNT_SESSION_REMEMBER=False)
def test_never_remembered_sessions_say_so():
    assert session_cell() == "When you close your browser, or when you sign out"
    assert sign_in(remember=True).session.get_expire_at_browser_close()


def test_the_privacy_notice_names_ip_addresses_and_how_long_counters_keep_them():
    html = Client().get("/privacy/").content.decode()
    assert "its browser and its IP address" in html
    assert 'href="/accounts/sessions/"' in html
    windows = [settings.WRITE_RATE_LIMIT_ANONYMOUS[1]]
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    for rules in settings.ACCOUNT_RATE_LIMITS.values():
        for rule in rules.split(","):
            _, period, key = rule.split("/")
            if key == "ip":
                windows.append(int(period[:-1] or 1) * units[period[-1]])
    assert f"for up to {duration_words(max(windows))}, to stop people guessing" in html


@override_settings(WRITE_RATE_LIMIT_ANONYMOUS=(60, 2 * 86400))
def test_a_longer_counter_changes_the_privacy_notice():
    assert "for up to 2 days, to stop" in Client().get("/privacy/").content.decode()
