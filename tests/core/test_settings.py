"""Production settings refuse unsafe configuration; demo data refuses production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from qcommunity.core.demo import refuse_in_production

ROOT = Path(__file__).resolve().parents[2]


def _import_production(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", "import qcommunity.settings.production as s; print(s.DEBUG)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_real_secret_key():
    result = _import_production({})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _import_production({"SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = _import_production({"SECRET_KEY": "x" * 64})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_settings_are_https_only():
    script = (
        "import qcommunity.settings.production as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.JINJA2_AUTO_RELOAD)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "y" * 64},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "False"], result.stderr


def test_seed_demo_refuses_production_settings():
    with (
        override_settings(SETTINGS_MODULE="qcommunity.settings.production"),
        pytest.raises(ImproperlyConfigured, match="never be loaded"),
    ):
        refuse_in_production()
