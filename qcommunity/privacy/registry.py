"""What personal data each app holds about a person, what a download of it contains, and what
happens to it when the person deletes their account (UK GDPR: the right of access and the right
to erasure).

Each app registers its sources in its own `personal_data.py`:

    register(PersonalData(
        key="members.profile",
        label="Your directory entry",
        on_delete="Deleted, with its photo.",
        export=profile_export,   # (user) -> a list of JSON-ready dicts (no query per row)
        erase=profile_erase,     # (user) -> None; runs inside the deletion's transaction
        order=20,
    ))

`export` returns records as plain dicts of strings, numbers, booleans, lists and dicts (dates and
times may be datetime objects: the download encodes them). It must not include other people's
personal data beyond what the person already sees on the site (a co-author's name on their own
proposal, yes; a reviewer's private notes about them, no: say so in the label instead).

`erase` removes or anonymises what the person put in, keeping what the service must keep (a
decision on an application, a ballot already counted, an audit entry) attached to the account's
tombstone, which shows as "Former member". It runs after every source registered before it, in
`order`, then the account itself is made a tombstone (qcommunity.privacy.services)."""

from collections.abc import Callable
from dataclasses import dataclass

from qcommunity.core.registry import Registry


@dataclass(frozen=True)
class PersonalData:
    key: str
    label: str
    on_delete: str
    export: Callable[[object], list[dict]]
    erase: Callable[[object], None] | None = None
    order: int = 100


SOURCES: Registry[PersonalData] = Registry("Personal data source")
register = SOURCES.register
unregister = SOURCES.unregister
all_sources = SOURCES.all
