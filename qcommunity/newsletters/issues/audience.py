"""Which members an issue's segment reaches. The newsletter knows its subscriptions; whether a
member works in a region, holds a role type or follows a topic is the directory's to say. So the
directory (the members app) provides one `Audience` when the site starts, and the newsletter
asks it, without importing the app:

    audience_provide(Audience(members_matching=...))

`members_matching(user_ref, regions, role_types, topic_ids)` returns an `Exists` expression
that is true when the account `user_ref` (an `OuterRef` to a user id) has a directory entry
in any of `regions`, with any of `role_types` and any of `topic_ids` (an empty list does not
restrict)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef


@dataclass(frozen=True)
class Audience:
    members_matching: Callable[[OuterRef, Sequence[str], Sequence[str], Sequence[int]], Exists]


_provided: list[Audience] = []


def audience_provide(audience: Audience) -> None:
    _provided[:] = [audience]


def audience() -> Audience:
    if not _provided:
        raise ImproperlyConfigured("No app provides the newsletter's audience (members does).")
    return _provided[0]
