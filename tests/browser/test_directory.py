"""The directory in a real browser: axe finds nothing, results update as filters change with
JavaScript, and the same form works as a plain GET form without it."""

import re

import pytest
from playwright.sync_api import expect

from members.directory.enums import Visibility
from members.directory.models import Topic
from qcommunity.core.taxonomy import Region
from tests.browser.conftest import assert_accessible
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people():
    # Transactional tests empty the tables between tests, seeded topics included.
    sepsis, _ = Topic.objects.get_or_create(slug="sepsis", defaults={"name": "Sepsis"})
    dementia, _ = Topic.objects.get_or_create(slug="dementia", defaults={"name": "Dementia"})
    return [
        ProfileFactory(
            visibility=Visibility.PUBLIC,
            user__full_name="Ailsa Campbell",
            region=Region.SCOTLAND,
            topics=[sepsis],
        ),
        ProfileFactory(
            visibility=Visibility.PUBLIC,
            user__full_name="Bryn Davies",
            region=Region.WALES,
            topics=[sepsis, dementia],
        ),
        ProfileFactory(
            visibility=Visibility.PUBLIC,
            user__full_name="Chloe Evans",
            region=Region.WESSEX,
            topics=[dementia],
        ),
        ProfileFactory(visibility=Visibility.HIDDEN, user__full_name="Hidden Person"),
    ]


def count(page):
    return page.locator("#directory-count")


def test_directory_with_results_has_no_axe_violations(page, people):
    page.goto("/directory/?region=scotland&region=wales")
    expect(count(page)).to_have_text("2 members found")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    assert page.console_errors == []


def test_directory_with_no_results_has_no_axe_violations(page, people):
    page.goto("/directory/?q=nobody+by+this+name")
    expect(count(page)).to_have_text("0 members found")
    assert_accessible(page)


def test_results_update_when_a_filter_changes(page, people):
    page.goto("/directory/")
    expect(count(page)).to_have_text("3 members found")
    page.locator("summary", has_text="Region").click()
    page.get_by_role("group", name="Region").get_by_label("Scotland", exact=True).check()
    expect(count(page)).to_have_text("1 member found")
    expect(page.locator(".nhsuk-card__link")).to_have_text(["Ailsa Campbell"])
    expect(page).to_have_url(re.compile(r"/directory/\?.*region=scotland"))
    # OR within the group: ticking a second region widens the list
    page.get_by_role("group", name="Region").get_by_label("Wales", exact=True).check()
    expect(count(page)).to_have_text("2 members found")
    # typing in the search box updates the list too, without pressing a button
    page.locator("#directory-q").press_sequentially("Bryn")
    expect(count(page)).to_have_text("1 member found")
    expect(page.locator(".nhsuk-card__link")).to_have_text(["Bryn Davies"])
    assert_accessible(page)
    assert page.console_errors == []


def test_form_works_without_javascript(browser, live_server, people):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/directory/")
        expect(count(page)).to_have_text("3 members found")
        page.locator("summary", has_text="Topic").click()
        page.get_by_label("Dementia", exact=True).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Apply filters").click()
        expect(count(page)).to_have_text("2 members found")
        expect(page.locator(".nhsuk-card__link")).to_have_text(["Bryn Davies", "Chloe Evans"])
        assert "topic=dementia" in page.url
        # the page it lands on shows the choice, so it can be changed again
        expect(page.get_by_label("Dementia", exact=True)).to_be_checked()
    finally:
        context.close()
