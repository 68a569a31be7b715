"""A ceiling on writes for every form on the site: each signed-in person, and each address for
visitors, may send a limited number of POST requests in a window. Services keep their own,
tighter limits where a write reaches other people (contact messages: 5 an hour); this one
stops a script from hammering any form, including ones added later.

Counters live in the shared cache (Redis), one window per person or address, opened by
their first write. Paths in WRITE_RATE_LIMIT_EXEMPT are not counted: machine-to-machine
endpoints such as an email provider's webhooks, and the sign-in steps, which allauth limits per
account, per account and address, and per address (a shared network's sign-ins must not use up
its visitors' writes). When Redis cannot be reached the request goes through: a limit must not
take the site down with it."""

import logging

from django.conf import settings
from django.core.cache import cache

from .views import too_many_requests

logger = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class WriteRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counted = request.method in WRITE_METHODS and not request.path.startswith(
            tuple(settings.WRITE_RATE_LIMIT_EXEMPT)
        )
        if counted and self.over_limit(request):
            logger.warning("write rate limit reached on %s", request.path)
            return too_many_requests(request)
        return self.get_response(request)

    def over_limit(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            who = f"user:{user.pk}"
            limit, seconds = settings.WRITE_RATE_LIMIT_USER
        else:
            who, (limit, seconds) = (
                f"ip:{_client_address(request)}",
                settings.WRITE_RATE_LIMIT_ANONYMOUS,
            )
        # The window opens with the first write and closes `seconds` later (the key expires).
        key = f"ratelimit:write:{who}"
        try:
            cache.add(key, 0, timeout=seconds)
            return cache.incr(key) > limit
        except Exception:
            logger.exception("write rate limit: cache unavailable")
            return False
