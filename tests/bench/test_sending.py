"""The sending benchmark: its verdict and table on made-up figures, and a small real run of the
program (150 messages each way) with its two Celery worker processes and its SMTP sink."""

import json
import os
import secrets
import subprocess
import sys
import urllib.parse

import psycopg
import pytest
from psycopg import sql

from bench.seed import PG_SOCKET_DIR
from bench.sending import ROOT, part, report, table, verdict, write


def received(messages: int, *, most: int = 1, size: int = 6000) -> dict:
    return {
        "messages": messages,
        "recipients": messages,
        "most_to_one_address": most,
        "bytes": messages * size,
    }


def test_verdict_is_the_share_of_the_plain_loop_with_a_target_of_half():
    assert verdict(1000.0, 500.0) == {"ratio": 0.5, "target": 0.5, "met": True}
    assert verdict(1000.0, 499.0) == {"ratio": 0.499, "target": 0.5, "met": False}
    assert verdict(800.0, 1000.0) == {"ratio": 1.25, "target": 0.5, "met": True}
    assert verdict(0.0, 100.0) == {"ratio": None, "target": 0.5, "met": None}


def test_a_part_is_ok_only_with_exactly_one_message_per_address():
    good = part("smtplib", 100, 0.5, received(100))
    assert good["messages_per_second"] == 200.0
    assert good["average_bytes"] == 6000
    assert good["received_ok"] is True
    assert part("smtplib", 100, 0.5, received(99))["received_ok"] is False
    assert part("smtplib", 100, 0.5, received(100, most=2))["received_ok"] is False
    assert part("outbox", 0, 0.0, received(0, most=0))["messages_per_second"] == 0.0


def test_report_and_table_give_the_ratio_and_say_whether_the_target_is_met(tmp_path):
    plain = part("smtplib", 2000, 2.0, received(2000))
    slow = part("outbox", 2000, 8.0, received(2000))
    figures = report(plain, slow, meta={"messages": 2000})
    assert figures["target"] == {"ratio": 0.25, "target": 0.5, "met": False}
    assert figures["ok"] is True
    text = table(figures)
    assert "plain smtplib loop (1 connection)          2000     2.00   1000.0     2000    6000" in (
        text
    )
    assert "Product at 25.0% of the plain loop: target of at least 50% NOT met." in text

    fast = part("outbox", 2000, 4.0, received(1999))
    timings = {"first_message_seconds": 0.5, "fan_out_seconds": 2.0, "marked_sent_seconds": 4.1}
    figures = report(plain, fast, meta={"product_timings": timings})
    assert [item["name"] for item in figures["parts"]] == ["smtplib", "outbox"]
    text = table(figures)
    assert "Product at 50.0% of the plain loop: target of at least 50% met." in text
    assert "first message after 0.50 s, every delivery written after 2.00 s" in text
    assert figures["ok"] is False
    assert "did not get exactly one message per address" in text

    path = write(figures, tmp_path)
    assert path.name.startswith("sending-")
    latest = tmp_path / "sending-latest.json"
    assert json.loads(path.read_text()) == json.loads(latest.read_text())


@pytest.mark.xdist_group("stack")
def test_a_small_run_with_two_worker_processes_delivers_every_message_once_each_way(tmp_path):
    """The benchmark program itself, end to end: its own database, two Celery workers, the sink
    and the plain loop. Every message arrives exactly once each way and the issue is sent."""
    database = f"qc_bench_sending_{secrets.token_hex(4)}"
    redis = urllib.parse.urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6391/0"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "REDIS_", "CELERY_", "DATABASE_", "OUTBOX_"))
    } | {
        "DJANGO_SETTINGS_MODULE": "qcommunity.settings.benchmark",
        # A Redis database of its own: the program purges its queue.
        "REDIS_URL": f"redis://{redis.netloc}/44",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SITE_URL": "https://q-community.example",
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "bench.sending", "--messages", "150"]
    command += ["--database", database, "--out-dir", str(tmp_path)]
    try:
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        logs = "\n".join(p.read_text() for p in tmp_path.glob("sending-worker*.log"))
        assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{logs}"
        figures = json.loads((tmp_path / "sending-latest.json").read_text())
    finally:
        with psycopg.connect(
            host=str(PG_SOCKET_DIR), user="postgres", dbname="postgres", autocommit=True
        ) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database)
            ))  # fmt: skip
    plain, product = figures["parts"]
    assert figures["ok"] is True
    for way in (plain, product):
        assert way["received"]["messages"] == 150
        assert way["received"]["recipients"] == 150
        assert way["received"]["most_to_one_address"] == 1
        assert way["messages_per_second"] > 0
    assert product["outcome"] == {
        "issue_status": "sent",
        "deliveries": {"sent": 150},
        "outbox": {"sent": 150},
    }
    # The same bytes both ways.
    assert plain["average_bytes"] == product["average_bytes"] > 3000
    assert figures["meta"]["workers"] == 2
    timings = figures["meta"]["product_timings"]
    assert 0 < timings["first_message_seconds"] <= timings["seconds"]
    assert figures["target"]["ratio"] == round(
        product["messages_per_second"] / plain["messages_per_second"], 4
    )
    assert "Product at" in result.stdout
