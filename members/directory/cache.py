"""A shared cache of directory pages, versioned so that any change to what the directory shows
makes every cached page unreachable at once.

What is cached, per search and audience: the rendered main content (search box, filter panel,
cards and pagination), the results region alone (for htmx) and the count line. Audiences are
visitors, and members whose own entry is not hidden (everything such a member sees is exactly
what every member sees). Staff, and members whose hidden entry appears in their own results,
are never served from or written to the cache.

An entry's own page is cached the same way, per entry and audience (visitors; members who are
not staff), except for its owner, who is always given a fresh page with their own notes on it.

How it stays right: each entry records the directory version it was made under, a random
token in Redis replaced (now and after commit) whenever an entry, its topics, a taxonomy term
or an account's name or active flag changes (`members.signals`), and whenever the search
columns are rewritten in bulk; an entry made under another version is ignored. A view reads
the version before it queries, so a page stored under a version was computed after every
change before it committed. Entries also expire after CACHE_SECONDS, a safety net for writes
made outside Django (a manual SQL fix)."""

import hashlib

from qcommunity.accounts.enums import Role
from qcommunity.core.versioned_cache import VersionedCache

from .enums import Visibility
from .models import Profile

CACHE_SECONDS = 300
PAGES = VersionedCache("directory", seconds=CACHE_SECONDS)


def directory_version() -> str:
    return PAGES.version()


def directory_changed() -> None:
    """Make every cached directory page stale now and again once the current transaction
    commits."""
    PAGES.changed()


def audience_for(user) -> str | None:
    """The shared audience whose cached pages `user` may be shown, or None for no caching."""
    if not user.is_authenticated:
        return "visitor"
    if user.has_role(Role.STAFF_ADMIN) or not user.has_role(Role.MEMBER):
        # Staff see every entry; signed-in non-members see what visitors see plus their own
        # entry, if they have one: neither is a shared audience worth a cache.
        return None
    own = Profile.objects.filter(user_id=user.pk).values_list("visibility", flat=True).first()
    return "member" if own in (None, Visibility.PUBLIC, Visibility.MEMBERS) else None


def profile_audience_for(user) -> str | None:
    """The shared audience whose cached entry pages `user` may be shown, or None. No query: a
    member sees every public and members-only entry, and their own entry is never served from
    the cache (members.directory.views checks the owner)."""
    if not user.is_authenticated:
        return "visitor"
    if user.has_role(Role.MEMBER) and not user.has_role(Role.STAFF_ADMIN):
        return "member"
    return None


def profile_key(*, audience: str, slug: str) -> str:
    digest = hashlib.sha256(repr((audience, slug)).encode()).hexdigest()
    return f"directory:entry:{digest}"


def page_key(*, audience: str, query_items: list[tuple[str, list[str]]]) -> str:
    digest = hashlib.sha256(repr((audience, sorted(query_items))).encode()).hexdigest()
    return f"directory:page:{digest}"


def page_get(key: str | None) -> tuple[str, dict | None]:
    """The current directory version and, if one was cached under it, the page at `key`."""
    return PAGES.get(key)


def page_set(key: str, *, version: str, entry: dict) -> None:
    PAGES.set(key, version=version, entry=entry)
