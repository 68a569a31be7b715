import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/", "Q Community"),
        ("/accessibility/", "Accessibility statement"),
        ("/privacy/", "Privacy notice"),
        ("/cookies/", "Cookies"),
        ("/contact/", "Contact us"),
    ],
)
def test_public_page_renders_in_layout(client, url, heading):
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in body
    assert 'class="nhsuk-skip-link"' in body
    assert 'id="maincontent"' in body
    assert "nhsuk-footer" in body


def test_header_has_q_logo_not_nhs_logo(client):
    body = client.get("/").content.decode()
    assert "q-logo.svg" in body
    assert 'aria-label="NHS"' not in body
    assert "nhsuk-header__logo" not in body


def test_unknown_page_is_404_in_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_inline_script_carries_csp_nonce(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert "'unsafe-inline'" not in policy


def test_form_sent_without_csrf_token_gets_the_layout_page():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "a@b.org"})
    assert response.status_code == 403
    assert "Sorry, we could not accept that form" in response.content.decode()


def test_rate_limited_request_gets_429_page_in_layout(client):
    from qcommunity.core.views import too_many_requests

    request = client.get("/").wsgi_request
    response = too_many_requests(request)
    assert response.status_code == 429
    assert "<h1>Too many attempts</h1>" in response.content.decode()


@pytest.mark.parametrize(("roles", "shown"), [(None, True), ([], True), (["member"], False)])
def test_join_q_is_in_the_navigation_and_on_home_until_you_are_a_member(client, roles, shown):
    if roles is not None:
        client.force_login(UserFactory(roles=roles))

    page = client.get("/").content.decode()

    join_url = reverse("members:join")
    assert (f'href="{join_url}"' in page) is shown
    assert ("Join Q" in page) is shown
