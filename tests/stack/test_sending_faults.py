"""Sending an issue survives faults, proved against real processes: PostgreSQL, a Redis server, a
Celery beat and Celery worker processes, and an SMTP server on loopback that records every message
it takes. Each test asserts on what the SMTP server received: every recipient exactly once.

- a worker killed with SIGKILL in the middle of a 5,000-recipient issue, then restarted;
- Redis killed during a send and started again on the same port, empty (no persistence);
- an SMTP server refusing some addresses at RCPT.

The stack is shared by the tests of this module (one database, one beat, one SMTP server); each
test sends its own issue to its own addresses. Timeouts are generous and nothing asserts on
wall-clock time."""

import os
import secrets
import signal
import subprocess
import sys
import time

import pytest

from tests.smtp_sink import SmtpSink
from tests.stack.test_multiprocess import (
    Processes,
    cluster_connection,
    database_url,
    free_port,
    run,
    wait_for,
)

pytestmark = [pytest.mark.multiprocess, pytest.mark.xdist_group("stack")]

# Generous: they only stop a broken run from hanging for ever (a busy CI machine is slow).
DONE_TIMEOUT = 900


class SendingStack:
    def __init__(self, tmp_path, sink):
        self.tmp_path = tmp_path
        self.sink = sink
        self.database = f"qc_send_{secrets.token_hex(4)}"
        self.processes = Processes(tmp_path)
        self.redis_port = free_port()
        self.redis = None
        self.workers: list[subprocess.Popen] = []
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(
                ("DJANGO_", "PYTEST_", "REDIS_", "CELERY_", "DATABASE_", "AWS_", "OUTBOX_")
            )
        }
        self.env = env | {
            "DJANGO_SETTINGS_MODULE": "qcommunity.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "q-community.example",
            "SITE_URL": "https://q-community.example",
            "DATABASE_URL": database_url(self.database),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_TRANSPORT": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_TIMEOUT": "10",
            "STATIC_ROOT": str(tmp_path / "static"),
            # Short enough for a test: beat looks at the database every 2 seconds, a claim left
            # by a dead worker is taken back after 5, and each task sends at most 5 batches of 100
            # before it hands on to a fresh task (through Redis).
            "OUTBOX_POLL_SECONDS": "2",
            "OUTBOX_STALE_CLAIM_SECONDS": "5",
            "OUTBOX_TASK_BATCHES": "5",
            "OUTBOX_BATCH_SIZE": "100",
        }

    # Processes

    def start_redis(self):
        self.redis = self.processes.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp_path),
            ],
            self.env,
        )
        wait_for(self.redis_answers, 20, "Redis to answer")

    def redis_answers(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.redis_port), "ping"],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip() == "PONG"

    def start_worker(self) -> subprocess.Popen:
        name = f"worker{len(self.workers)}"
        worker = self.processes.start(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "qcommunity",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{name}-{self.redis_port}@%h",
            ],
            self.env,
        )
        self.workers.append(worker)
        return worker

    def start_beat(self):
        self.processes.start(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "qcommunity",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(self.tmp_path / "beat-schedule"),
            ],
            self.env,
        )

    def kill(self, process: subprocess.Popen):
        """SIGKILL the process and every child (the worker's pool processes)."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def logs(self) -> str:
        names = ["beat", *(f"worker{i}" for i in range(len(self.workers)))]
        return "\n".join(f"== {n}\n{self.processes.log(n)[-3000:]}" for n in names)

    # Data, through the ORM in a management shell (as the application would write it)

    def shell(self, code: str) -> str:
        return run([sys.executable, "manage.py", "shell", "-c", code], self.env).stdout

    def schedule_issue(self, prefix: str, addresses: list[str]) -> int:
        """A newsletter with confirmed subscribers at `addresses` and an issue due now: beat
        starts it. Returns the issue id."""
        code = f"""
from django.utils import timezone
from qcommunity.newsletters.models import Contact, Issue, Newsletter, Subscription
newsletter = Newsletter.objects.create(
    name="Fault test {prefix}", slug="{prefix}", list_id="{prefix}.newsletters.q.example"
)
contacts = Contact.objects.bulk_create([Contact(email=a) for a in {addresses!r}])
Subscription.objects.bulk_create(
    [Subscription(contact=c, newsletter=newsletter, status="confirmed") for c in contacts]
)
issue = Issue.objects.create(
    newsletter=newsletter, title="Fault test {prefix}", slug="{prefix}",
    status="scheduled", scheduled_for=timezone.now(),
)
print(issue.pk)
"""
        return int(self.shell(code).strip().splitlines()[-1])

    def query(self, sql: str, *params):
        with cluster_connection(self.database) as conn:
            return conn.execute(sql, params).fetchall()

    def issue_status(self, issue_id: int) -> str:
        return self.query("SELECT status FROM newsletters_issue WHERE id = %s", issue_id)[0][0]

    def wait_until_sent(self, issue_id: int):
        try:
            wait_for(
                lambda: self.issue_status(issue_id) == "sent",
                DONE_TIMEOUT,
                f"issue {issue_id} to be sent",
                0.5,
            )
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.logs()}") from None

    def delivery_statuses(self, issue_id: int) -> dict[str, int]:
        return dict(
            self.query(
                "SELECT status, count(*) FROM newsletters_delivery WHERE issue_id = %s "
                "GROUP BY status",
                issue_id,
            )
        )


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("sending-stack")
    server = SmtpSink()
    stack = SendingStack(tmp_path, server)
    with cluster_connection() as admin:
        admin.execute(f'CREATE DATABASE "{stack.database}"')
    try:
        with server as handler:
            stack.handler = handler
            stack.start_redis()
            run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], stack.env)
            stack.start_beat()
            stack.start_worker()
            yield stack
    finally:
        stack.processes.stop_all()
        with cluster_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{stack.database}" WITH (FORCE)')


def received(stack, prefix: str):
    """How many messages each address with this prefix received at the SMTP server."""
    return {
        address: count
        for address, count in stack.handler.per_recipient().items()
        if address.startswith(prefix)
    }


def received_count(stack, prefix: str) -> int:
    return sum(received(stack, prefix).values())


def test_worker_killed_mid_send_then_restarted_every_recipient_gets_exactly_one(stack):
    addresses = [f"kill-{i:05d}@example.org" for i in range(5000)]
    issue_id = stack.schedule_issue("kill", addresses)
    [worker] = [w for w in stack.workers if w.poll() is None]

    wait_for(lambda: received_count(stack, "kill-") >= 500, DONE_TIMEOUT, "500 messages", 0.01)
    stack.kill(worker)
    at_kill = received_count(stack, "kill-")
    assert 500 <= at_kill < 4000, f"{at_kill} messages when the worker was killed"

    time.sleep(1)
    stack.start_worker()
    stack.wait_until_sent(issue_id)

    counts = received(stack, "kill-")
    assert len(counts) == 5000
    assert {address: n for address, n in counts.items() if n != 1} == {}
    assert set(counts) == set(addresses)
    assert stack.delivery_statuses(issue_id) == {"sent": 5000}
    assert stack.query(
        "SELECT status, count(*) FROM outbox_outboxemail WHERE recipient LIKE 'kill-%%' "
        "GROUP BY status"
    ) == [("sent", 5000)]


def test_redis_stopped_mid_send_then_started_again_sending_resumes(stack):
    addresses = [f"redis-{i:05d}@example.org" for i in range(1500)]
    issue_id = stack.schedule_issue("redis", addresses)

    wait_for(lambda: received_count(stack, "redis-") >= 100, DONE_TIMEOUT, "100 messages", 0.02)
    stack.kill(stack.redis)
    assert not stack.redis_answers()
    time.sleep(5)
    stack.start_redis()  # same port, empty: every queued task is gone
    stack.wait_until_sent(issue_id)

    counts = received(stack, "redis-")
    assert set(counts) == set(addresses)
    assert {address: n for address, n in counts.items() if n != 1} == {}
    assert stack.delivery_statuses(issue_id) == {"sent": 1500}
    assert all(w.poll() is None for w in stack.workers[-1:]), stack.logs()


def test_smtp_refusals_fail_those_deliveries_with_the_reply_and_the_rest_go_once(stack):
    addresses = [
        f"refuse-{i:04d}@example.org" if i % 10 == 3 else f"mixed-{i:04d}@example.org"
        for i in range(200)
    ]
    issue_id = stack.schedule_issue("refusals", addresses)
    stack.wait_until_sent(issue_id)

    counts = received(stack, "mixed-")
    assert set(counts) == {a for a in addresses if a.startswith("mixed-")}
    assert set(counts.values()) == {1}
    assert received(stack, "refuse-") == {}
    assert stack.delivery_statuses(issue_id) == {"sent": 180, "failed": 20}
    failed = stack.query(
        "SELECT email, last_error FROM newsletters_delivery "
        "WHERE issue_id = %s AND status = 'failed' ORDER BY email",
        issue_id,
    )
    assert failed == [
        (address, f"550 5.1.1 <{address}>: no such user")
        for address in sorted(a for a in addresses if a.startswith("refuse-"))
    ]
