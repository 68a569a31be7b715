"""Property tests of the pairing algorithm (pure functions, no database)."""

import random
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from members.coffee.pairing import Candidate, pair_key, pair_members, preference_score
from qcommunity.core.taxonomy import Region, RoleType

REGIONS = [r.value for r in Region][:4]
ROLES = [r.value for r in RoleType][:3]

candidate_lists = st.lists(
    st.builds(
        Candidate,
        user_id=st.integers(min_value=1, max_value=40),
        region=st.sampled_from(["", *REGIONS]),
        role_types=st.frozensets(st.sampled_from(ROLES), max_size=2),
    ),
    max_size=14,
    unique_by=lambda c: c.user_id,
)


@st.composite
def scenarios(draw):
    people = draw(candidate_lists)
    ids = [p.user_id for p in people]
    possible = [pair_key(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    recent = draw(st.lists(st.sampled_from(possible), unique=True) if possible else st.just([]))
    seed = draw(st.integers(min_value=0, max_value=2**32))
    return people, set(recent), seed


def maximum_pairs(ids: tuple[int, ...], recent: frozenset) -> int:
    """The most pairs any matching can make, by brute force (fine for a few people)."""

    @cache
    def best(left: frozenset) -> int:
        if len(left) < 2:
            return 0
        first = min(left)
        rest = left - {first}
        options = [best(rest)]
        for other in rest:
            if pair_key(first, other) not in recent:
                options.append(1 + best(rest - {other}))
        return max(options)

    return best(frozenset(ids))


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_no_self_pairs_and_nobody_twice(scenario):
    people, recent, seed = scenario
    result = pair_members(people, recent, random.Random(seed))
    seen = [uid for pair in result.pairs for uid in pair]
    assert all(a < b for a, b in result.pairs)
    assert len(seen) == len(set(seen))
    assert set(seen) | set(result.unpaired) == {p.user_id for p in people}
    assert not set(seen) & set(result.unpaired)


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_no_pair_repeats_within_six_months(scenario):
    people, recent, seed = scenario
    result = pair_members(people, recent, random.Random(seed))
    assert not set(result.pairs) & recent


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_as_many_pairs_as_possible(scenario):
    """The result is a largest matching, so at most one person is unpaired whenever the
    six-month rule allows a matching that leaves at most one out."""
    people, recent, seed = scenario
    result = pair_members(people, recent, random.Random(seed))
    best = maximum_pairs(tuple(p.user_id for p in people), frozenset(recent))
    assert len(result.pairs) == best
    if best == len(people) // 2:
        assert len(result.unpaired) <= 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=10_000), unique=True, max_size=60),
    st.integers(min_value=0, max_value=2**32),
)
def test_without_recent_pairs_at_most_one_is_left_out(ids, seed):
    people = [Candidate(user_id=i, region=REGIONS[i % 4]) for i in ids]
    result = pair_members(people, set(), random.Random(seed))
    assert len(result.unpaired) == len(ids) % 2


def test_someone_who_met_everyone_recently_stays_unpaired():
    people = [Candidate(user_id=i) for i in (1, 2, 3, 4)]
    recent = {(1, 2), (1, 3), (1, 4)}
    result = pair_members(people, recent, random.Random(1))
    assert 1 in result.unpaired
    assert len(result.pairs) == 1


def test_prefers_different_regions_and_roles_when_it_can():
    north = [
        Candidate(user_id=i, region="north", role_types=frozenset({"manager"})) for i in (1, 2)
    ]
    south = [
        Candidate(user_id=i, region="south", role_types=frozenset({"researcher"})) for i in (3, 4)
    ]
    for seed in range(30):
        result = pair_members(north + south, set(), random.Random(seed))
        for a, b in result.pairs:
            assert (a <= 2) != (b <= 2), f"seed {seed} paired {a} and {b} from the same region"


def test_preference_score_counts_region_above_roles():
    a = Candidate(1, "north", frozenset({"manager"}))
    assert preference_score(a, Candidate(2, "south", frozenset({"manager"}))) > preference_score(
        a, Candidate(3, "north", frozenset({"researcher"}))
    )
    assert preference_score(a, Candidate(4, "north", frozenset({"manager"}))) == 0


def test_same_seed_gives_same_pairs():
    people = [Candidate(user_id=i, region=REGIONS[i % 3]) for i in range(1, 21)]
    assert pair_members(people, set(), random.Random(7)) == pair_members(
        people, set(), random.Random(7)
    )
