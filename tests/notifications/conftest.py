import pytest

from qcommunity.notifications import kinds
from qcommunity.notifications.enums import Delivery
from qcommunity.notifications.kinds import NotificationKind

DAILY_KIND = "test_daily_summary"


@pytest.fixture
def daily_kind():
    """A kind that goes in the daily summary unless the member chooses otherwise (no kind the
    site sends today defaults to it), registered for one test."""
    kinds.register(
        NotificationKind(
            key=DAILY_KIND,
            label="News from a test area",
            description="Made for this test.",
            group="Test area",
            default=Delivery.DAILY,
            order=90,
        )
    )
    yield DAILY_KIND
    kinds.unregister(DAILY_KIND)
