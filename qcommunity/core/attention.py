"""What waits for a person on the staff home (`/staff/`): applications short of reviews, panels
past their deadline, decisions not yet released, reported comments, showcase items, failed
emails, imports waiting for confirmation.

Nothing here knows the apps. Each app registers its providers in its own `attention.py` (found
by `autodiscover_modules("attention")` when the site starts):

    register(AttentionProvider(
        key="exchange.reported_comments", lines=reported_comment_lines,
        permission="exchange.moderate_comments", models=("exchange.CommentReport",), order=40,
    ))

A provider is `now -> list[AttentionLine]`, from the app's own selectors, in a fixed number of
queries however many lines it returns. Only people with its `permission` see its lines.

Its lines are cached (`VersionedCache`, one family per provider) and made stale by the writes
that change them: a save or delete of any of its `models` (connected here, when it registers),
and `attention_changed(key)` (or `attention_changed_for(model)` from site-wide parts that do
not know the providers) from services that write in bulk, which send no signal. Lines that
depend on the clock (a deadline passing) say so with `expires`: they are recomputed at least
that often."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .home import HomeItem, HomeProvider
from .home import register as register_home
from .registry import Registry
from .versioned_cache import VersionedCache

# Who may open the staff home (`/staff/`).
STAFF_HOME_PERMISSION = "accounts.view_audit_log"
# Lines of a provider that no write has changed are kept this long.
CACHE_SECONDS = 60 * 60 * 24
# Lines that depend on the clock are recomputed at least this often.
DEADLINE_SECONDS = 60


@dataclass(frozen=True)
class AttentionLine:
    """One kind of waiting thing: how many (`count`), a sentence with the count in it, the
    heading it is listed under, and a link to the page where it is done."""

    count: int
    text: str
    group: str
    href: str
    link_text: str
    order: int = 100


@dataclass(frozen=True)
class AttentionProvider:
    key: str
    lines: Callable[[dt.datetime], list[AttentionLine]]
    # The permission a person needs to see these lines.
    permission: str
    order: int = 100
    # "app_label.ModelName" of the rows the lines count: a save or delete makes them stale.
    models: tuple[str, ...] = ()
    # Seconds after which the lines are recomputed however few writes there were (deadlines).
    expires: int = CACHE_SECONDS
    # Whether the signed-in home page lists them too (False when the app's own home provider
    # already says the same).
    on_home: bool = True
    cache: VersionedCache = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(
            self, "cache", VersionedCache(f"attention:{self.key}", seconds=self.expires)
        )


def _connect(provider: AttentionProvider) -> None:
    """Each of the provider's models, saved or deleted, makes its lines stale."""
    for label in provider.models:
        model = apps.get_model(label)

        def changed(sender, _key=provider.key, **kwargs):
            attention_changed(_key)

        for signal in (post_save, post_delete):
            signal.connect(
                changed, sender=model, weak=False, dispatch_uid=f"attention:{provider.key}:{label}"
            )


def _check(provider: AttentionProvider) -> None:
    for label in provider.models:
        apps.get_model(label)  # LookupError for a model that does not exist


PROVIDERS: Registry[AttentionProvider] = Registry("Attention provider", check=_check)
all_providers = PROVIDERS.all


def register(provider: AttentionProvider) -> AttentionProvider:
    PROVIDERS.register(provider)
    _connect(provider)
    return provider


def unregister(key: str) -> None:
    if key in PROVIDERS:
        provider = PROVIDERS.get(key)
        for label in provider.models:
            for signal in (post_save, post_delete):
                signal.disconnect(
                    sender=apps.get_model(label), dispatch_uid=f"attention:{key}:{label}"
                )
    PROVIDERS.unregister(key)


def attention_changed(key: str) -> None:
    """The provider `key`'s lines are stale now and again once the transaction commits. For
    services that write in bulk (no signal is sent)."""
    if key in PROVIDERS:
        PROVIDERS.get(key).cache.changed()


def attention_changed_for(model) -> None:
    """Every provider counting rows of `model` is stale: for site-wide services that write
    those rows in bulk and do not know which apps count them."""
    label = model._meta.label
    for provider in all_providers():
        if label in provider.models:
            provider.cache.changed()


def provider_lines(provider: AttentionProvider, now: dt.datetime | None = None):
    """The provider's lines, from the cache when no write has changed them since."""
    key = f"attention:{provider.key}:lines"
    version, entry = provider.cache.get(key)
    if entry is not None:
        return entry["lines"]
    lines = [line for line in provider.lines(now or timezone.now()) if line.count]
    provider.cache.set(key, version=version, entry={"lines": lines})
    return lines


def providers_for(user) -> list[AttentionProvider]:
    return [p for p in all_providers() if user.has_perm(p.permission)]


def attention_for(
    user, now: dt.datetime | None = None, *, providers: Iterable[AttentionProvider] | None = None
) -> list[tuple[str, list[AttentionLine]]]:
    """The lines `user` may see, grouped under their headings: [(heading, [lines])] in the
    providers' order, lines by their own order within a heading."""
    grouped: dict[str, list[AttentionLine]] = {}
    for provider in providers_for(user) if providers is None else providers:
        for line in provider_lines(provider, now):
            grouped.setdefault(line.group, []).append(line)
    return [(group, sorted(lines, key=lambda line: line.order)) for group, lines in grouped.items()]


def attention_home_items(user, now: dt.datetime) -> list[HomeItem]:
    """The same lines on the signed-in home page, under "Staff", for those who may open the
    staff home (less those an app's own home provider already shows: reported comments for
    moderators, showcase items for editors). Others see only their apps' own home items, whose
    pages lead nowhere they cannot go."""
    if not user.has_perm(STAFF_HOME_PERMISSION):
        return []
    providers = [p for p in providers_for(user) if p.on_home]
    return [
        HomeItem(line.text, line.href, line.link_text, "Staff", order=50 + line.order)
        for _, lines in attention_for(user, now, providers=providers)
        for line in lines
    ]


register_home(HomeProvider(key="core.attention", items=attention_home_items, order=90))
