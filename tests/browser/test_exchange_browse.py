"""A round's page in a real browser: with JavaScript the cards follow the filters and the search
box as they change (htmx swaps only the results); without it the same form is a GET form."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def round_with_proposals():
    from exchange.proposals.enums import Stage
    from exchange.proposals.models import Proposal
    from exchange.proposals.services import proposal_refresh_search
    from qcommunity.accounts.enums import Role
    from tests.factories.accounts import UserFactory
    from tests.factories.exchange import announce_decisions, make_exchange_round, make_proposal

    round_ = make_exchange_round(year=2026)
    lead = UserFactory(roles=[Role.MEMBER])
    for title, stage in (("Sepsis screening", Stage.PROPOSAL), ("Frailty at home", Stage.IDEA),
                         ("Dementia cafes", Stage.FUNDED)):  # fmt: skip
        proposal = make_proposal(round_, lead=lead, stage=stage)
        Proposal.objects.filter(pk=proposal.pk).update(title=title)
    proposal_refresh_search(proposal_ids=list(round_.proposals.values_list("pk", flat=True)))
    return announce_decisions(round_)  # the funding of "Dementia cafes" is public


def count(page):
    return page.locator("#exchange-count")


def test_cards_follow_the_filters_and_the_search_box(page, round_with_proposals):
    page.goto("/exchange/2026/")
    expect(count(page)).to_have_text("3 ideas and proposals found")
    page.locator("summary", has_text="Stage").click()
    page.get_by_role("group", name="Stage").get_by_label("Idea", exact=True).check()
    expect(count(page)).to_have_text("1 idea or proposal found")
    expect(page.locator(".nhsuk-card__link")).to_have_text(["Frailty at home"])
    expect(page).to_have_url(re.compile(r"/exchange/2026/\?.*stage=idea"))
    page.get_by_role("group", name="Stage").get_by_label("Funded", exact=True).check()
    expect(count(page)).to_have_text("2 ideas and proposals found")
    page.locator("#exchange-q").press_sequentially("dementia")
    expect(count(page)).to_have_text("1 idea or proposal found")
    expect(page.locator(".nhsuk-card__link")).to_have_text(["Dementia cafes"])
    expect(page.locator("h1")).to_have_count(1)  # only the results were swapped
    expect(page.locator("#exchange-count")).to_have_count(1)
    assert page.locator("#exchange-count").get_attribute("aria-live") == "polite"
    assert_accessible(page)
    assert page.console_errors == []


def test_without_javascript_the_form_is_a_get_form(browser, live_server, round_with_proposals):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/exchange/2026/")
    page.locator("#exchange-q").fill("sepsis")
    page.get_by_role("button", name="Apply filters").click()
    expect(count(page)).to_have_text("1 idea or proposal found")
    expect(page.locator(".nhsuk-card__link")).to_have_text(["Sepsis screening"])
    expect(page).to_have_url(re.compile(r"/exchange/2026/\?q=sepsis"))
    context.close()
