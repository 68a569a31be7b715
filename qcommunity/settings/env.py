"""Small helpers that read settings from the environment."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def private_postgres_dir(run_dir: Path) -> Path:
    """The folder of the checkout's private PostgreSQL cluster, which is also its socket
    directory: .run/pg, or the folder outside the checkout that scripts/services.sh recorded in
    .run/pg-location (when the postgres user cannot reach the checkout, or its path is too long
    for a socket)."""
    record = run_dir / "pg-location"
    try:
        recorded = record.read_text().strip()
    except OSError:
        recorded = ""
    return Path(recorded) if recorded else run_dir / "pg"
