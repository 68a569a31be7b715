"""The README's two commands wherever the checkout is: the services script starts PostgreSQL and
Redis from a checkout inside a 0700 folder (root's home folder) and stops them again; `make test`
stops what it started and nothing else, with pytest's exit status; `make run` says in one line
when its port is busy, before any set-up, and links emails to its own HOST and PORT."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
import redis

from qcommunity.settings.env import private_postgres_dir

pytestmark = [pytest.mark.multiprocess, pytest.mark.xdist_group("stack")]

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "REDIS_", "DATABASE_", "SITE_URL", "HOST"))
        and key not in {"PORT", "ALLOWED_HOSTS"}
    }
    return env | extra


def services(checkout: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(checkout / "scripts" / "services.sh"), *args],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not alive(pid)


def redis_answers(port: int) -> bool:
    try:
        return redis.Redis(port=port, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        return False


def test_services_start_and_stop_from_a_checkout_in_a_0700_folder(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o700)
    checkout = home / "q"
    shutil.copytree(ROOT / "scripts", checkout / "scripts")
    redis_port = free_port()
    env = clean_env(QC_REDIS_PORT=str(redis_port))
    try:
        started = services(checkout, "start", env=env)
        assert started.returncode == 0, started.stdout + started.stderr
        assert "PostgreSQL started" in started.stdout
        assert "Redis started" in started.stdout

        # The settings find the socket where the script put the cluster.
        pg_dir = private_postgres_dir(checkout / ".run")
        with psycopg.connect(
            host=str(pg_dir), user="postgres", dbname="qcommunity", connect_timeout=5
        ) as conn:
            assert conn.execute("SELECT 40 + 2").fetchone() == (42,)
        assert redis_answers(redis_port)
        postmaster = int((pg_dir / "data" / "postmaster.pid").read_text().split()[0])
        redis_pid = int((checkout / ".run" / f"redis-{redis_port}.pid").read_text())

        # Starting again reuses both.
        again = services(checkout, "start", env=env)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "started" not in again.stdout
        assert private_postgres_dir(checkout / ".run") == pg_dir

        stopped = services(checkout, "stop", env=env)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert wait_gone(postmaster), "PostgreSQL still running after stop"
        assert wait_gone(redis_pid), "Redis still running after stop"
        assert not (pg_dir / "data" / "postmaster.pid").exists()
        assert not redis_answers(redis_port)
    finally:
        services(checkout, "stop", env=env)
        cleaned = services(checkout, "clean", env=env)
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    # A cluster kept outside the checkout goes with `make clean`.
    assert not pg_dir.exists() or pg_dir.is_relative_to(checkout)


def test_make_test_stops_the_redis_it_started_and_keeps_pytest_exit_status():
    """This suite's own PostgreSQL is already running, so `make test` must leave it alone; the
    Redis on a fresh port is its own, so it must stop it. No test matches the selection, so
    pytest exits 5 ("no tests collected") and so must the script."""
    redis_port = free_port()
    env = clean_env(QC_REDIS_PORT=str(redis_port))
    try:
        result = subprocess.run(
            [
                str(ROOT / "scripts" / "test.sh"),
                "tests/core/test_health.py",
                "-k",
                "no_such_test_at_all",
                "-n",
                "0",
                "-p",
                "no:cacheprovider",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 5, output
        assert "Redis started" in output
        assert "Redis stopped." in output
        assert not redis_answers(redis_port)
        assert "PostgreSQL stopped." not in output
        with psycopg.connect(
            host=str(private_postgres_dir(ROOT / ".run")),
            user="postgres",
            dbname="postgres",
            connect_timeout=5,
        ) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        if redis_answers(redis_port):
            redis.Redis(port=redis_port).shutdown(nosave=True)


def test_make_run_on_a_busy_port_says_so_in_one_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [str(ROOT / "scripts" / "check-port.sh"), "127.0.0.1", str(port)],
            cwd=tmp_path,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 1
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith(f"Port {port} on 127.0.0.1 is busy")
        assert "make run PORT=" in line
        assert "Traceback" not in result.stderr

        # The same check says nothing when the port is free.
        free = free_port()
        result = subprocess.run(
            [str(ROOT / "scripts" / "check-port.sh"), "127.0.0.1", str(free)],
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")

        # `make run` checks it first, with the given HOST and PORT, before any set-up.
        planned = subprocess.run(
            ["make", "-n", "--no-print-directory", "run", "HOST=127.0.0.1", f"PORT={port}"],
            cwd=ROOT,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert planned.returncode == 0, planned.stderr
    first = planned.stdout.splitlines()[0]
    assert first == f'scripts/check-port.sh "127.0.0.1" "{port}"'


@pytest.mark.parametrize(
    ("host", "port", "site_url"),
    [
        ("127.0.0.1", "8000", "http://127.0.0.1:8000"),
        ("localhost", "8011", "http://localhost:8011"),
        ("0.0.0.0", "8001", "http://127.0.0.1:8001"),
        ("::1", "8002", "http://[::1]:8002"),
    ],
)
def test_make_run_links_emails_to_its_own_host_and_port(host, port, site_url):
    result = subprocess.run(
        [
            "bash",
            "-c",
            'source scripts/env.sh; site_url_default "$1" "$2"; echo "$SITE_URL $ALLOWED_HOSTS"',
            "-",
            host,
            port,
        ],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    url, allowed = result.stdout.split()
    assert url == site_url
    assert site_url.split("//")[1].rsplit(":", 1)[0] in allowed.split(",")


def test_an_explicit_site_url_wins_over_host_and_port():
    result = subprocess.run(
        [
            "bash",
            "-c",
            'source scripts/env.sh && site_url_default 0.0.0.0 8000 && echo "$SITE_URL"',
        ],
        cwd=ROOT,
        env=clean_env(SITE_URL="https://q.example.org"),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert result.stdout.strip() == "https://q.example.org"
