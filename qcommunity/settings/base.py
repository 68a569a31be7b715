"""Settings shared by every environment. Everything that differs between places comes from the
environment; see README.md for the variables."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP

from .env import env_bool, env_int, env_list, env_str, private_postgres_dir

BASE_DIR = Path(__file__).resolve().parent.parent.parent
RUN_DIR = BASE_DIR / ".run"

SECRET_KEY = env_str("SECRET_KEY", "development-only-secret-key-not-for-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "anymail",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "qcommunity.core",
    "qcommunity.accounts",
    "qcommunity.audit",
    "qcommunity.outbox",
    "qcommunity.newsletters",
    "qcommunity.notifications",
    "qcommunity.reminders",
    "qcommunity.scoring",
    "qcommunity.privacy",
    "qcommunity.people",
    "qcommunity.imports",
    "members",
    "exchange",
    "labs",
    "accreditation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "qcommunity.accounts.middleware.RequireTwoFactorMiddleware",
    "qcommunity.core.ratelimit.WriteRateLimitMiddleware",
]

# Every form on the site: at most this many writes (POST) per window, per signed-in person and
# per address for visitors (qcommunity.core.ratelimit). Machine endpoints are exempt.
WRITE_RATE_LIMIT_USER = (env_int("WRITE_RATE_LIMIT_USER", 120), 600)
WRITE_RATE_LIMIT_ANONYMOUS = (env_int("WRITE_RATE_LIMIT_ANONYMOUS", 60), 600)
# Signing in (password and code steps) has allauth's own limits (ACCOUNT_RATE_LIMITS).
WRITE_RATE_LIMIT_EXEMPT = ["/anymail/", "/accounts/login/", "/accounts/2fa/authenticate/"]

# Q Exchange: how long after posting a comment its author may still change it.
EXCHANGE_COMMENT_EDIT_MINUTES = env_int("EXCHANGE_COMMENT_EDIT_MINUTES", 15)
# Visitors share cached renderings of the round and proposal pages (exchange.rounds.page_cache).
EXCHANGE_PAGE_CACHE = True

ROOT_URLCONF = "qcommunity.urls"
WSGI_APPLICATION = "qcommunity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "qcommunity.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.messages.context_processors.messages",
                "qcommunity.core.context_processors.site",
            ],
        },
    },
    {
        # The Django admin and allauth's plain-text message templates keep Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
JINJA2_AUTO_RELOAD = True
JINJA2_BYTECODE_DIR = RUN_DIR / "jinja-cache"


def _database_from_env() -> dict:
    url = env_str("DATABASE_URL", "")
    if url:
        return dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    # No DATABASE_URL: the private cluster that scripts/services.sh starts for this checkout.
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": env_str("PGDATABASE", "qcommunity"),
        "USER": "postgres",
        "HOST": str(private_postgres_dir(RUN_DIR)),
        "CONN_MAX_AGE": 60,
    }


DATABASES = {"default": _database_from_env()}
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # Without Redis the database is the shared cache, so rate limits still hold across processes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "qcommunity_cache",
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Where the Django admin is mounted ("admin/" unless the environment names another path).
ADMIN_URL = env_str("ADMIN_URL", "admin/").strip("/") + "/"
LOGIN_REDIRECT_URL = "core:home"

# django-allauth: email is the login, verified before first sign-in.
ACCOUNT_TEMPLATE_EXTENSION = "jinja"
ACCOUNT_ADAPTER = "qcommunity.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Q Community: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Our subclasses of allauth's forms: our sign-up fields and NHS-style error messages.
ACCOUNT_FORMS = {
    "login": "qcommunity.accounts.forms.LoginForm",
    "signup": "qcommunity.accounts.forms.SignupForm",
    "add_email": "qcommunity.accounts.forms.AddEmailForm",
    "change_password": "qcommunity.accounts.forms.ChangePasswordForm",
    "set_password": "qcommunity.accounts.forms.SetPasswordForm",
    "reset_password": "qcommunity.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "qcommunity.accounts.forms.ResetPasswordKeyForm",
    "reauthenticate": "qcommunity.accounts.forms.ReauthenticateForm",
}
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins: 30 per address for every account (a shared network's people mistyping),
    # 5 per account from one address ("key": account and address, see the adapter), and 10 per
    # account from anywhere.
    "login_failed": "30/5m/ip,5/5m/key",
    "login_failed_account": "10/15m/key",
    "login": "60/m/ip",
    "signup": "10/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "5/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "change_email": "3/h/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Q Community"
MFA_RECOVERY_CODE_COUNT = 10
MFA_FORMS = {
    "authenticate": "qcommunity.accounts.forms.AuthenticateForm",
    "reauthenticate": "qcommunity.accounts.forms.MfaReauthenticateForm",
    "activate_totp": "qcommunity.accounts.forms.ActivateTOTPForm",
    "deactivate_totp": "qcommunity.accounts.forms.DeactivateTOTPForm",
    "generate_recovery_codes": "qcommunity.accounts.forms.GenerateRecoveryCodesForm",
}
USERSESSIONS_TRACK_ACTIVITY = True

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "qcommunity.core.views.csrf_failure"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(RUN_DIR / "collected-static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / ".run" / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Email: every message is an outbox row first (the "default" mailer writes rows); the "delivery"
# mailer is what the outbox task really sends through. EMAIL_TRANSPORT picks its backend.
EMAIL_TRANSPORT = env_str("EMAIL_TRANSPORT", "django.core.mail.backends.console.EmailBackend")
_SMTP_OPTIONS = {
    "host": env_str("EMAIL_HOST", "127.0.0.1"),
    "port": env_int("EMAIL_PORT", 1025),
    "username": env_str("EMAIL_HOST_USER", ""),
    "password": env_str("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "timeout": env_int("EMAIL_TIMEOUT", 10),
}


def delivery_mailer(transport: str) -> dict:
    options = _SMTP_OPTIONS if transport.endswith("smtp.EmailBackend") else {}
    return {"BACKEND": transport, "OPTIONS": options}


MAILERS = {
    "default": {"BACKEND": "qcommunity.outbox.backends.OutboxBackend"},
    "delivery": delivery_mailer(EMAIL_TRANSPORT),
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Q Community <no-reply@q-community.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 100)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
# django-anymail: the provider's settings come from ANYMAIL_<NAME> variables (for example
# ANYMAIL_POSTMARK_SERVER_TOKEN becomes ANYMAIL["POSTMARK_SERVER_TOKEN"]). Its tracking webhooks
# (/anymail/<esp>/tracking/) update subscribers on bounces, complaints and unsubscribes; the
# provider must call them with HTTP basic auth "user:password" = ANYMAIL_WEBHOOK_SECRET.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and value
}
# A row still "sending" this long after its claim belonged to a worker that died: requeued.
OUTBOX_STALE_CLAIM_SECONDS = env_int("OUTBOX_STALE_CLAIM_SECONDS", 600)
# Batches one outbox task sends before it hands on to a fresh task (bounded task length).
OUTBOX_TASK_BATCHES = env_int("OUTBOX_TASK_BATCHES", 50)
# Outbox tasks queued when an issue's deliveries are written: about one per worker process.
OUTBOX_PARALLEL_TASKS = env_int("OUTBOX_PARALLEL_TASKS", 2)
# A newsletter fan-out task writes at most this many chunks of 1,000 recipients, then hands on
# to a new task: each task stays well inside its time limit however long the list.
NEWSLETTER_FAN_OUT_TASK_CHUNKS = env_int("NEWSLETTER_FAN_OUT_TASK_CHUNKS", 50)
# How often beat looks in the database for mail to send and issues due (seconds).
OUTBOX_POLL_SECONDS = env_int("OUTBOX_POLL_SECONDS", 60)

# Celery: Redis as broker when REDIS_URL is set; otherwise tasks run in the web process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE = {
    # Sending resumes from the database even if the broker lost its queued tasks.
    "outbox-send-queued": {
        "task": "qcommunity.outbox.tasks.outbox_send_queued",
        "schedule": float(OUTBOX_POLL_SECONDS),
    },
    "newsletters-issues-send-due": {
        "task": "qcommunity.newsletters.tasks.issues_send_due",
        "schedule": float(OUTBOX_POLL_SECONDS),
    },
    "coffee-pair-monthly": {
        "task": "members.tasks.coffee_pair_monthly",
        "schedule": crontab(minute=0, hour=9, day_of_month=1),
    },
    # CELERY_TIMEZONE is Europe/London, so this is 7am UK time all year round.
    "notifications-digest-daily": {
        "task": "qcommunity.notifications.tasks.digest_send_daily",
        "schedule": crontab(minute=0, hour=7),
    },
    "reminders-send-due": {
        "task": "qcommunity.reminders.tasks.reminders_send_due",
        "schedule": crontab(minute="*/15"),
    },
    # Decisions go out within a minute of the round's release date; a run finds every round
    # that is due (one indexed query, usually finding nothing).
    "joining-release-due": {
        "task": "members.tasks.joining_release_due",
        "schedule": crontab(minute="*"),
    },
    # Progress updates held back until a round announces its funding are told within a
    # minute of the announcement (a partial index keeps the usual empty run cheap).
    "exchange-progress-updates-tell-due": {
        "task": "exchange.tasks.progress_updates_tell_due",
        "schedule": crontab(minute="*"),
    },
}

# Content Security Policy: nothing inline without the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
