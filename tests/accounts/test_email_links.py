"""Every email links to SITE_URL, the one configured address of the site: allauth's account
emails, which allauth builds from the request, as well as those the worker builds, whatever host
the request that caused them came in on."""

import re
from urllib.parse import urlsplit

import pytest

from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import PASSWORD
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db

SITE = "https://q-community.example"
# Another name the site answers to (in ALLOWED_HOSTS), as when it is served on another port.
OTHER_HOST = "localhost:8001"
NEW_PASSWORD = "a-much-longer-new-passphrase"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def links_in(row: OutboxEmail) -> list[str]:
    found = re.findall(r"https?://[^\s\"'<>]+", f"{row.body_text}\n{row.body_html}")
    assert found, row.body_text
    return found


def assert_every_link_on_site(row: OutboxEmail) -> list[str]:
    links = links_in(row)
    for link in links:
        assert link.startswith(f"{SITE}/"), f"{link} in:\n{row.body_text}"
    assert "localhost" not in row.body_text + row.body_html
    return links


def test_password_reset_asked_through_another_host_links_to_site_url_and_the_link_works(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/reset/", {"email": user.email}, HTTP_HOST=OTHER_HOST
        )
    assert response.status_code == 302
    row = OutboxEmail.objects.get(kind="account.password_reset_key")
    [link] = assert_every_link_on_site(row)
    assert urlsplit(link).path.startswith("/accounts/password/reset/key/")

    response = client.get(urlsplit(link).path)
    assert response.status_code == 302
    assert response.url.endswith("-set-password/")


def test_sign_up_confirmation_asked_through_another_host_links_to_site_url(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "full_name": "Samira Okafor",
                "preferred_name": "Sam",
                "email": "samira@example.org",
                "password1": "blue-kettle-mountain-47",
                "password2": "blue-kettle-mountain-47",
            },
            HTTP_HOST=OTHER_HOST,
        )
    assert response.status_code == 302
    row = OutboxEmail.objects.get(kind="account.email_confirmation_signup")
    [link] = assert_every_link_on_site(row)
    assert urlsplit(link).path.startswith("/accounts/confirm-email/")
    assert client.get(urlsplit(link).path).status_code == 200


def test_account_exists_and_unknown_account_emails_link_to_site_url(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "full_name": "Someone Again",
                "email": user.email,
                "password1": "blue-kettle-mountain-47",
                "password2": "blue-kettle-mountain-47",
            },
            HTTP_HOST=OTHER_HOST,
        )
        client.post(
            "/accounts/password/reset/", {"email": "nobody@example.org"}, HTTP_HOST=OTHER_HOST
        )
    exists = OutboxEmail.objects.get(kind="account.account_already_exists")
    assert assert_every_link_on_site(exists) == [f"{SITE}/accounts/password/reset/"]
    unknown = OutboxEmail.objects.get(kind="account.unknown_account")
    assert assert_every_link_on_site(unknown) == [f"{SITE}/accounts/signup/"]


def test_security_notice_after_a_password_change_links_to_site_url(
    client, user, django_capture_on_commit_callbacks
):
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, HTTP_HOST=OTHER_HOST
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            HTTP_HOST=OTHER_HOST,
        )
    row = OutboxEmail.objects.get(kind="account.password_changed")
    assert assert_every_link_on_site(row) == [f"{SITE}/accounts/password/reset/"]


def test_an_email_the_worker_builds_links_to_site_url(django_capture_on_commit_callbacks):
    """The monthly coffee pairing runs in the worker, with no request at all."""
    from members.coffee.tasks import coffee_pair_monthly

    for _ in range(2):
        ProfileFactory(coffee_opt_in=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert coffee_pair_monthly.delay().get() == 1
    rows = list(OutboxEmail.objects.filter(kind="coffee_introduction"))
    assert len(rows) == 2
    for row in rows:
        assert any("/me/coffee/" in link for link in assert_every_link_on_site(row))
