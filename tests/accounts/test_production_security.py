"""Security settings as production loads them (a fresh interpreter with production settings):
where the admin is mounted, and the mail provider's webhooks only with a secret to check."""

import json

from tests.stack.test_production_settings import run_with_production_settings

ROUTES = """
import json
import django
django.setup()
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

def resolves(path):
    try:
        return resolve(path).view_name or resolve(path).func.__name__
    except Resolver404:
        return None

print(json.dumps({
    "admin_index": reverse("admin:index"),
    "admin_login": resolves(reverse("admin:index") + "login/"),
    "old_admin": resolves("/admin/"),
    "webhook": resolves("/anymail/postmark/tracking/"),
    "two_factor": "qcommunity.accounts.middleware.RequireTwoFactorMiddleware"
    in settings.MIDDLEWARE,
}))
"""


def routes(**env) -> dict:
    result = run_with_production_settings(ROUTES, **env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_mounts_the_admin_at_the_path_it_is_given():
    answer = routes(ADMIN_URL="/office-7f3a/")
    assert answer["admin_index"] == "/office-7f3a/"
    # Its sign-in address sends people to the site's own sign-in, with two-factor.
    assert answer["admin_login"] == "admin-login"
    assert answer["old_admin"] is None
    # Staff pages need a session that passed the second factor there too.
    assert answer["two_factor"] is True
    assert routes()["admin_index"] == "/admin/"


def test_production_over_smtp_without_a_webhook_secret_has_no_webhook_routes():
    assert routes()["webhook"] is None


def test_production_with_a_webhook_secret_checks_it_whatever_the_transport():
    answer = routes(ANYMAIL_WEBHOOK_SECRET="provider:long-random-secret")
    assert answer["webhook"] == "anymail:postmark_tracking_webhook"
