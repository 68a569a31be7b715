import pytest

from qcommunity.scoring.services import scheme_create
from tests.factories.joining import CRITERIA, SCALE


@pytest.fixture
def scheme(staff_admin):
    return scheme_create(actor=staff_admin, name="Test criteria", criteria=CRITERIA, scale=SCALE)
