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
    # Uploads go to a private bucket (AWS S3 or an S3-compatible store such as MinIO). Objects
    # get no ACL of their own, so the bucket's private policy applies; files are reached only
    # through permission-checked views that hand out short-lived signed URLs. Without keys in
    # the environment, boto3 falls back to its own chain (instance or task role).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY", "") or None,
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "") or None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300),
            "file_overwrite": False,
            "location": env_str("AWS_LOCATION", "uploads"),
        },
    }
# The outbox delivers through EMAIL_TRANSPORT: SMTP by default (EMAIL_HOST, EMAIL_PORT...), or an
# email service through django-anymail, e.g. EMAIL_TRANSPORT=anymail.backends.postmark.EmailBackend
# with ANYMAIL_POSTMARK_SERVER_TOKEN=...: every ANYMAIL_<NAME> variable becomes ANYMAIL["<NAME>"]
# (ANYMAIL_WEBHOOK_SECRET protects the bounce and complaint webhooks).
MAILERS["delivery"] = delivery_mailer(  # noqa: F405
    env_str("EMAIL_TRANSPORT", "django.core.mail.backends.smtp.EmailBackend")
)
if MAILERS["delivery"]["BACKEND"].startswith("anymail.") and not ANYMAIL.get(  # noqa: F405
    "WEBHOOK_SECRET"
):
    # Unauthenticated tracking webhooks would let anyone fake bounces and complaints.
    raise ImproperlyConfigured(
        "Set ANYMAIL_WEBHOOK_SECRET (user:password) to secure the mail provider's webhooks."
    )
