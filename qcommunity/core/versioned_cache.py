"""A family of cached pages that one write makes stale all at once: each entry records the
family's version (a random token in the cache) it was made under, and a change replaces the
token, now and again after the current transaction commits (a request that read the version in
between may have cached what it saw before the commit; the second replacement makes that entry
unreachable too). Used by the directory's result pages and the public Q Exchange pages."""

import uuid

from django.core.cache import cache
from django.db import transaction


class VersionedCache:
    def __init__(self, name: str, *, seconds: int):
        self.version_key = f"{name}:version"
        self.seconds = seconds

    def version(self) -> str:
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, uuid.uuid4().hex, timeout=None)
            version = cache.get(self.version_key)
        return version

    def _bump(self) -> None:
        cache.set(self.version_key, uuid.uuid4().hex, timeout=None)

    def changed(self) -> None:
        self._bump()
        transaction.on_commit(self._bump)

    def get(self, key: str | None) -> tuple[str, dict | None]:
        """The current version and, if one was cached under it, the entry at `key` (None
        otherwise). One round trip."""
        if key is None:
            return self.version(), None
        found = cache.get_many([self.version_key, key])
        version = found.get(self.version_key) or self.version()
        entry = found.get(key)
        if entry is not None and entry.get("version") == version:
            return version, entry
        return version, None

    def set(self, key: str, *, version: str, entry: dict) -> None:
        cache.set(key, {**entry, "version": version}, timeout=self.seconds)
