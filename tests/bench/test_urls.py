"""The benchmark's URLconf adds a bare view to the project's URLs; the project's own URLconf
does not serve it."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.urls import Resolver404, resolve

from qcommunity import urls, urls_benchmark


def test_bench_urlconf_adds_the_bare_view_to_every_project_url():
    match = resolve("/bench/bare/", urlconf="qcommunity.urls_benchmark")
    assert match.func is urls_benchmark.bare
    assert all(pattern in urls_benchmark.urlpatterns for pattern in urls.urlpatterns)
    assert len(urls_benchmark.urlpatterns) == len(urls.urlpatterns) + 1
    with pytest.raises(Resolver404):
        resolve("/bench/bare/")


@pytest.mark.django_db
def test_bare_view_answers_a_constant(client, settings):
    settings.ROOT_URLCONF = "qcommunity.urls_benchmark"
    response = client.get("/bench/bare/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_benchmark_settings_are_production_over_plain_http():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "qcommunity.settings.benchmark",
        "SECRET_KEY": secrets.token_urlsafe(64),
    }
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: "
        "getattr(s, k) for k in ('DEBUG', 'ROOT_URLCONF', 'SECURE_SSL_REDIRECT', "
        "'JINJA2_AUTO_RELOAD', 'ALLOWED_HOSTS', 'SESSION_COOKIE_SECURE')} | "
        "{'storage': s.STORAGES['staticfiles']['BACKEND'], 'cache': "
        "s.CACHES['default']['BACKEND']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    values = json.loads(out.stdout)
    assert values["DEBUG"] is False
    assert values["ROOT_URLCONF"] == "qcommunity.urls_benchmark"
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["JINJA2_AUTO_RELOAD"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert "127.0.0.1" in values["ALLOWED_HOSTS"]
    assert values["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if os.environ.get("REDIS_URL"):
        assert values["cache"].endswith("RedisCache")
