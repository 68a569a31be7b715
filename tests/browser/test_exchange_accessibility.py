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


# Supporting and voting ------------------------------------------------------------------------


def _voting_round():
    from tests.exchange.test_voting_services import standing_round

    round_, themes, proposals, _, _ = standing_round()
    return round_, themes, proposals


def test_ballot_pages_have_no_axe_violations(sign_in_browser):
    """The ballot empty, with errors, then saved (your ballot), and the support box."""
    from qcommunity.accounts.enums import Role
    from tests.factories.accounts import UserFactory

    round_, themes, proposals = _voting_round()
    page = sign_in_browser(UserFactory(roles=[Role.MEMBER]))

    response = page.goto(f"/exchange/{round_.year}/vote/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Vote for the proposals you want funded"
    assert_accessible(page)

    page.get_by_label(proposals[themes[0].pk][0].title).check()
    page.get_by_role("button", name="Save your ballot").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert page.get_by_label(proposals[themes[0].pk][0].title).is_checked()
    assert_accessible(page)

    page.get_by_label(proposals[themes[0].pk][1].title).check()
    for proposal in proposals[themes[1].pk][:2]:
        page.get_by_label(proposal.title).check()
    page.get_by_role("button", name="Save your ballot").click()
    assert page.locator("h1").inner_text() == "Your ballot"
    assert "Your ballot has been saved" in page.content()
    assert_accessible(page)

    page.goto(f"/exchange/proposals/{proposals[themes[0].pk][0].slug}/")
    page.get_by_role("button", name="Support this proposal").click()
    page.get_by_role("button", name="Stop supporting").wait_for()  # swapped in by htmx
    assert "1 member supports this." in page.locator("#support").inner_text()
    assert_accessible(page)
    page.goto("/exchange/supported/")
    assert_accessible(page)
    assert page.console_errors == []


def test_results_and_turnout_pages_have_no_axe_violations(sign_in_browser):
    from allauth.mfa.totp.internal.auth import TOTP

    from qcommunity.accounts.enums import Role
    from tests.exchange.test_voting_pages import cast_in_the_past
    from tests.exchange.test_voting_services import move_window
    from tests.factories.accounts import UserFactory

    round_, themes, proposals = _voting_round()
    move_window(round_, when="after")
    for n in range(3):
        chosen = proposals[themes[0].pk][n:][:2] + proposals[themes[1].pk][:2]
        if len(chosen) == 4:
            cast_in_the_past(round_, UserFactory(roles=[Role.MEMBER]), chosen)
    staff = UserFactory(roles=[Role.STAFF_ADMIN], is_staff=True)
    TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    page = sign_in_browser(staff)

    response = page.goto(f"/exchange/{round_.year}/results/")
    assert response.status == 200
    assert page.locator("table").count() == 2
    assert_accessible(page)
    response = page.goto(f"/exchange/{round_.year}/turnout/")
    assert response.status == 200
    assert "Ballots cast" in page.content()
    assert_accessible(page)
    assert page.console_errors == []
