"""The site-wide ceiling on writes (qcommunity.core.ratelimit)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.WRITE_RATE_LIMIT_USER = (3, 600)
    settings.WRITE_RATE_LIMIT_ANONYMOUS = (2, 600)
    return settings


def test_a_signed_in_person_is_stopped_after_the_limit(tight, client_for, member):
    client = client_for(member)
    answers = [client.post("/me/coffee/", {}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    page = client.post("/me/coffee/", {})
    assert page.status_code == 429
    assert "Too many" in page.content.decode()


def test_visitors_are_limited_per_address(tight, client):
    assert [client.post("/no-such-page/").status_code for _ in range(3)] == [404, 404, 429]
    assert client.post("/no-such-page/", REMOTE_ADDR="192.0.2.7").status_code == 404


def test_reading_is_never_limited(tight, client):
    assert {client.get("/").status_code for _ in range(5)} == {200}


def test_exempt_paths_are_not_counted(tight, client):
    tight.WRITE_RATE_LIMIT_EXEMPT = ["/no-such-page/"]
    assert {client.post("/no-such-page/").status_code for _ in range(4)} == {404}


def test_an_unreachable_cache_lets_writes_through(tight, client):
    tight.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert [client.post("/no-such-page/").status_code for _ in range(3)] == [404, 404, 404]
