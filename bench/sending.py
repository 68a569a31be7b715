"""Sending throughput for `make bench` (and `make bench-sending` alone): the product, with two
Celery worker processes, against a plain smtplib loop sending the same messages, in one run.

    python -m bench.sending --messages 100000 --database qcommunity_bench_sending

1. The audience, not timed: a newsletter with N confirmed subscribers (made once and kept while N
   stays the same) and, each run, a new issue: an introduction with a merge field and three
   sections of markdown.
2. The product, timed: two Celery worker processes (`celery worker --concurrency 1` each, with
   the "delivery" mailer pointed at the sink) take the issue from the moment it is started, as
   the beat task starts a scheduled issue (`issues_start_due`), to the moment the sink holds the
   N-th message. That is all of it: the fan-out (a delivery and an outbox row per reader, each
   message rendered and built) and the sending, batch by batch over one connection per batch,
   each message committed as sent. Sending starts after the fan-out's first chunk, so the
   second worker sends while the first writes.
3. The baseline, timed: the very bytes the product sent, read from its outbox rows in chunks
   (reading not timed), sent by `smtplib.SMTP.sendmail` over one connection.

The sink (aiosmtpd) runs in a process of its own, counts by envelope sender and notes when each
sender's first and last messages arrived; each way must deliver exactly N messages to N
different addresses. Throughput is messages per second; the issue's target is that the product
reaches at least half the plain loop's. Figures go to .run/bench/sending-<timestamp>.json and
.run/bench/sending-latest.json.
"""

import argparse
import contextlib
import datetime as dt
import json
import multiprocessing
import os
import signal
import smtplib
import subprocess
import sys
import time
from email.utils import parseaddr
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MESSAGES = 100_000
MAX_MESSAGES = 200_000
TARGET_RATIO = 0.5
WORKERS = 2
BENCH_DOMAIN = "bench-sending.q.example"
AUDIENCE_SLUG = "bench-audience"

# The sink: a process of its own, asked for its counts over a pipe.


def _sink_main(conn) -> None:
    """Run an aiosmtpd server on a free loopback port; answer "count", "messages", "reset" and
    "stop"."""
    import logging
    import socket
    import threading
    from collections import Counter

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)

    class Handler:
        """Counts by envelope sender, so the two ways stay apart."""

        def __init__(self):
            self.lock = threading.Lock()
            self.senders: dict[str, dict] = {}

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            now = time.time()
            with self.lock:
                seen = self.senders.get(envelope.mail_from)
                if seen is None:
                    seen = self.senders[envelope.mail_from] = {
                        "messages": 0, "bytes": 0, "recipients": Counter(), "first": now,
                    }  # fmt: skip
                seen["messages"] += 1
                seen["bytes"] += len(envelope.original_content or b"")
                seen["recipients"].update(envelope.rcpt_tos)
                seen["last"] = now
            return "250 Message accepted for delivery"

        def counts(self, sender: str) -> dict:
            seen = self.senders.get(sender, {"messages": 0, "bytes": 0, "recipients": Counter()})
            return {
                "messages": seen["messages"],
                "recipients": len(seen["recipients"]),
                "most_to_one_address": max(seen["recipients"].values(), default=0),
                "bytes": seen["bytes"],
                "first_at": seen.get("first"),
                "last_at": seen.get("last"),
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
                elif command == "messages":
                    conn.send(handler.senders.get(args[0], {}).get("messages", 0))
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

    def messages(self, sender: str) -> int:
        """How many messages it took from this sender (cheap enough to ask often)."""
        self._conn.send(("messages", sender))
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


def report(plain: dict, product: dict, *, meta: dict | None = None) -> dict:
    """The figures of a run: both ways, the product's share of the plain loop's throughput and
    whether it reaches the target, and whether every message arrived exactly once each way."""
    figures = {"meta": meta or {}, "parts": [plain, product]}
    figures["target"] = verdict(plain["messages_per_second"], product["messages_per_second"])
    figures["ok"] = plain["received_ok"] and product["received_ok"]
    return figures


def table(figures: dict) -> str:
    heading = f"{'Messages':>8} {'Seconds':>8} {'Msg/s':>8} {'Received':>8} {'Bytes':>7}"
    lines = [f"{'Path':<38} {heading}"]
    labels = {
        "smtplib": "plain smtplib loop (1 connection)",
        "outbox": f"product: fan-out and outbox, {WORKERS} workers",
    }
    for item in figures["parts"]:
        lines.append(
            f"{labels.get(item['name'], item['name']):<38} {item['messages']:>8} "
            f"{item['seconds']:>8.2f} {item['messages_per_second']:>8.1f} "
            f"{item['received']['messages']:>8} {item['average_bytes']:>7}"
        )
        if not item["received_ok"]:
            lines.append(f"{'':<38} the sink did not get exactly one message per address: "
                         f"{item['received']}")  # fmt: skip
    target = figures["target"]
    if target["met"] is None:
        lines.append("Target not measured: the plain loop sent nothing.")
    else:
        lines.append(
            f"Product at {target['ratio'] * 100:.1f}% of the plain loop: target of at "
            f"least {TARGET_RATIO * 100:.0f}% {'met' if target['met'] else 'NOT met'}."
        )
    timings = figures["meta"].get("product_timings")
    if timings:
        lines.append(
            f"(Product timed from the start of the send to the last message at the sink: first "
            f"message after {timings['first_message_seconds']:.2f} s, every delivery written "
            f"after {timings['fan_out_seconds']:.2f} s, issue marked sent after "
            f"{timings['marked_sent_seconds']:.2f} s.)"
        )
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
    """Empty the outbox, the deliveries and the issues of the benchmark database, so nothing
    left by an earlier (interrupted) run is sent or counted. Only ever called on a database
    whose name says it is a benchmark's (checked in `main`)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE outbox_outboxemail, newsletters_delivery, newsletters_issue CASCADE"
        )


def ensure_audience(messages: int):
    """The benchmark's newsletter with exactly `messages` confirmed subscribers, made once and
    kept while the number stays the same."""
    from django.db import transaction

    from qcommunity.newsletters.subscriptions.enums import SubscriptionStatus
    from qcommunity.newsletters.subscriptions.models import Contact, Newsletter, Subscription

    newsletter, _ = Newsletter.objects.get_or_create(
        slug=AUDIENCE_SLUG,
        defaults={"name": "Sending benchmark", "list_id": f"audience.newsletters.{BENCH_DOMAIN}"},
    )
    subscriptions = Subscription.objects.filter(
        newsletter=newsletter, status=SubscriptionStatus.CONFIRMED
    )
    if subscriptions.count() == messages:
        return newsletter
    with transaction.atomic():
        Subscription.objects.filter(newsletter=newsletter).delete()
        Contact.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").delete()
        contacts = Contact.objects.bulk_create(
            [
                Contact(email=f"reader-{n:06d}@{BENCH_DOMAIN}", name=f"Reader {n}")
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
    return newsletter


def new_issue(newsletter, *, tag: str) -> int:
    """An issue due now (scheduled, so the beat task's service starts it). Returns its id."""
    from django.utils import timezone

    from qcommunity.newsletters.issues.enums import IssueStatus, SectionKind
    from qcommunity.newsletters.issues.models import Issue, IssueSection

    issue = Issue.objects.create(
        newsletter=newsletter,
        title=f"Improvement stories, issue {tag}",
        slug=f"issue-{tag}",
        intro=INTRO,
        status=IssueStatus.SCHEDULED,
        scheduled_for=timezone.now(),
    )
    for position, (heading, body) in enumerate(SECTIONS):
        IssueSection.objects.create(
            issue=issue, kind=SectionKind.TEXT, heading=heading, body=body, position=position
        )
    return issue.pk


class Workers:
    """Celery worker processes (concurrency 1 each) for the benchmark's database and Redis,
    delivering to the sink. Started in sessions of their own, stopped with SIGTERM, then
    SIGKILL; their output goes to a log file each."""

    def __init__(self, count: int, *, database: str, smtp_port: int, log_dir: Path):
        self.count = count
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL",))}
        self.env = env | {
            "PGDATABASE": database,
            "EMAIL_TRANSPORT": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "30",
        }

    def __enter__(self):
        from qcommunity.celery import app

        app.control.purge()
        for number in range(self.count):
            log = (self.log_dir / f"sending-worker{number}.log").open("wb")
            name = f"bench-sending-{number}-{os.getpid()}@%h"
            command = [sys.executable, "-m", "celery", "-A", "qcommunity", "worker"]
            command += ["--concurrency=1", "--loglevel=WARNING", "-n", name]
            command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
            self.processes.append(
                subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                    command,
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.processes):
                raise RuntimeError(f"a worker stopped at start; see {self.log_dir}")
            names = {name for reply in app.control.ping(timeout=1.0) for name in reply}
            mine = {n for n in names if n.startswith("bench-sending-") and f"-{os.getpid()}@" in n}
            if len(mine) == self.count:
                return self
        raise RuntimeError(f"the workers did not answer within 90 s; see {self.log_dir}")

    def __exit__(self, *exc):
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def run_product(issue_id: int, sink: Sink, *, messages: int, sender: str) -> dict:
    """Start the issue as the beat task would and wait for the sink to hold every message and
    the issue to be marked sent. Returns the timings (seconds from the start)."""
    from django.db import transaction

    from qcommunity.newsletters.issues.models import Issue
    from qcommunity.newsletters.sending.services import issues_start_due

    timeout = max(300.0, messages / 20)
    started = time.time()
    with transaction.atomic():
        if issue_id not in issues_start_due():
            raise RuntimeError(f"issue {issue_id} did not start")
    deadline = time.monotonic() + timeout
    while sink.messages(sender) < messages:
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{sink.messages(sender)} of {messages} messages after {timeout:.0f} s"
            )
        time.sleep(0.2)
    while True:
        issue = Issue.objects.values("status", "deliveries_written_at", "updated_at").get(
            pk=issue_id
        )
        if issue["status"] == "sent" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    received = sink.counts(sender)
    return {
        "started_at": started,
        "seconds": received["last_at"] - started,
        "first_message_seconds": received["first_at"] - started,
        "fan_out_seconds": issue["deliveries_written_at"].timestamp() - started
        if issue["deliveries_written_at"]
        else None,
        "marked_sent_seconds": issue["updated_at"].timestamp() - started
        if issue["status"] == "sent"
        else None,
        "issue_status": issue["status"],
    }


PLAIN_SENDER = f"plain@{BENCH_DOMAIN}"
PLAIN_CHUNK = 2000


def run_plain(issue_id: int, port: int) -> tuple[int, float]:
    """The issue's messages, as the product built and sent them, sent again by a plain loop of
    `smtplib.SMTP.sendmail` over one connection. Rows are read in chunks beforehand (not
    timed). Returns (messages, seconds)."""
    from qcommunity.newsletters.issues.models import Delivery
    from qcommunity.outbox.models import OutboxEmail

    rows = (
        OutboxEmail.objects.filter(
            pk__in=Delivery.objects.filter(issue_id=issue_id).values("outbox_email_id")
        )
        .order_by("pk")
        .values_list("pk", "recipient", "mime")
    )
    sent, seconds, last_pk = 0, 0.0, 0
    smtp = smtplib.SMTP("127.0.0.1", port, timeout=30)
    try:
        while chunk := [
            (pk, recipient, bytes(mime))
            for pk, recipient, mime in rows.filter(pk__gt=last_pk)[:PLAIN_CHUNK]
        ]:
            last_pk = chunk[-1][0]
            started = time.perf_counter()
            for _, recipient, content in chunk:
                smtp.sendmail(PLAIN_SENDER, [recipient], content)
            seconds += time.perf_counter() - started
            sent += len(chunk)
    finally:
        smtp.quit()
    return sent, seconds


def product_outcome(issue_id: int) -> dict:
    """What the database says after the product: outbox rows and deliveries by status."""
    from django.db.models import Count

    from qcommunity.newsletters.issues.models import Delivery, Issue
    from qcommunity.outbox.models import OutboxEmail

    deliveries = Delivery.objects.filter(issue_id=issue_id)
    rows = OutboxEmail.objects.filter(pk__in=deliveries.values("outbox_email_id"))
    return {
        "issue_status": Issue.objects.get(pk=issue_id).status,
        "deliveries": dict(deliveries.values_list("status").annotate(n=Count("pk"))),
        "outbox": dict(rows.values_list("status").annotate(n=Count("pk"))),
    }


def measure(messages: int, sink: Sink, *, database: str, log_dir: Path, tag: str) -> dict:
    """One run: the audience, a new issue, the product with WORKERS worker processes, then the
    plain loop over the same messages. Returns the figures (see `report`)."""
    from django.conf import settings

    if not 1 <= messages <= MAX_MESSAGES:
        raise ValueError(f"messages must be 1-{MAX_MESSAGES}")
    started = time.perf_counter()
    newsletter = ensure_audience(messages)
    issue_id = new_issue(newsletter, tag=tag)
    audience_seconds = time.perf_counter() - started
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]

    sink.reset()
    with Workers(WORKERS, database=database, smtp_port=sink.port, log_dir=log_dir):
        timings = run_product(issue_id, sink, messages=messages, sender=sender)
    product = part("outbox", messages, timings["seconds"], sink.counts(sender))
    outcome = product_outcome(issue_id)
    product["outcome"] = outcome
    product["received_ok"] = (
        product["received_ok"]
        and outcome["issue_status"] == "sent"
        and outcome["deliveries"] == {"sent": messages}
        and outcome["outbox"] == {"sent": messages}
    )
    plain_sent, plain_seconds = run_plain(issue_id, sink.port)
    plain = part("smtplib", plain_sent, plain_seconds, sink.counts(PLAIN_SENDER))
    plain["received_ok"] = plain["received_ok"] and plain_sent == messages
    return report(
        plain,
        product,
        meta={
            "messages": messages,
            "workers": WORKERS,
            "issue_id": issue_id,
            "audience_seconds": round(audience_seconds, 2),
            "product_timings": {
                key: round(value, 3) if isinstance(value, float) else value
                for key, value in timings.items()
                if key != "started_at"
            },
        },
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--messages", type=int, default=int(os.environ.get("BENCH_MESSAGES", DEFAULT_MESSAGES))
    )
    parser.add_argument("--database", default="qcommunity_bench_sending")
    parser.add_argument("--out-dir", type=Path, default=Path(".run/bench"))
    args = parser.parse_args(argv)
    if "bench" not in args.database:
        # reset_queue empties tables: never on a database that is not a benchmark's.
        raise SystemExit("The database's name must contain 'bench'.")

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
    args.out_dir.mkdir(parents=True, exist_ok=True)

    tag = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    print(  # noqa: T201
        f"Sending {args.messages} messages each way to an SMTP sink on loopback "
        f"({WORKERS} worker processes, then the plain loop)..."
    )
    load_before = [round(x, 2) for x in os.getloadavg()]
    with Sink() as sink:
        figures = measure(
            args.messages, sink, database=args.database, log_dir=args.out_dir, tag=tag
        )
    figures["meta"] |= {
        "database": args.database,
        "database_created": created,
        "settings": os.environ.get("DJANGO_SETTINGS_MODULE", ""),
        "outbox_batch_size": django.conf.settings.OUTBOX_BATCH_SIZE,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    print()  # noqa: T201
    print(table(figures))  # noqa: T201
    path = write(figures, args.out_dir)
    print(f"\nFigures written to {path} (and sending-latest.json beside it).")  # noqa: T201
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
