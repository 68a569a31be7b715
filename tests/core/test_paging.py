import pytest

from qcommunity.accounts.models import User
from qcommunity.core.paging import page_with_total
from tests.factories.accounts import UserFactory
from tests.querycount import count_queries


@pytest.fixture
def users(db):
    return UserFactory.create_batch(45)


def _page(number):
    return page_with_total(User.objects.order_by("pk"), number, 20)


def test_page_with_total_counts_in_the_same_query(users):
    queries, _ = count_queries(lambda: list(_page(2)))
    page = _page(2)
    assert queries == 1
    assert page.paginator.count == 45
    assert page.paginator.num_pages == 3
    assert [u.pk for u in page] == [u.pk for u in users[20:40]]


def test_page_with_total_last_page_is_partial(users):
    page = _page(3)
    assert len(page) == 5
    assert page.start_index() == 41
    assert not page.has_next()


@pytest.mark.parametrize("number", ["99", "0", "-3", "x", None])
def test_page_with_total_out_of_range_or_junk_shows_a_real_page(users, number):
    page = _page(number)
    expected = 3 if number == "99" else 1
    assert page.number == expected
    assert len(page) == (5 if expected == 3 else 20)
    assert page.paginator.count == 45


def test_page_with_total_of_nothing_is_an_empty_first_page(db):
    page = _page(1)
    assert page.number == 1
    assert list(page) == []
    assert page.paginator.count == 0
