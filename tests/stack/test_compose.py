"""docker-compose.yml and the Dockerfile, checked without a Docker engine: the services are all
there and healthy-gated, every setting comes from the environment, no secret is written down,
and every command points at something that exists in this repository."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
APP_SERVICES = ["web", "worker", "beat"]
APP_ENVIRONMENT = [
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "EMAIL_TRANSPORT",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
]
SECRET_NAME = re.compile(r"SECRET|PASSWORD|_KEY($|_)|ACCESS_KEY")
# A value that only refers to the environment: ${NAME}, ${NAME:?message} or ${NAME:-} (empty).
ENV_REFERENCE = re.compile(r"^\$\{[A-Z][A-Z0-9_]*(:\?[^}]*|:-)?\}$")


def command_of(service: dict) -> list[str]:
    command = service["command"]
    return command.split() if isinstance(command, str) else command


def test_compose_has_every_service_of_the_stack():
    assert {"web", "worker", "beat", "db", "redis", "objects"} <= set(SERVICES)


@pytest.mark.parametrize(
    ("name", "probe"),
    [("db", "pg_isready"), ("redis", "redis-cli ping"), ("objects", "mc ready local")],
)
def test_backing_services_have_health_checks(name, probe):
    check = SERVICES[name]["healthcheck"]
    test = check["test"] if isinstance(check["test"], str) else " ".join(check["test"])
    assert probe in test
    assert check["interval"]
    assert check["retries"] >= 3


def test_backing_services_use_the_chosen_images_and_keep_their_data():
    assert SERVICES["db"]["image"] == "postgres:16"
    assert SERVICES["redis"]["image"] == "redis:7"
    assert SERVICES["objects"]["image"].startswith("minio/minio")
    volumes = set(COMPOSE["volumes"])
    for name in ("db", "redis", "objects"):
        [mount] = SERVICES[name]["volumes"]
        assert mount.split(":", 1)[0] in volumes


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_backing_services(name):
    depends_on = SERVICES[name]["depends_on"]
    for backing in ("db", "redis", "objects"):
        assert depends_on[backing] == {"condition": "service_healthy"}
    assert depends_on["migrate"] == {"condition": "service_completed_successfully"}


def test_web_and_worker_have_health_checks():
    assert "/health/" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(SERVICES["worker"]["healthcheck"]["test"])


@pytest.mark.parametrize("name", [*APP_SERVICES, "migrate"])
def test_app_services_get_their_settings_from_the_environment(name):
    service = SERVICES[name]
    environment = service["environment"]
    assert service["build"] == "."
    for variable in APP_ENVIRONMENT:
        assert environment.get(variable), f"{name} lacks {variable}"
    assert environment["DJANGO_SETTINGS_MODULE"] == "qcommunity.settings.production"
    assert environment["REDIS_URL"].startswith("redis://redis:")
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["AWS_S3_ENDPOINT_URL"].endswith("objects:9000}")


def _environment_items():
    for name, service in SERVICES.items():
        environment = service.get("environment") or {}
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        for key, value in environment.items():
            yield name, key, str(value)


def test_no_secret_is_written_in_the_compose_file():
    secrets = [(n, k, v) for n, k, v in _environment_items() if SECRET_NAME.search(k)]
    assert {k for _, k, _ in secrets} >= {
        "SECRET_KEY",
        "POSTGRES_PASSWORD",
        "AWS_SECRET_ACCESS_KEY",
        "MINIO_ROOT_PASSWORD",
    }
    for name, key, value in secrets:
        assert ENV_REFERENCE.match(value), f"{name}.{key} is written down: {value!r}"
    required = {
        k: v for _, k, v in secrets if k in {"SECRET_KEY", "POSTGRES_PASSWORD", "MINIO_ROOT_USER"}
    }
    assert all(":?" in value for value in required.values())
    database_url = SERVICES["web"]["environment"]["DATABASE_URL"]
    assert re.search(r"://qcommunity:\$\{POSTGRES_PASSWORD:\?[^}]*\}@db", database_url)


def test_web_runs_gunicorn_on_the_wsgi_application_with_the_config_file():
    command = command_of(SERVICES["web"])
    assert command[0] == "gunicorn"
    assert "qcommunity.wsgi:application" in command
    config = command[command.index("--config") + 1]
    assert (ROOT / config).is_file()
    module, attribute = ["qcommunity.wsgi", "application"]
    assert callable(getattr(importlib.import_module(module), attribute))


def test_gunicorn_accepts_the_config_file_and_loads_the_application():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qcommunity.settings.test",
        "PORT": "8123",
        "WEB_CONCURRENCY": "3",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--check-config",
            "--print-config",
            "--config",
            "gunicorn.conf.py",
            "qcommunity.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    printed = dict(
        line.split("=", 1) for line in (s.replace(" ", "") for s in result.stdout.splitlines())
    )
    assert printed["bind"] == "['0.0.0.0:8123']"
    assert printed["workers"] == "3"
    assert printed["accesslog"] == "-"
    assert "JsonAccessLogger" in printed["logger_class"]


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_celery_commands_name_the_real_app(name):
    command = command_of(SERVICES[name])
    assert command[:3] == ["celery", "-A", "qcommunity"]
    assert command[3] == name
    celery_app = importlib.import_module("qcommunity").celery_app
    assert celery_app.main == "qcommunity"
    celery_app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert "qcommunity.outbox.tasks.outbox_send_queued" in celery_app.tasks


def test_migrate_runs_before_the_app_starts():
    assert "manage.py migrate" in " ".join(command_of(SERVICES["migrate"]))
    assert SERVICES["migrate"]["restart"] == "no"


def test_dockerfile_builds_assets_in_node_then_a_slim_python_image():
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?", DOCKERFILE, re.MULTILINE)
    assert stages[0][0].startswith("node:")
    assert stages[-1][0] == "python:3.12-slim"
    assert "COPY --from=assets" in DOCKERFILE
    assert "build-assets.sh" in DOCKERFILE


def test_dockerfile_installs_the_hashed_lock_and_runs_as_a_user():
    assert re.search(r"^COPY requirements\.lock ", DOCKERFILE, re.MULTILINE)
    assert "pip install --require-hashes --no-deps -r /tmp/requirements.lock" in DOCKERFILE
    assert "collectstatic --no-input" in DOCKERFILE
    [user] = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)
    assert user not in {"root", "0"}
    assert 'CMD ["gunicorn", "qcommunity.wsgi:application", "--config", "gunicorn.conf.py"]' in (
        DOCKERFILE
    )


def test_dockerfile_copies_only_files_that_exist():
    for sources in re.findall(r"^COPY (?!--from)(?:--\S+ )*(.+) \S+$", DOCKERFILE, re.MULTILINE):
        for source in sources.split():
            assert (ROOT / source).exists(), source


def test_requirements_lock_is_hashed_and_names_no_address_or_local_path():
    lock = (ROOT / "requirements.lock").read_text()
    assert "django-storages==" in lock
    assert "--hash=sha256:" in lock
    assert not re.search(r"https?://|/work|/tmp|/root", lock)
