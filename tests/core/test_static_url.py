import pytest
from django.template import engines


@pytest.fixture
def static_url():
    return engines["jinja2"].env.globals["static"]


def test_static_url_gives_a_folder_the_plain_static_prefix(static_url, settings):
    # Production's manifest storage has no entry for a folder; static() would raise.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    assert static_url("vendor/nhsuk/assets") == "/static/vendor/nhsuk/assets"


def test_static_url_sends_a_file_through_the_storage(static_url, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        static_url("css/site.css")
