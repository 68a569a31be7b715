"""axe-core finds nothing on every page type of the Quality Mark standards (issue 16), with
and without errors, as the coordinator sees them."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_standards_pages_have_no_axe_violations(sign_in_browser, tmp_path):
    from allauth.mfa.totp.internal.auth import TOTP

    from accreditation.standards import services
    from qcommunity.accounts.enums import Role
    from tests.accreditation.conftest import build_draft
    from tests.conftest import TOTP_SECRET
    from tests.factories.accounts import UserFactory

    coordinator = UserFactory(roles=[Role.ACCREDITATION_COORDINATOR])
    TOTP.activate(coordinator, TOTP_SECRET)
    published = build_draft(coordinator, slug="published")
    services.version_publish(actor=coordinator, version=published, change_summary="First.")
    draft = build_draft(coordinator, slug="drafting")
    criterion, domain, level = draft.criteria.first(), draft.domains.first(), draft.levels.first()
    services.domain_remove(actor=coordinator, domain=draft.domains.last())
    page = sign_in_browser(coordinator)

    def check(path, heading):
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1")).to_contain_text(heading)
        assert_accessible(page)

    v1 = "/accreditation/standards/published/versions/1/"
    v2 = "/accreditation/standards/drafting/versions/1/"
    check("/accreditation/standards/", "Quality Mark standards")
    check("/accreditation/standards/new/", "Add a standard")
    check("/accreditation/standards/published/", "Self-management education")
    check("/accreditation/standards/published/versions/new/", "Draft a new version")
    check(v1, "version 1")
    check(f"{v1}preview/", "Self-management education")
    check(f"{v1}publish/", "Version 1 is published")
    check(v2, "version 1")  # a draft, with criteria without a domain and what is missing
    check(f"{v2}publish/", "Publish version 1")
    check(f"{v2}discard/", "Delete the draft")
    check(f"{v2}domains/new/", "Add a domain")
    check(f"{v2}domains/{domain.pk}/", "Change domain D1")
    check(f"{v2}domains/{domain.pk}/remove/", "Remove domain D1")
    check(f"{v2}criteria/{criterion.pk}/", "Change criterion C1")
    check(f"{v2}criteria/{criterion.pk}/remove/", "Remove criterion C1")
    check(f"{v2}levels/new/", "Add a level")
    check(f"{v2}levels/{level.pk}/", "Change level Entry")
    check(f"{v2}levels/{level.pk}/remove/", "Remove level Entry")

    # Forms with errors, by keyboard: the error summary takes focus.
    page.goto(f"{v2}criteria/new/")
    page.get_by_label("Code").fill("C9")
    page.get_by_role("button", name="Save criterion").press("Enter")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose at least one scope")
    assert_accessible(page)
    page.goto("/accreditation/standards/new/")
    page.get_by_role("button", name="Add the standard").click()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(1)
    assert_accessible(page)

    # Publishing from the confirmation page.
    services.domain_add(actor=coordinator, version=draft, code="D2", title="Delivery")
    for c in draft.criteria.filter(domain=None):
        services.criterion_update(
            actor=coordinator, criterion=c, domain=draft.domains.get(code="D2"), code=c.code,
            text=c.text, guidance="", evidence_examples="", is_minimum=c.is_minimum,
            scopes=c.scopes,
        )  # fmt: skip
    page.goto(f"{v2}publish/")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say what changed")
    assert_accessible(page)
    page.get_by_label("What changed in this version").fill("The first version.")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator("h1")).to_contain_text("version 1")
    expect(page.locator("body")).to_contain_text("A published version never changes")
    assert_accessible(page)


def test_importing_a_version_has_no_axe_violations(sign_in_browser, tmp_path):
    from allauth.mfa.totp.internal.auth import TOTP

    from accreditation.standards import services
    from qcommunity.accounts.enums import Role
    from tests.conftest import TOTP_SECRET
    from tests.factories.accounts import UserFactory

    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    TOTP.activate(admin, TOTP_SECRET)
    services.standard_create(actor=admin, name="Self-management education", slug="sme")
    page = sign_in_browser(admin)
    page.goto("/staff/imports/standard-version/upload/")
    assert_accessible(page)
    bad = tmp_path / "version.csv"
    bad.write_text(
        "standard,type,code,title,domain,text,guidance,evidence_examples,minimum_requirement,"
        "scopes\nsme,domain,D1,Leadership,,,,,,\nsme,criterion,C1,,D9,Text,,,no,provider\n"
    )
    page.get_by_label("CSV or JSON file").set_input_files(bad)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Row 3:")
    assert_accessible(page)
    bad.write_text(bad.read_text().replace(",D9,", ",D1,"))
    page.goto("/staff/imports/standard-version/upload/")
    page.get_by_label("CSV or JSON file").set_input_files(bad)
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.locator("body")).to_contain_text("complete")
    page.get_by_role("link", name="Self-management education, version 1").click()
    expect(page.locator("h1")).to_contain_text("version 1")
    assert_accessible(page)
