"""Random coffee pairing as pure functions: no database, no clock, randomness passed in.

`pair_members` works in two passes:

1. Preference pass: people in random order each take the best still-free partner they may
   meet, scoring a different region and no shared role type highest. This is where the
   randomness and the preferences live.
2. Completion pass: Edmonds' blossom algorithm grows that matching along augmenting paths
   until it has as many pairs as possible. It may swap partners (relaxing the preferences)
   but only ever along allowed pairs, so the six-month rule is never broken.

So whenever the allowed pairs admit a matching that leaves at most one person out (always the
case unless recent pairings rule it out), at most one person is left unpaired. When the
six-month rule itself makes that impossible, for example someone who has met every other
candidate within six months, more people stay unpaired: the result is still a largest possible
set of pairs, and they are first in line next month.
"""

import random
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# A pair preferring different regions counts for more than one preferring different roles.
DIFFERENT_REGION = 2
DIFFERENT_ROLES = 1
BEST_SCORE = DIFFERENT_REGION + DIFFERENT_ROLES


@dataclass(frozen=True)
class Candidate:
    user_id: int
    region: str = ""
    role_types: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class PairingResult:
    pairs: list[tuple[int, int]]  # (lower user id, higher user id)
    unpaired: list[int]


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def preference_score(a: Candidate, b: Candidate) -> int:
    """How much we like pairing a and b: people meet others unlike themselves."""
    score = 0
    if not a.region or not b.region or a.region != b.region:
        score += DIFFERENT_REGION
    if not (frozenset(a.role_types) & frozenset(b.role_types)):
        score += DIFFERENT_ROLES
    return score


def pair_members(
    candidates: Sequence[Candidate],
    recent_pairs: Iterable[tuple[int, int]],
    rng: random.Random,
) -> PairingResult:
    """Pair `candidates` for one month. Never pairs anyone with themselves or twice, never
    repeats a pair in `recent_pairs` (pairs that met within the last six months, either order),
    prefers different regions and role types, and leaves as few people unpaired as the allowed
    pairs make possible: at most one whenever a near-perfect matching exists."""
    unique: dict[int, Candidate] = {}
    for candidate in candidates:
        unique.setdefault(candidate.user_id, candidate)
    people = list(unique.values())
    rng.shuffle(people)
    n = len(people)
    index = {p.user_id: i for i, p in enumerate(people)}
    forbidden: list[set[int]] = [set() for _ in range(n)]
    for a, b in recent_pairs:
        if a in index and b in index:
            forbidden[index[a]].add(index[b])
            forbidden[index[b]].add(index[a])
    for i in range(n):
        forbidden[i].add(i)

    match = _preference_pass(people, forbidden, rng)
    _complete_matching(n, forbidden, match)

    pairs = sorted(
        pair_key(people[i].user_id, people[j].user_id)
        for i, j in enumerate(match)
        if j != -1 and i < j
    )
    unpaired = sorted(people[i].user_id for i in range(n) if match[i] == -1)
    return PairingResult(pairs=pairs, unpaired=unpaired)


def _preference_pass(
    people: list[Candidate], forbidden: list[set[int]], rng: random.Random
) -> list[int]:
    n = len(people)
    match = [-1] * n
    free = list(range(n))
    rng.shuffle(free)
    for v in range(n):
        if match[v] != -1:
            continue
        best, best_score = -1, -1
        for u in free:
            if match[u] != -1 or u in forbidden[v]:
                continue
            score = preference_score(people[v], people[u])
            if score > best_score:
                best, best_score = u, score
                if score == BEST_SCORE:
                    break
        if best != -1:
            match[v], match[best] = best, v
    return match


def _complete_matching(n: int, forbidden: list[set[int]], match: list[int]) -> None:
    """Edmonds' blossom algorithm, starting from `match` and changing it in place into a
    maximum-cardinality matching of the graph whose edges are all pairs not in `forbidden`."""
    for root in range(n):
        if match[root] != -1:
            continue
        parent = _BlossomSearch(n, forbidden, match).augmenting_path_end(root)
        if parent is None:
            continue
        end, prev = parent
        # Flip the path: every other edge joins the matching.
        while end != -1:
            p = prev[end]
            next_end = match[p]
            match[end], match[p] = p, end
            end = next_end


class _BlossomSearch:
    """One breadth-first search for an augmenting path from a free vertex, contracting odd
    cycles (blossoms) as it finds them."""

    def __init__(self, n: int, forbidden: list[set[int]], match: list[int]):
        self.n = n
        self.forbidden = forbidden
        self.match = match
        self.parent = [-1] * n
        self.base = list(range(n))
        self.used = [False] * n
        self.blossom = [False] * n

    def augmenting_path_end(self, root: int) -> tuple[int, list[int]] | None:
        match, parent, base, used = self.match, self.parent, self.base, self.used
        used[root] = True
        queue = deque([root])
        while queue:
            v = queue.popleft()
            for to in range(self.n):
                if to in self.forbidden[v] or base[v] == base[to] or match[v] == to:
                    continue
                if to == root or (match[to] != -1 and parent[match[to]] != -1):
                    current = self._lowest_common_base(v, to)
                    self.blossom = [False] * self.n
                    self._mark_path(v, current, to)
                    self._mark_path(to, current, v)
                    for i in range(self.n):
                        if self.blossom[base[i]]:
                            base[i] = current
                            if not used[i]:
                                used[i] = True
                                queue.append(i)
                elif parent[to] == -1:
                    parent[to] = v
                    if match[to] == -1:
                        return to, parent
                    used[match[to]] = True
                    queue.append(match[to])
        return None

    def _lowest_common_base(self, a: int, b: int) -> int:
        match, parent, base = self.match, self.parent, self.base
        seen = [False] * self.n
        while True:
            a = base[a]
            seen[a] = True
            if match[a] == -1:
                break
            a = parent[match[a]]
        while True:
            b = base[b]
            if seen[b]:
                return b
            b = parent[match[b]]

    def _mark_path(self, v: int, stop: int, child: int) -> None:
        match, parent, base = self.match, self.parent, self.base
        while base[v] != stop:
            self.blossom[base[v]] = self.blossom[base[match[v]]] = True
            parent[v] = child
            child = match[v]
            v = parent[match[v]]
