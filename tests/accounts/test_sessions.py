"""The signed-in devices page: lists the person's sessions and ends the others."""

import re

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from qcommunity.core.formatting import uk_datetime
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def signed_in_client(user, user_agent, ip):
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_sessions_page_lists_each_device_and_marks_this_one(user):
    laptop = signed_in_client(user, FIREFOX, "192.0.2.10")
    signed_in_client(user, SAFARI, "198.51.100.7")

    response = laptop.get("/accounts/sessions/")
    body = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "<h1>Signed-in devices</h1>" in body
    assert "192.0.2.10" in body
    assert "198.51.100.7" in body
    this_device = '<strong class="nhsuk-tag nhsuk-tag--green" > This device </strong>'
    assert f"<span>Firefox on Windows {this_device}</span>" in body
    assert "<span>Safari on iOS</span>" in body
    assert body.count(this_device) == 1
    last_seen = UserSession.objects.get(ip="192.0.2.10").last_seen_at
    assert uk_datetime(last_seen) in body
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}, (\d{1,2}(:\d{2})?(am|pm)|midday|midnight)", body)
    assert "Sign out of all other devices" in body


def test_signing_out_other_devices_ends_their_sessions(user):
    laptop = signed_in_client(user, FIREFOX, "192.0.2.10")
    phone = signed_in_client(user, SAFARI, "198.51.100.7")
    assert UserSession.objects.filter(user=user).count() == 2

    response = laptop.post("/accounts/sessions/")
    assert response.status_code == 302
    assert list(UserSession.objects.filter(user=user).values_list("ip", flat=True)) == [
        "192.0.2.10"
    ]
    assert laptop.get("/accounts/sessions/").status_code == 200
    assert phone.get("/accounts/sessions/").status_code == 302  # signed out

    body = laptop.get("/accounts/sessions/").content.decode()
    assert "You are not signed in anywhere else." in body
    assert "Sign out of all other devices" not in body
