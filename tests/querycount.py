"""Query counting: a list page must run the same number of queries for one row and for many."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(action: Callable[[], object]) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_constant_queries(
    action: Callable[[], object], add_rows: Callable[[int], object], many: int = 20
) -> int:
    """Run `action` with the rows that exist, add `many` more rows, run it again, and assert the
    two runs made the same number of queries. Returns that number."""
    action()  # warm up: first requests of a session do one-off work (session tracking)
    first, _ = count_queries(action)
    add_rows(many)
    second, sql = count_queries(action)
    assert first == second, (
        f"query count grew from {first} to {second} with {many} more rows:\n" + "\n".join(sql)
    )
    return first
