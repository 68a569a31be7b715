import socket
import time

import pytest

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_health_is_ok_when_database_redis_and_worker_answer(client, settings):
    assert settings.REDIS_URL, "the test suite runs against a real Redis"

    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "worker"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is True
    # Tasks run eagerly in the test settings, so the worker check says so.
    assert body["checks"]["worker"] == {
        "ok": True,
        "detail": "tasks run eagerly in the web process",
        "ms": body["checks"]["worker"]["ms"],
    }
    assert "no-cache" in response.headers["Cache-Control"]


def test_health_is_503_naming_redis_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"

    started = time.monotonic()
    response = client.get("/health/")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["redis"]["error"].startswith("ConnectionError")
    assert body["checks"]["worker"] == {"ok": False, "error": "redis is down"}
    assert elapsed < 3
