"""What waits for a signed-in person, for the home page: a ballot open, reviews due, a draft
application, new comments on their proposals, a round's next date, things waiting for staff.

Nothing here knows the apps. Each app registers its providers in its own `home.py` (found by
`autodiscover_modules("home")` when the site starts):

    register(HomeProvider(key="exchange", items=exchange_home_items, order=30))

A provider is `(user, now) -> list[HomeItem | HomeBlock]`: the items for this person only (never
another region's panel or another team's proposal), from the app's own selectors, in a fixed
number of queries however many items it returns. A `HomeItem` is one sentence and one link; a
`HomeBlock` is a template of the app's own (a checklist, a form) shown above the items."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from .registry import Registry


@dataclass(frozen=True)
class HomeItem:
    text: str
    href: str
    link_text: str
    # The heading it is listed under ("Q Exchange", "Joining Q", "Panels", "Staff").
    group: str
    order: int = 100


@dataclass(frozen=True)
class HomeBlock:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class HomeProvider:
    key: str
    items: Callable[[object, dt.datetime], list["HomeItem | HomeBlock"]]
    order: int = 100


PROVIDERS: Registry[HomeProvider] = Registry("Home provider")
register = PROVIDERS.register
unregister = PROVIDERS.unregister
all_providers = PROVIDERS.all


@dataclass
class HomeContent:
    blocks: list[HomeBlock] = field(default_factory=list)
    # [(group heading, [items])], in the providers' order.
    groups: list[tuple[str, list[HomeItem]]] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(items) for _, items in self.groups)


def home_for(user, now: dt.datetime | None = None) -> HomeContent:
    """Everything the providers have for `user` (signed in), blocks apart from items, items
    grouped under their headings in the order the providers gave them."""
    now = now or timezone.now()
    content = HomeContent()
    grouped: dict[str, list[HomeItem]] = {}
    for provider in all_providers():
        for entry in provider.items(user, now):
            if isinstance(entry, HomeBlock):
                content.blocks.append(entry)
            else:
                grouped.setdefault(entry.group, []).append(entry)
    content.blocks.sort(key=lambda b: b.order)
    content.groups = [
        (group, sorted(items, key=lambda i: i.order)) for group, items in grouped.items()
    ]
    return content
