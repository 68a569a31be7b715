"""The sending benchmark: its verdict and table on made-up figures, and a tiny real run (20
messages each way) against its SMTP sink on loopback, through the real fan-out and outbox."""

import json

import pytest

from bench.sending import Sink, measure, part, report, table, verdict, write
from qcommunity.newsletters.enums import IssueStatus
from qcommunity.newsletters.models import Issue


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
    assert "plain smtplib loop (1 connection)      2000     2.00   1000.0     2000    6000" in text
    assert "Product path at 25.0% of the plain loop: target of at least 50% NOT met." in text
    assert "Only sending is timed" in text

    building = part("smtplib-build", 2000, 8.0, received(2000))
    fast = part("outbox", 2000, 4.0, received(1999))
    figures = report(plain, fast, building=building)
    assert [item["name"] for item in figures["parts"]] == ["smtplib", "smtplib-build", "outbox"]
    assert figures["ratio_to_building_loop"] == 2.0
    text = table(figures)
    assert "Product path at 50.0% of the plain loop: target of at least 50% met." in text
    assert "(At 200.0% of the loop that builds each message" in text
    assert figures["ok"] is False
    assert "did not get exactly one message per address" in text

    path = write(figures, tmp_path)
    assert path.name.startswith("sending-")
    latest = tmp_path / "sending-latest.json"
    assert json.loads(path.read_text()) == json.loads(latest.read_text())


@pytest.mark.django_db
def test_a_tiny_run_sends_every_message_once_each_way_through_the_real_outbox():
    with Sink() as sink:
        figures = measure(20, sink, tag="tiny")
    plain, building, product = figures["parts"]
    assert plain["received"]["messages"] == 20
    assert building["received_ok"] is True
    assert product["received"]["messages"] == 20
    assert plain["received_ok"] is True
    assert product["received_ok"] is True
    assert figures["ok"] is True
    assert product["outcome"]["deliveries"] == {"sent": 20}
    assert product["outcome"]["outbox"] == {"sent": 20}
    # The same messages both ways: the sizes differ only by header details (ids, dates).
    assert abs(plain["average_bytes"] - product["average_bytes"]) < 200
    assert plain["average_bytes"] > 3000
    assert plain["messages_per_second"] > 0
    assert figures["target"]["ratio"] > 0
    assert Issue.objects.get(pk=figures["meta"]["issue_id"]).status == IssueStatus.SENT
