"""The one registry class behind the apps' declarations: unique keys, refusal before adding,
lookups that say what is missing, and a stable order."""

from dataclasses import dataclass

import pytest

from qcommunity.core.registry import Registry


@dataclass(frozen=True)
class Entry:
    key: str
    order: int = 100


def test_entries_are_unique_listed_by_order_then_key_and_removable():
    registry = Registry("Test entry")
    for entry in (Entry("b"), Entry("a"), Entry("c", order=10)):
        registry.register(entry)
    assert [e.key for e in registry.all()] == ["c", "a", "b"]
    assert "a" in registry
    with pytest.raises(ValueError, match="Test entry 'a' is already registered"):
        registry.register(Entry("a", order=1))
    registry.unregister("a")
    assert [e.key for e in registry] == ["c", "b"]
    with pytest.raises(LookupError, match="No test entry 'a' is registered"):
        registry.get("a")


def test_a_check_refuses_an_entry_before_it_is_added():
    def check(entry):
        if entry.order < 0:
            raise ValueError("order must not be negative")

    registry = Registry("Test entry", check=check)
    with pytest.raises(ValueError, match="negative"):
        registry.register(Entry("x", order=-1))
    assert "x" not in registry
