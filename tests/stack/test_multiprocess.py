"""The whole sending path across real processes: a request through gunicorn (production settings,
plain HTTP on loopback) queues an outbox email, a Celery worker takes the task from a real Redis
and delivers over SMTP to a local sink. Everything runs on free ports and a fresh database, and
everything this test starts is stopped in `finally`."""

import contextlib
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from email import message_from_bytes, policy
from pathlib import Path

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

pytestmark = [pytest.mark.multiprocess, pytest.mark.xdist_group("stack")]

ROOT = Path(__file__).resolve().parents[2]
USER_EMAIL = "stack.reset@example.org"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if result := condition():
                return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class SmtpSink:
    """Collects every message the SMTP server receives."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.rcpt_tos, envelope.original_content))
        return "250 Message accepted for delivery"


class Processes:
    """Subprocesses with their output in files, stopped politely, then firmly, on close."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append((name, process))
        return process

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop_all(self):
        for _, process in reversed(self.running):
            if process.poll() is None:
                process.terminate()
        for _, process in reversed(self.running):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def run(args: list[str], env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def cluster_connection(database: str = "postgres") -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        dbname=database,
        autocommit=True,
        connect_timeout=5,
    )


def database_url(name: str) -> str:
    db = settings.DATABASES["default"]
    host = urllib.parse.quote(db["HOST"], safe="")
    password = f":{urllib.parse.quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{host}{port}/{name}"


class Browser:
    """Just enough of a browser over plain HTTP: keeps cookies, follows no redirects. Cookies are
    handled by hand because production sets them Secure (and __Host- prefixed)."""

    def __init__(self, port: int):
        self.port = port
        self.host = "127.0.0.1"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response, content


def test_password_reset_email_goes_from_gunicorn_through_celery_to_smtp(tmp_path):
    database = f"qc_stack_{secrets.token_hex(4)}"
    processes = Processes(tmp_path)
    sink = SmtpSink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    redis_port, web_port = free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "REDIS_", "CELERY_", "DATABASE_", "AWS_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "qcommunity.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{web_port}",
        "DATABASE_URL": database_url(database),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "EMAIL_TRANSPORT": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "5",
        "STATIC_ROOT": str(tmp_path / "static"),
        "HOST": "127.0.0.1",
        "PORT": str(web_port),
        "WEB_CONCURRENCY": "2",
    }
    with cluster_connection() as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        smtp.start()
        redis = processes.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            env,
        )
        manage = [sys.executable, "manage.py"]
        # Production storage needs the static manifest: collect it while the database migrates.
        collect = processes.start("collectstatic", [*manage, "collectstatic", "--no-input"], env)
        run([*manage, "migrate", "--no-input", "-v0"], env)
        run(
            [
                *manage,
                "shell",
                "-c",
                "from tests.factories.accounts import UserFactory; "
                f"UserFactory(email='{USER_EMAIL}', full_name='Stack Tester')",
            ],
            env,
        )
        assert collect.wait(timeout=60) == 0, processes.log("collectstatic")
        assert redis.poll() is None, processes.log("redis")

        processes.start(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "qcommunity",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"stack-{web_port}@%h",
            ],
            env,
        )
        gunicorn = processes.start(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "qcommunity.wsgi:application",
                "-c",
                "gunicorn.conf.py",
            ],
            env,
        )
        browser = Browser(web_port)

        def health():
            assert gunicorn.poll() is None, processes.log("gunicorn")
            response, content = browser.request("GET", "/health/")
            return response.status == 200 and json.loads(content)

        checks = wait_for(health, 120, "gunicorn, Redis and the worker to be healthy", 0.25)
        assert checks["status"] == "ok"
        assert checks["checks"]["worker"]["ok"] is True
        assert checks["checks"]["worker"]["workers"] == 1

        # Pages render with production's hashed static files.
        response, page = browser.request("GET", "/")
        assert response.status == 200, processes.log("gunicorn")[-4000:]
        assert re.search(
            r'href="/static/vendor/nhsuk/nhsuk-frontend\.min\.[0-9a-f]{12}\.css"', page
        )

        # Production cookies are Secure, so over plain HTTP the test carries them by hand. The
        # reset is asked through another name of the site: its email still links to SITE_URL.
        browser.host = "localhost"
        response, page = browser.request("GET", "/accounts/password/reset/")
        assert response.status == 200, processes.log("gunicorn")[-4000:]
        assert "__Host-csrftoken" in browser.cookies
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response, page = browser.request(
            "POST",
            "/accounts/password/reset/",
            {"email": USER_EMAIL, "csrfmiddlewaretoken": token},
        )
        assert response.status == 302, processes.log("gunicorn")[-4000:]
        assert response.headers["Location"] == "/accounts/password/reset/done/"

        [(recipients, raw)] = wait_for(
            lambda: list(sink.messages), 90, "the email at the SMTP sink", 0.2
        )
        message = message_from_bytes(raw, policy=policy.default)
        assert recipients == [USER_EMAIL]
        assert message["To"] == USER_EMAIL
        assert message["Subject"] == "Q Community: Reset your password"
        body = message.get_body(("plain",)).get_content()
        assert f"http://127.0.0.1:{web_port}/accounts/password/reset/key/" in body
        assert "localhost" not in body

        with cluster_connection(database) as conn:
            rows = conn.execute(
                "SELECT kind, status, attempts, sent_at IS NOT NULL FROM outbox_outboxemail"
            ).fetchall()
        assert rows == [("account.password_reset_key", "sent", 1, True)]

        response, content = browser.request("GET", "/health/")
        assert response.status == 200, content
        assert json.loads(content)["checks"]["worker"]["ok"] is True

        # gunicorn's access log is one JSON object per request.
        access = [
            json.loads(line)
            for line in processes.log("gunicorn").splitlines()
            if line.startswith("{") and '"gunicorn.access"' in line
        ]
        assert {"method": "POST", "path": "/accounts/password/reset/", "status": 302}.items() <= (
            next(a for a in access if a["method"] == "POST").items()
        )
    finally:
        processes.stop_all()
        smtp.stop()
        with cluster_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
