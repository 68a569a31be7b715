"""One small registry for the things apps declare to the site-wide parts: what waits for a person
on the home page (`home.py`), what personal data an app holds (`personal_data.py`), the kinds of
notification (`notifications.py`) and of reminder (`reminders.py`) it sends. Each app declares
them in a module of that name, which the site-wide part finds when the site starts
(`autodiscover_modules`), so the site-wide part never imports the apps.

An entry is any object with a `key`; entries with an `order` are listed by it, then by key."""

from collections.abc import Callable, Iterator


def _by_order_then_key(entry) -> tuple:
    return (getattr(entry, "order", 100), entry.key)


class Registry[Entry]:
    """Entries by key. `what` names an entry in messages ("Home provider"); `check(entry)` may
    refuse an entry (raising ValueError or LookupError) before it is added."""

    def __init__(
        self,
        what: str,
        *,
        order: Callable[[Entry], tuple] = _by_order_then_key,
        check: Callable[[Entry], None] | None = None,
    ):
        self.what = what
        self._order = order
        self._check = check
        self._entries: dict[str, Entry] = {}

    def register(self, entry: Entry) -> Entry:
        key = entry.key  # type: ignore[attr-defined]
        if key in self._entries:
            raise ValueError(f"{self.what} {key!r} is already registered.")
        if self._check is not None:
            self._check(entry)
        self._entries[key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def get(self, key: str) -> Entry:
        try:
            return self._entries[key]
        except KeyError:
            raise LookupError(f"No {self.what.lower()} {key!r} is registered.") from None

    def all(self) -> list[Entry]:
        return sorted(self._entries.values(), key=self._order)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.all())
