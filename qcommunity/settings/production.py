"""Production: HTTPS only, strict security headers, JSON logs, static files through whitenoise.
Refuses to start without a real secret key."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, STORAGES
from .env import env_bool, env_int, env_str

DEBUG = False
if not SECRET_KEY or SECRET_KEY.startswith("development-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random value of at least 50 characters.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
JINJA2_AUTO_RELOAD = False
LOG_FORMAT = "json"
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
if env_str("AWS_STORAGE_BUCKET_NAME", ""):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
MAILERS["delivery"] = delivery_mailer(  # noqa: F405
    env_str("EMAIL_TRANSPORT", "django.core.mail.backends.smtp.EmailBackend")
)
