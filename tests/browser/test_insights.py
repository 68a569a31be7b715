"""axe-core finds nothing on the staff directory insights and the random coffee page, and the
coffee choice can be made by keyboard."""

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from members.coffee.models import CoffeePairing
from members.directory.enums import Visibility
from members.directory.models import Profile, Topic
from qcommunity.accounts.enums import Role
from qcommunity.core.taxonomy import Region, RoleType
from tests.browser.conftest import assert_accessible
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_insights_page_has_no_axe_violations(sign_in_browser):
    # Transactional tests empty the tables, taking the seeded taxonomy with them.
    sepsis, _ = Topic.objects.get_or_create(slug="sepsis", defaults={"name": "Sepsis"})
    for i, region in enumerate([Region.WALES, Region.OXFORD, Region.SOUTH_LONDON]):
        ProfileFactory(
            visibility=Visibility.PUBLIC if i else Visibility.MEMBERS,
            region=region,
            role_types=[RoleType.MANAGER, RoleType.PATIENT_LEADER],
            topics=[sepsis],
        )
    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    page = sign_in_browser(admin)
    response = page.goto("/staff/directory/")
    assert response.status == 200
    expect(page.locator("svg[role=img]")).to_have_count(5)
    expect(page.locator("table.nhsuk-table")).to_have_count(5)
    assert_accessible(page)
    assert page.console_errors == []


def test_coffee_page_has_no_axe_violations_and_works_by_keyboard(sign_in_browser):
    me = ProfileFactory(user__full_name="Keyboard User")
    other = ProfileFactory(visibility=Visibility.MEMBERS, user__full_name="Linked Person")
    a, b = sorted([me.user, other.user], key=lambda u: u.pk)
    CoffeePairing.objects.create(month=dt.date(2026, 1, 1), member_a=a, member_b=b)
    page = sign_in_browser(me.user)
    assert page.goto("/me/coffee/").status == 200
    expect(page.get_by_role("link", name="Linked Person")).to_have_count(1)
    assert_accessible(page)
    yes = page.get_by_label("Yes, pair me each month")
    yes.focus()
    page.keyboard.press("Space")
    assert yes.is_checked()
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("You are taking part in random coffee.")).to_have_count(1)
    assert Profile.objects.get(user=me.user).coffee_opt_in
    assert_accessible(page)
    assert page.console_errors == []


def test_staff_coffee_pages_have_no_axe_violations_and_a_round_runs_by_clicking(
    sign_in_browser,
):
    for name, region in (("Ada Ash", Region.WALES), ("Ben Birch", Region.OXFORD)):
        ProfileFactory(coffee_opt_in=True, user__full_name=name, region=region)
    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    page = sign_in_browser(admin)
    assert page.goto("/staff/").status == 200
    page.get_by_role("link", name="Random coffee").click()
    expect(page.get_by_role("heading", name="Random coffee", level=1)).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("button", name="Run a round now").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Run random coffee")
    assert_accessible(page)
    page.get_by_role("button", name="Run the round").click()
    expect(page.get_by_text("1 pair made, 0 people left unpaired")).to_have_count(1)
    assert CoffeePairing.objects.count() == 1
    assert_accessible(page)
    assert page.console_errors == []
