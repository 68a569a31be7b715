"""axe-core finds nothing on the Q Exchange pages."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.exchange.test_proposal_page import build

pytestmark = pytest.mark.django_db(transaction=True)


def test_proposal_page_has_no_axe_violations(page):
    proposal = build(team_size=2, steps=3)
    response = page.goto(f"/exchange/proposals/{proposal.slug}/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == proposal.title
    assert_accessible(page)
    assert page.console_errors == []
