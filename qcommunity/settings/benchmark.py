"""`make bench`: production settings served over plain HTTP on loopback, with the benchmark's
URLconf (the project's URLs plus a bare view). Only the switches plain HTTP needs differ from
production; production.py itself is unchanged."""

from .production import *  # noqa: F403

ROOT_URLCONF = "qcommunity.urls_benchmark"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Plain HTTP on loopback: no redirect to HTTPS, no HSTS, and cookies that work without TLS
# (the __Host- prefix requires the Secure flag).
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
