"""What each app knows about an account, for the staff account page and the people search.
Nothing here knows the apps: each app registers in its own `people.py` (found by
`autodiscover_modules("people")` when the site starts):

    register(AccountFacts(key="exchange", order=50, section=exchange_section))

`section(user)` returns the app's part of the page (a heading and rows of facts with links), in
a fixed number of queries, or None when it has nothing to say; `search(text)` returns an extra
condition on accounts (a `Q` over `User`) that staff's search text may match, such as the
organisation on a directory entry."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from qcommunity.core.registry import Registry


@dataclass(frozen=True)
class Fact:
    key: str
    value: str
    href: str = ""


@dataclass(frozen=True)
class AccountSection:
    heading: str
    facts: list[Fact] = field(default_factory=list)
    # Said when there are no facts ("Not on any panel").
    empty: str = ""


@dataclass(frozen=True)
class AccountFacts:
    key: str
    order: int = 100
    section: Callable[[object], AccountSection | None] | None = None
    search: Callable[[str], Q] | None = None


FACTS: Registry[AccountFacts] = Registry("Account facts")
register = FACTS.register
unregister = FACTS.unregister
all_facts = FACTS.all


def account_sections(user) -> list[AccountSection]:
    return [
        section
        for facts in all_facts()
        if facts.section is not None and (section := facts.section(user)) is not None
    ]


def search_conditions(text: str) -> Q:
    condition = Q()
    for facts in all_facts():
        if facts.search is not None:
            condition |= facts.search(text)
    return condition
