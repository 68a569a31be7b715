"""Sending throughput for `make bench-sending`: the outbox against a plain smtplib loop.

    python -m bench.sending --messages 2000 --database qcommunity_bench_sending

In one run, against one SMTP sink on loopback (aiosmtpd, in a process of its own so that it does
not share this process's interpreter lock):

1. queueing, not timed: a newsletter with N confirmed subscribers and an issue with an
   introduction and three sections, sent through the real fan-out (`issue_send`), which writes
   one delivery and one outbox row per recipient;
2. the plain loop, timed: the same N messages (built beforehand from those outbox rows with the
   standard library's email package: same headers, plain-text and HTML parts) sent by
   `smtplib.SMTP.sendmail` over one connection. This is the baseline the target is judged
   against. For context, the same loop is timed again building each message as it goes, as a
   plain script would (the email package's modern API is slow: milliseconds a message);
3. the product path, timed: `outbox_send_queued(max_batches=1)` called in this process, with
   the "delivery" mailer set to Django's SMTP backend at the sink, so every row goes through the
   outbox's own SMTP sender (claim a batch, one connection per batch, one database transaction
   per message).

The three are interleaved in rounds of one outbox batch (OUTBOX_BATCH_SIZE messages) each, so
that a change in the machine's load during the run falls on all three alike; each way's time is
the sum of its rounds. The sink counts by envelope sender (the plain loops use their own), and
its counts are checked for each way: exactly N messages to N different addresses.
Throughput is messages per second of the timed part; the issue's target is that the product
path reaches at least half the plain loop's. Figures go to .run/bench/sending-<timestamp>.json
and .run/bench/sending-latest.json.
"""

import argparse
import contextlib
import datetime as dt
import email.policy
import json
import multiprocessing
import os
import smtplib
import sys
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

DEFAULT_MESSAGES = 2000
MAX_MESSAGES = 200_000
TARGET_RATIO = 0.5
BENCH_DOMAIN = "bench-sending.q.example"

# The sink: a process of its own, asked for its counts over a pipe.


def _sink_main(conn) -> None:
    """Run an aiosmtpd server on a free loopback port; answer "count", "reset" and "stop"."""
    import logging
    import socket
    import threading
    from collections import Counter

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    class Handler:
        """Counts by envelope sender, so parts of the run interleaved in time stay apart."""

        def __init__(self):
            self.lock = threading.Lock()
            self.senders: dict[str, dict] = {}

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            with self.lock:
                seen = self.senders.setdefault(
                    envelope.mail_from, {"messages": 0, "bytes": 0, "recipients": Counter()}
                )
                seen["messages"] += 1
                seen["bytes"] += len(envelope.original_content or b"")
                seen["recipients"].update(envelope.rcpt_tos)
            return "250 Message accepted for delivery"

        def counts(self, sender: str) -> dict:
            seen = self.senders.get(sender, {"messages": 0, "bytes": 0, "recipients": Counter()})
            return {
                "messages": seen["messages"],
                "recipients": len(seen["recipients"]),
                "most_to_one_address": max(seen["recipients"].values(), default=0),
                "bytes": seen["bytes"],
            }

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    conn.send(port)
    try:
        while True:
            command, *args = conn.recv()
            if command == "stop":
                break
            with handler.lock:
                if command == "count":
                    conn.send(handler.counts(args[0]))
                elif command == "reset":
                    handler.senders.clear()
                    conn.send("ok")
    finally:
        controller.stop()


class Sink:
    """An SMTP sink in a child process (spawned, so it shares nothing with this one)."""

    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_sink_main, args=(child,), daemon=True)
        self.port = 0

    def __enter__(self):
        self._process.start()
        if not self._conn.poll(60):
            self._process.kill()
            raise RuntimeError("the SMTP sink did not start")
        self.port = self._conn.recv()
        return self

    def __exit__(self, *exc):
        with contextlib.suppress(OSError):
            self._conn.send(("stop",))
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)

    def counts(self, sender: str) -> dict:
        """What the sink took from this envelope sender since the last reset."""
        self._conn.send(("count", sender))
        return self._conn.recv()

    def reset(self) -> None:
        self._conn.send(("reset",))
        self._conn.recv()


# Figures


def rate(messages: int, seconds: float) -> float:
    return messages / seconds if seconds > 0 else 0.0


def verdict(plain_per_second: float, product_per_second: float) -> dict:
    """The product path's throughput as a share of the plain loop's, and whether it reaches the
    issue's target (at least half). No plain figure, no verdict."""
    if plain_per_second <= 0:
        return {"ratio": None, "target": TARGET_RATIO, "met": None}
    ratio = product_per_second / plain_per_second
    return {"ratio": round(ratio, 4), "target": TARGET_RATIO, "met": ratio >= TARGET_RATIO}


def part(name: str, messages: int, seconds: float, received: dict) -> dict:
    """One timed part: its throughput and what the sink saw (which must be `messages` messages to
    `messages` different addresses, one each)."""
    return {
        "name": name,
        "messages": messages,
        "seconds": round(seconds, 4),
        "messages_per_second": round(rate(messages, seconds), 1),
        "received": received,
        "received_ok": received["messages"] == messages
        and received["recipients"] == messages
        and received["most_to_one_address"] == (1 if messages else 0),
        "average_bytes": round(received["bytes"] / received["messages"])
        if received["messages"]
        else 0,
    }


def report(
    plain: dict, product: dict, *, building: dict | None = None, meta: dict | None = None
) -> dict:
    """The figures of a run. The target is judged against the plain loop that sends messages
    built beforehand (SMTP alone, the stricter baseline); the loop that builds each message as
    it goes, when measured, gives a second ratio for context."""
    parts = [plain, *([building] if building else []), product]
    figures = {"meta": meta or {}, "parts": parts}
    figures["target"] = verdict(plain["messages_per_second"], product["messages_per_second"])
    if building:
        figures["ratio_to_building_loop"] = verdict(
            building["messages_per_second"], product["messages_per_second"]
        )["ratio"]
    figures["ok"] = all(item["received_ok"] for item in parts)
    return figures


def table(figures: dict) -> str:
    heading = f"{'Messages':>8} {'Seconds':>8} {'Msg/s':>8} {'Received':>8} {'Bytes':>7}"
    lines = [f"{'Path':<34} {heading}"]
    labels = {
        "smtplib": "plain smtplib loop (1 connection)",
        "smtplib-build": "same, building each message",
        "outbox": "outbox_send_queued (product)",
    }
    for item in figures["parts"]:
        lines.append(
            f"{labels.get(item['name'], item['name']):<34} {item['messages']:>8} "
            f"{item['seconds']:>8.2f} {item['messages_per_second']:>8.1f} "
            f"{item['received']['messages']:>8} {item['average_bytes']:>7}"
        )
        if not item["received_ok"]:
            lines.append(f"{'':<34} the sink did not get exactly one message per address: "
                         f"{item['received']}")  # fmt: skip
    target = figures["target"]
    if target["met"] is None:
        lines.append("Target not measured: the plain loop sent nothing.")
    else:
        lines.append(
            f"Product path at {target['ratio'] * 100:.1f}% of the plain loop: target of at "
            f"least {TARGET_RATIO * 100:.0f}% {'met' if target['met'] else 'NOT met'}."
        )
    if figures.get("ratio_to_building_loop") is not None:
        lines.append(
            f"(At {figures['ratio_to_building_loop'] * 100:.1f}% of the loop that builds each "
            "message with the email package as it goes.)"
        )
    lines.append("(Only sending is timed; queueing the rows through the fan-out is not.)")
    return "\n".join(lines)


def write(figures: dict, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"sending-{stamp}.json"
    text = json.dumps(figures, indent=2) + "\n"
    path.write_text(text)
    (out_dir / "sending-latest.json").write_text(text)
    return path


# The work (needs Django set up)

INTRO = (
    "Welcome to this month's newsletter. {{ first_name }}, here is what members have been "
    "working on: stories of improvement from wards, practices and boards across the country, "
    "with the tools they used and what they would do differently next time."
)
SECTIONS = [
    (
        "Improvement stories",
        "A team in **Wessex** cut waiting times for follow-up appointments by a third over six "
        "months, using weekly run charts and a simple booking change.\n\n"
        "- What they measured and why\n- The three changes that worked\n- What did not\n\n"
        "[Read the full story](https://q-community.example/stories/wessex-follow-up/)",
    ),
    (
        "Events",
        "Join the **Q Community lab** on measurement for improvement: an online session for "
        "anyone starting out with run charts and statistical process control. Places are free "
        "and open to members and their teams.\n\n"
        "[See events and book a place](https://q-community.example/events/)",
    ),
    (
        "From the Quality Institute",
        "The Quality Mark guidance has been updated after feedback from applicants. The "
        "changes make the evidence asked for at each stage clearer and shorter; nothing you "
        "have already submitted needs to change.\n\n"
        "[Read what changed](https://q-community.example/quality-mark/guidance/)",
    ),
]


def reset_queue() -> None:
    """Empty the outbox and the deliveries of the benchmark database, so nothing left by an
    earlier (interrupted) run is sent and counted. Only ever called on the benchmark database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE outbox_outboxemail, newsletters_delivery CASCADE")


def queue_issue(messages: int, *, tag: str) -> int:
    """A newsletter with `messages` confirmed subscribers and an issue sent to them through the
    real fan-out: one delivery and one queued outbox row each. Returns the issue id."""
    from django.db import transaction

    from qcommunity.newsletters.compose import issue_start_sending
    from qcommunity.newsletters.compose_enums import SectionKind
    from qcommunity.newsletters.enums import IssueStatus, SubscriptionStatus
    from qcommunity.newsletters.models import Contact, Issue, Newsletter, Subscription
    from qcommunity.newsletters.models_compose import IssueSection
    from qcommunity.newsletters.sending import issue_send

    newsletter = Newsletter.objects.create(
        name=f"Sending benchmark {tag}",
        slug=f"bench-{tag}",
        list_id=f"bench-{tag}.newsletters.{BENCH_DOMAIN}",
    )
    contacts = Contact.objects.bulk_create(
        [
            Contact(email=f"reader-{tag}-{n:06d}@{BENCH_DOMAIN}", name=f"Reader {n}")
            for n in range(messages)
        ],
        batch_size=5000,
    )
    Subscription.objects.bulk_create(
        [
            Subscription(contact=c, newsletter=newsletter, status=SubscriptionStatus.CONFIRMED)
            for c in contacts
        ],
        batch_size=5000,
    )
    issue = Issue.objects.create(
        newsletter=newsletter,
        title=f"Improvement stories, issue {tag}",
        slug=f"issue-{tag}",
        intro=INTRO,
        status=IssueStatus.APPROVED,
    )
    for position, (heading, body) in enumerate(SECTIONS):
        IssueSection.objects.create(
            issue=issue, kind=SectionKind.TEXT, heading=heading, body=body, position=position
        )
    with transaction.atomic():
        issue_start_sending(actor=None, issue=issue)
    written = issue_send(issue_id=issue.pk)
    if written != messages:
        raise RuntimeError(f"the fan-out wrote {written} deliveries, not {messages}")
    return issue.pk


def plain_rows(issue_id: int) -> list[dict]:
    """What the outbox holds for each of the issue's messages, read beforehand (not timed)."""
    from qcommunity.newsletters.models import Delivery
    from qcommunity.outbox.models import OutboxEmail

    ids = Delivery.objects.filter(issue_id=issue_id).values_list("outbox_email_id", flat=True)
    fields = ["subject", "from_email", "recipient", "headers", "body_text", "body_html"]
    return list(OutboxEmail.objects.filter(pk__in=ids).order_by("pk").values(*fields))


def build_plain(row: dict) -> tuple[str, str, bytes]:
    """One outbox row as (sender, recipient, message bytes), built with the standard library's
    email package alone: the same headers and parts the outbox sends."""
    message = EmailMessage(policy=email.policy.SMTP)
    message["Subject"] = row["subject"]
    message["From"] = row["from_email"]
    message["To"] = row["recipient"]
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=BENCH_DOMAIN)
    for name, value in (row["headers"] or {}).items():
        message[name] = value
    message.set_content(row["body_text"])
    if row["body_html"]:
        message.add_alternative(row["body_html"], subtype="html")
    return parseaddr(row["from_email"])[1], row["recipient"], message.as_bytes()


PLAIN_SENDER = f"plain@{BENCH_DOMAIN}"
BUILDING_SENDER = f"plain-building@{BENCH_DOMAIN}"


def send_plain(smtp: smtplib.SMTP, messages: list[tuple[str, str, bytes]]) -> float:
    """Send messages built beforehand over an open smtplib connection; returns the seconds."""
    started = time.perf_counter()
    for _, recipient, content in messages:
        smtp.sendmail(PLAIN_SENDER, [recipient], content)
    return time.perf_counter() - started


def send_plain_building(smtp: smtplib.SMTP, rows: list[dict]) -> float:
    """As send_plain, but each message is built in the loop (as a plain script would)."""
    started = time.perf_counter()
    for row in rows:
        _, recipient, content = build_plain(row)
        smtp.sendmail(BUILDING_SENDER, [recipient], content)
    return time.perf_counter() - started


def send_product_batch(profiler=None) -> tuple[int, float]:
    """One batch of queued outbox rows sent by `outbox_send_queued(max_batches=1)` (the delivery
    mailer must point at the sink); returns (rows claimed, seconds)."""
    from qcommunity.outbox.services import outbox_send_queued

    started = time.perf_counter()
    if profiler:
        profiler.enable()
    claimed = outbox_send_queued(max_batches=1)
    if profiler:
        profiler.disable()
    return claimed, time.perf_counter() - started


def send_interleaved(port: int, rows: list[dict], *, profile: Path | None = None) -> dict:
    """Time the three ways in rounds of one outbox batch each (plain, building, outbox, then
    again), so that a change in the machine's load falls on all three alike. The plain loops
    keep one connection each for the whole run (opening them is not timed); the outbox opens
    one per batch, as it does in production. Returns seconds and counts for each way."""
    from django.conf import settings
    from django.test import override_settings

    delivery = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30},
    }
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
    prepared = [build_plain(row) for row in rows]
    batch = settings.OUTBOX_BATCH_SIZE
    seconds = {"smtplib": 0.0, "smtplib-build": 0.0, "outbox": 0.0}
    sent = {"smtplib": 0, "smtplib-build": 0, "outbox": 0}
    plain = smtplib.SMTP("127.0.0.1", port, timeout=30)
    building = smtplib.SMTP("127.0.0.1", port, timeout=30)
    try:
        with override_settings(MAILERS={**settings.MAILERS, "delivery": delivery}):
            for start in range(0, len(rows), batch):
                chunk = slice(start, start + batch)
                seconds["smtplib"] += send_plain(plain, prepared[chunk])
                sent["smtplib"] += len(prepared[chunk])
                seconds["smtplib-build"] += send_plain_building(building, rows[chunk])
                sent["smtplib-build"] += len(rows[chunk])
                claimed, took = send_product_batch(profiler)
                seconds["outbox"] += took
                sent["outbox"] += claimed
            # Anything the outbox left (none expected: it claims in the same batch size).
            while True:
                claimed, took = send_product_batch(profiler)
                if not claimed:
                    break
                seconds["outbox"] += took
                sent["outbox"] += claimed
    finally:
        plain.quit()
        building.quit()
    if profiler:
        profiler.dump_stats(profile)
    return {"seconds": seconds, "sent": sent}


def product_outcome(issue_id: int) -> dict:
    """What the database says after the product path: outbox rows and deliveries by status."""
    from django.db.models import Count

    from qcommunity.newsletters.models import Delivery, Issue
    from qcommunity.outbox.models import OutboxEmail

    deliveries = Delivery.objects.filter(issue_id=issue_id)
    rows = OutboxEmail.objects.filter(pk__in=deliveries.values("outbox_email_id"))
    return {
        "issue_status": Issue.objects.get(pk=issue_id).status,
        "deliveries": dict(deliveries.values_list("status").annotate(n=Count("pk"))),
        "outbox": dict(rows.values_list("status").annotate(n=Count("pk"))),
    }


def measure(messages: int, sink: Sink, *, tag: str, profile: Path | None = None) -> dict:
    """Queue one issue to `messages` readers, then time the plain loop and the product path
    against the sink. Returns the figures (see `report`)."""
    if not 1 <= messages <= MAX_MESSAGES:
        raise ValueError(f"messages must be 1-{MAX_MESSAGES}")
    started = time.perf_counter()
    issue_id = queue_issue(messages, tag=tag)
    rows = plain_rows(issue_id)
    queue_seconds = time.perf_counter() - started

    sink.reset()
    timed = send_interleaved(sink.port, rows, profile=profile)
    from_email = parseaddr(rows[0]["from_email"])[1]
    parts = {
        name: part(name, timed["sent"][name], timed["seconds"][name], sink.counts(sender))
        for name, sender in (
            ("smtplib", PLAIN_SENDER),
            ("smtplib-build", BUILDING_SENDER),
            ("outbox", from_email),
        )
    }
    plain, building, product = parts["smtplib"], parts["smtplib-build"], parts["outbox"]
    claimed = product["messages"]
    outcome = product_outcome(issue_id)
    product["outcome"] = outcome
    product["received_ok"] = (
        product["received_ok"]
        and claimed == messages
        and outcome["deliveries"] == {"sent": messages}
        and outcome["outbox"] == {"sent": messages}
    )
    return report(
        plain,
        product,
        building=building,
        meta={"messages": messages, "issue_id": issue_id, "queue_seconds": round(queue_seconds, 2)},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--messages", type=int, default=int(os.environ.get("BENCH_MESSAGES", DEFAULT_MESSAGES))
    )
    parser.add_argument("--database", default="qcommunity_bench_sending")
    parser.add_argument("--out-dir", type=Path, default=Path(".run/bench"))
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the product path")
    args = parser.parse_args(argv)

    from bench.seed import ensure_database

    # Before Django reads its settings: they pick the database from the environment.
    os.environ["PGDATABASE"] = args.database
    os.environ.pop("DATABASE_URL", None)
    created = ensure_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.settings_dict["NAME"] != args.database:
        raise SystemExit(f"Django would use {connection.settings_dict['NAME']}, not the bench DB")
    call_command("migrate", verbosity=0, interactive=False)
    reset_queue()

    tag = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    print(f"Sending {args.messages} messages each way to an SMTP sink on loopback...")  # noqa: T201
    with Sink() as sink:
        figures = measure(args.messages, sink, tag=tag, profile=args.profile)
    # The fan-out queued outbox tasks in this benchmark's Redis database; nobody runs them.
    from qcommunity.celery import app

    app.control.purge()
    figures["meta"] |= {
        "database": args.database,
        "database_created": created,
        "settings": os.environ.get("DJANGO_SETTINGS_MODULE", ""),
        "outbox_batch_size": django.conf.settings.OUTBOX_BATCH_SIZE,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print()  # noqa: T201
    print(table(figures))  # noqa: T201
    path = write(figures, args.out_dir)
    print(f"\nFigures written to {path} (and sending-latest.json beside it).")  # noqa: T201
    if args.profile:
        import pstats

        print(f"\ncProfile of the product path ({args.profile}), by cumulative time:")  # noqa: T201
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(30)
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
