import pytest

from tests.factories.newsletters import community, quality_mark


@pytest.fixture(autouse=True)
def _seeded_newsletters(db):
    """The two newsletters the data migration seeds, present whatever ran before."""
    community()
    quality_mark()
