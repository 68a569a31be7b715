"""The production settings module, loaded in a fresh interpreter with a production-like
environment (it refuses to load without a real secret key, and configures logging globally)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_with_production_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "DJANGO_", "PYTEST_"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "qcommunity.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "q-community.example",
        "SITE_URL": "https://q-community.example",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_production_logging_writes_one_json_object_per_record():
    code = """
import logging
import django
django.setup()
logging.getLogger("qcommunity.outbox").warning("Sent %s emails", 3, extra={"batch": 7})
"""
    result = run_with_production_settings(code)

    [line] = [line for line in result.stderr.splitlines() if "qcommunity.outbox" in line]
    record = json.loads(line)
    assert record["message"] == "Sent 3 emails"
    assert record["level"] == "WARNING"
    assert record["logger"] == "qcommunity.outbox"
    assert record["batch"] == 7
    assert record["time"]


def test_production_uploads_go_to_a_private_s3_bucket_when_one_is_named():
    code = """
import json
from django.conf import settings
from django.core.files.storage import storages
storage = storages["default"]
print(json.dumps({
    "backend": settings.STORAGES["default"]["BACKEND"],
    "class": type(storage).__name__,
    "bucket": storage.bucket_name,
    "endpoint": storage.endpoint_url,
    "acl": storage.default_acl,
    "signed": storage.querystring_auth,
    "expire": storage.querystring_expire,
    "overwrite": storage.file_overwrite,
    "access_key": storage.access_key,
    "url": storage.url("reports/2026.pdf"),
}))
"""
    result = run_with_production_settings(
        code,
        AWS_STORAGE_BUCKET_NAME="qcommunity-uploads",
        AWS_S3_ENDPOINT_URL="http://objects.internal:9000",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_ACCESS_KEY_ID="test-access-key",
        AWS_SECRET_ACCESS_KEY="test-secret-key",
    )
    storage = json.loads(result.stdout)

    assert storage["backend"] == "storages.backends.s3.S3Storage"
    assert storage["class"] == "S3Storage"
    assert storage["bucket"] == "qcommunity-uploads"
    assert storage["endpoint"] == "http://objects.internal:9000"
    assert storage["acl"] is None
    assert storage["signed"] is True
    assert storage["expire"] == 300
    assert storage["overwrite"] is False
    assert storage["access_key"] == "test-access-key"
    # A signed, expiring URL at the store's own address, never a public object URL.
    assert storage["url"].startswith(
        "http://objects.internal:9000/qcommunity-uploads/uploads/reports/2026.pdf?"
    )
    assert "X-Amz-Signature=" in storage["url"]
    assert "X-Amz-Expires=300" in storage["url"]


def test_production_keeps_files_on_disk_without_a_bucket():
    code = """
from django.conf import settings
print(settings.STORAGES["default"]["BACKEND"])
"""
    result = run_with_production_settings(code)
    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage"


def test_production_delivers_through_an_anymail_service_when_configured():
    code = """
import json
import django
django.setup()
from django.conf import settings
from django.core.mail import mailers
backend = mailers["delivery"]
print(json.dumps({"class": f"{type(backend).__module__}.{type(backend).__name__}",
                  "anymail": settings.ANYMAIL}))
"""
    result = run_with_production_settings(
        code,
        EMAIL_TRANSPORT="anymail.backends.postmark.EmailBackend",
        ANYMAIL_POSTMARK_SERVER_TOKEN="server-token-for-the-test",
        ANYMAIL_WEBHOOK_SECRET="user:password",
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "class": "anymail.backends.postmark.EmailBackend",
        "anymail": {
            "POSTMARK_SERVER_TOKEN": "server-token-for-the-test",
            "WEBHOOK_SECRET": "user:password",
        },
    }


def test_production_delivers_over_smtp_by_default():
    code = """
import django
django.setup()
from django.core.mail import mailers
backend = mailers["delivery"]
print(type(backend).__module__, backend.host, backend.port)
"""
    result = run_with_production_settings(code, EMAIL_HOST="smtp.example", EMAIL_PORT="2525")
    assert result.stdout.split() == ["django.core.mail.backends.smtp", "smtp.example", "2525"]
