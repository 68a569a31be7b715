"""Checks for /health/: each answers quickly, with a short timeout, and never raises."""

import time

from django.conf import settings
from django.db import connection


def _timed(check) -> dict:
    start = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # noqa: BLE001 (a health check reports every failure)
        result = {"ok": False, "error": f"{exc.__class__.__name__}: {exc}"[:300]}
    result["ms"] = round((time.perf_counter() - start) * 1000, 1)
    return result


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 2000")
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_redis() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "detail": "not configured; tasks run in the web process"}
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True}


def check_worker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "detail": "tasks run eagerly in the web process"}
    from qcommunity.celery import app

    replies = app.control.ping(timeout=1.0)
    if not replies:
        return {"ok": False, "error": "no worker answered within 1 second"}
    return {"ok": True, "workers": len(replies)}


def run_checks() -> dict:
    checks = {
        "database": _timed(check_database),
        "redis": _timed(check_redis),
    }
    checks["worker"] = (
        _timed(check_worker) if checks["redis"]["ok"] else {"ok": False, "error": "redis is down"}
    )
    return {"status": "ok" if all(c["ok"] for c in checks.values()) else "error", "checks": checks}
