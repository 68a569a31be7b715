"""A shared cache of the main content of the public Q Exchange pages (a round's page and a
proposal's page) as visitors see them, versioned so that any change to Exchange makes every
cached page unreachable at once. The same design as the directory's (`members.directory.cache`).

What is cached: for visitors only (not signed in), the rendered main content of a page, keyed by
the page, its query (filters, search, page number) and the round's phase now (taking ideas,
comments open, voting open, voting closed), so a page never outlives a date passing. Signed-in
people always get a fresh page: what they see depends on who they are (their ballot, their
team, moderation links, the comment form).

How it stays right: each entry records the Exchange version it was made under, a random token in
Redis replaced (now and after commit) whenever any Exchange row is saved or deleted, a proposal's
topics change, or an account's name, role or directory entry changes (`exchange.signals`), and
whenever services write in bulk (`exchange_changed` is called there). A view reads the version
before it queries, so a page stored under a version was computed after every change before it
committed. Entries also expire after CACHE_SECONDS, a safety net for writes made outside Django."""

import hashlib

from django.utils import timezone

from qcommunity.core.versioned_cache import VersionedCache

CACHE_SECONDS = 300
PAGES = VersionedCache("exchange", seconds=CACHE_SECONDS)


def exchange_version() -> str:
    return PAGES.version()


def exchange_changed() -> None:
    """Make every cached Exchange page stale now and again once the current transaction
    commits."""
    PAGES.changed()


def round_phase(round_, now=None) -> tuple[bool, ...]:
    now = now or timezone.now()
    return (
        round_.is_published(),
        round_.accepts_ideas(now),
        round_.comments_open(now),
        round_.voting_open(now),
        round_.voting_closed(now),
        now >= round_.decisions_at,
    )


def page_key(page: str, *, round_, query_items=(), now=None) -> str:
    """The key of a page in the round's phase at `now`: pass the moment the page is rendered
    for, so a page rendered before a date (outcomes announced) is never served after it, nor
    the other way round."""
    parts = (page, round_.pk, round_phase(round_, now), sorted(query_items))
    return f"exchange:page:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def page_get(key: str) -> tuple[str, dict | None]:
    """The current Exchange version and, if one was cached under it, the entry at `key`."""
    return PAGES.get(key)


def page_set(key: str, *, version: str, entry: dict) -> None:
    PAGES.set(key, version=version, entry=entry)
