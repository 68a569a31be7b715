"""What the cookie and privacy pages say about how long someone stays signed in, worked out
from the settings that decide it, so the pages cannot drift from what the site does:
Django's SESSION_COOKIE_AGE and SESSION_EXPIRE_AT_BROWSER_CLOSE, and allauth's
ACCOUNT_SESSION_REMEMBER (None: the sign-in form offers "Keep me signed in on this device";
True: always kept; False: never)."""

from allauth.account import app_settings as allauth_settings
from django.conf import settings

from qcommunity.core.formatting import duration_words

KEEP_SIGNED_IN = "Keep me signed in on this device"


def session_cookie_expiry() -> str:
    """When the sign-in cookie (sessionid) ends, as the cookie table's "Expires" cell."""
    age = duration_words(settings.SESSION_COOKIE_AGE)
    remember = allauth_settings.SESSION_REMEMBER
    if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE or remember is False:
        return "When you close your browser, or when you sign out"
    if remember is True:
        return f"After {age}, or when you sign out"
    return (
        f'When you close your browser, or after {age} if you chose "{KEEP_SIGNED_IN}" when '
        "you signed in; always when you sign out"
    )


_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _period_seconds(period: str) -> int:
    """allauth's rate-limit period ("5m", "h", "30s") in seconds."""
    unit = period[-1]
    count = period[:-1]
    return int(count or 1) * _PERIOD_SECONDS[unit]


def ip_counter_lifetime() -> str:
    """The longest time an IP address stays in a rate-limit counter: allauth's limits keyed by
    address (ACCOUNT_RATE_LIMITS, "5/5m/ip") and the site's write limit for visitors."""
    windows = [settings.WRITE_RATE_LIMIT_ANONYMOUS[1]]
    for rules in (allauth_settings.RATE_LIMITS or {}).values():
        for rule in str(rules).split(","):
            parts = rule.strip().split("/")
            if len(parts) == 3 and parts[2] == "ip":
                windows.append(_period_seconds(parts[1]))
    return duration_words(max(windows))
