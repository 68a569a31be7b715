"""Local development: `make run`."""

from .base import *  # noqa: F403

DEBUG = True
JINJA2_AUTO_RELOAD = True

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
