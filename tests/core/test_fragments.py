"""The fragment cache gives exactly what rendering the same inputs gives, and nothing else."""

import pytest
from django.template import engines

from qcommunity.core import fragments

pytestmark = pytest.mark.django_db

TEMPLATE = '{% call cached_fragment("greeting", [name]) %}<p>Hello {{ name }}</p>{% endcall %}'


@pytest.fixture(autouse=True)
def _empty_cache():
    fragments.clear()
    yield
    fragments.clear()


def render(name: str) -> str:
    return engines["jinja2"].env.from_string(TEMPLATE).render(name=name)


def test_same_inputs_reuse_the_fragment_and_different_inputs_do_not():
    assert render("Sam") == "<p>Hello Sam</p>"
    assert render("Sam") == "<p>Hello Sam</p>"
    assert render("<b>Ana</b>") == "<p>Hello &lt;b&gt;Ana&lt;/b&gt;</p>"
    assert len(fragments._entries) == 2


def test_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(fragments, "MAX_ENTRIES", 3)
    for i in range(10):
        render(f"person {i}")
    assert len(fragments._entries) == 3
    assert render("person 9") == "<p>Hello person 9</p>"


def test_signed_in_header_never_shows_another_users_name(client):
    from tests.factories.accounts import UserFactory

    first = UserFactory(preferred_name="Alexandra")
    second = UserFactory(preferred_name="Bartholomew")
    client.force_login(first)
    assert "Alexandra" in client.get("/").content.decode()
    client.force_login(second)
    body = client.get("/").content.decode()
    assert "Bartholomew" in body
    assert "Alexandra" not in body
    client.logout()
    body = client.get("/").content.decode()
    assert "Bartholomew" not in body
    assert "Sign in" in body


def test_directory_panel_reflects_each_requests_filters(client):
    first = client.get("/directory/?region=wessex").content.decode()
    second = client.get("/directory/?region=oxford").content.decode()
    assert 'value="wessex" checked' in first
    assert 'value="wessex" checked' not in second
    assert 'value="oxford" checked' in second
