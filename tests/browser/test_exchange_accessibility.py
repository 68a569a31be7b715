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


def _check(page, path, heading=None):
    response = page.goto(path)
    assert response.status == 200, path
    assert page.locator("h1").count() == 1
    if heading:
        assert page.locator("h1").inner_text() == heading
    assert_accessible(page)
    assert page.console_errors == []


def test_browse_pages_have_no_axe_violations(page):
    """`/exchange/` empty and with rounds; a round's page with cards, with a search that finds
    nothing, and with no proposals at all."""
    from exchange.models import Comment, Support
    from exchange.services import proposal_refresh_search
    from members.models import Topic
    from qcommunity.accounts.enums import Role
    from tests.factories.accounts import UserFactory
    from tests.factories.exchange import make_exchange_round, make_proposal

    _check(page, "/exchange/", "Q Exchange")
    dementia, _ = Topic.objects.get_or_create(slug="dementia", defaults={"name": "Dementia"})
    full = make_exchange_round(year=2026)
    empty = make_exchange_round(year=2027, voting_open=False)
    lead = UserFactory(roles=[Role.MEMBER], full_name="Priya Lead")
    for _ in range(30):
        proposal = make_proposal(full, lead=lead)
        proposal.topics.add(dementia)
        Comment.objects.create(proposal=proposal, author=lead, body="Hi", body_html="<p>Hi</p>")
        Support.objects.create(proposal=proposal, user=UserFactory(roles=[Role.MEMBER]))
    proposal_refresh_search(proposal_ids=list(full.proposals.values_list("pk", flat=True)))
    _check(page, "/exchange/", "Q Exchange")
    _check(page, "/exchange/2026/", full.name)
    _check(page, "/exchange/2026/?topic=dementia&stage=proposal&page=2", full.name)
    _check(page, "/exchange/2026/?q=unicorns", full.name)
    _check(page, "/exchange/2027/", empty.name)


def test_staff_round_pages_have_no_axe_violations(sign_in_browser):
    """The staff's list, set-up form (blank, with an added row, with errors), a draft's change
    form, the publish confirmation and a published round's dates-only form."""
    from exchange.models import Round
    from tests.factories.exchange import make_exchange_round
    from tests.factories.panels import staff_user

    round_ = make_exchange_round(year=2030)
    Round.objects.filter(pk=round_.pk).update(published_at=None)
    page = sign_in_browser(staff_user())
    _check(page, "/staff/exchange/rounds/", "Q Exchange rounds")
    _check(page, "/staff/exchange/rounds/new/", "Set up a Q Exchange round")
    page.get_by_role("button", name="Add another theme").click()
    page.wait_for_load_state()
    assert page.locator("#id_theme_3_name").count() == 1
    assert_accessible(page)
    page.get_by_role("button", name="Set up the round").click()
    page.wait_for_load_state()
    assert page.locator(".nhsuk-error-summary").count() == 1
    assert_accessible(page)
    _check(page, f"/staff/exchange/rounds/{round_.pk}/", f"Change {round_.name}")
    _check(page, f"/staff/exchange/rounds/{round_.pk}/publish/", f"Publish {round_.name}?")
    page.get_by_role("button", name="Publish the round").click()
    page.wait_for_load_state()
    assert_accessible(page)
    _check(page, f"/staff/exchange/rounds/{round_.pk}/", f"Change {round_.name}")
