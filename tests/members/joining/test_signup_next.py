"""A new applicant who creates an account on their way to apply comes back to the page they
came from: `next` is kept through sign-up, the emailed confirmation link and sign-in."""

import html
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from qcommunity.accounts.models import User
from qcommunity.outbox.models import OutboxEmail
from tests.factories.joining import make_round
from tests.factories.panels import staff_user

pytestmark = pytest.mark.django_db

EMAIL = "robin.applicant@example.org"
PASSWORD = "blue-kettle-mountain-47"
SIGNUP = {
    "full_name": "Robin Applicant",
    "email": EMAIL,
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def _href(body: str, text: str) -> str:
    match = re.search(rf'<a href="([^"]+)"[^>]*>\s*{re.escape(text)}', body)
    assert match, text
    return html.unescape(match.group(1))


def _hidden_next(body: str) -> str:
    match = re.search(r'<input type="hidden" name="next" value="([^"]*)"', body)
    assert match, "no hidden next field"
    return html.unescape(match.group(1))


def _confirmation_link() -> str:
    body = OutboxEmail.objects.get(recipient=EMAIL).body_text
    return re.search(rf"{re.escape(settings.SITE_URL)}(/accounts/confirm-email/\S+)", body).group(1)


def _sign_up_confirm_and_sign_in(client, signup_url, capture):
    """From a sign-up link, as a person would: the form, the emailed link, the sign-in form.
    Returns where signing in leads."""
    form = client.get(signup_url).content.decode()
    with capture(execute=True):
        response = client.post(signup_url, {**SIGNUP, "next": _hidden_next(form)})
    assert response.status_code == 302
    link = _confirmation_link()
    page = client.get(link).content.decode()
    confirmed = client.post(link, {"next": _hidden_next(page)})
    assert confirmed.status_code == 302
    sign_in_url = confirmed.headers["Location"]
    assert sign_in_url.startswith(reverse("account_login") + "?next=")
    assert "_auth_user_id" not in client.session
    page = client.get(sign_in_url).content.decode()
    signed_in = client.post(
        sign_in_url, {"login": EMAIL, "password": PASSWORD, "next": _hidden_next(page)}
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=EMAIL).pk)
    return signed_in.headers["Location"]


def test_signing_up_from_the_eligibility_result_comes_back_to_it(
    client, django_capture_on_commit_callbacks
):
    make_round(staff_user(), name="Regional wave 4")
    eligibility = f"{reverse('members:eligibility')}?{urlencode({'region': 'wessex'})}"
    result = client.get(eligibility).content.decode()
    assert "You can apply to this round." in result
    signup_url = _href(result, "Create an account")
    arrived = _sign_up_confirm_and_sign_in(client, signup_url, django_capture_on_commit_callbacks)
    assert arrived == eligibility
    page = client.get(arrived).content.decode()
    assert "Start your application" in page


def test_signing_up_on_the_way_to_a_signed_in_page_comes_back_to_it(
    client, django_capture_on_commit_callbacks
):
    applications = reverse("members:application-list")
    to_sign_in = client.get(applications)
    assert to_sign_in.status_code == 302
    sign_in_page = client.get(to_sign_in.headers["Location"]).content.decode()
    signup_url = _href(sign_in_page, "Create an account")
    arrived = _sign_up_confirm_and_sign_in(client, signup_url, django_capture_on_commit_callbacks)
    assert arrived == applications
    assert client.get(arrived).status_code == 200


def test_a_next_to_another_site_is_not_carried_into_the_email(
    client, django_capture_on_commit_callbacks
):
    signup_url = f"{reverse('account_signup')}?{urlencode({'next': 'https://evil.example/'})}"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(signup_url, {**SIGNUP, "next": "https://evil.example/"})
    link = _confirmation_link()
    assert "evil" not in link
    assert "next" not in link
    response = client.post(link)
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
