"""axe-core finds nothing on every page type of the foundation, signed out and signed in."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = ["/", "/accessibility/", "/privacy/", "/cookies/", "/contact/", "/me/deleted/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_axe_violations(page, path):
    response = page.goto(path)
    assert response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    assert page.console_errors == []


def test_not_found_page_has_no_axe_violations(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert_accessible(page)


@pytest.mark.parametrize("status", [400, 403, 429, 500])
def test_error_page_has_no_axe_violations(page, live_server, rf, status):
    from qcommunity.core import views as core_views

    handler = {
        400: core_views.bad_request,
        403: core_views.permission_denied,
        429: core_views.too_many_requests,
        500: core_views.server_error,
    }[status]
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    response = handler(request)
    assert response.status_code == status
    # Load the page shell from the live server, then put the error page in it, so its styles
    # and scripts load from the same origin as in real use.
    page.goto("/")
    page.set_content(response.content.decode(), wait_until="load")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


ACCOUNT_PAGES_SIGNED_OUT = [
    ("/accounts/login/", "Sign in"),
    ("/accounts/signup/", "Create an account"),
    ("/accounts/password/reset/", None),
    ("/accounts/password/reset/done/", None),
    ("/accounts/password/reset/key/0-not-a-key/", None),
    ("/accounts/confirm-email/", "Check your email"),
    ("/accounts/confirm-email/not-a-key/", None),
]


@pytest.mark.parametrize(("path", "heading"), ACCOUNT_PAGES_SIGNED_OUT)
def test_signed_out_account_page_has_no_axe_violations(page, path, heading):
    response = page.goto(path)
    assert response.status == 200
    if heading:
        assert page.locator("h1").inner_text() == heading
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_sign_in_errors_have_no_axe_violations(page):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("not-an-email")
    page.get_by_role("button", name="Sign in").click()
    page.locator(".nhsuk-error-summary").wait_for(state="visible")  # fails if it never shows
    assert page.title().startswith("Error: ")
    assert_accessible(page)


SIGNED_IN_PAGES = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/sessions/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/accounts/two-factor-required/",
    "/me/notifications/",
    "/me/data/",
    "/me/delete/",
]


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_account_page_has_no_axe_violations(sign_in_browser, path):
    from tests.factories.accounts import UserFactory

    page = sign_in_browser(UserFactory())
    response = page.goto(path)
    assert response.status == 200, page.url
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_staff_pages_have_no_axe_violations(sign_in_browser):
    from allauth.mfa.totp.internal.auth import TOTP

    from qcommunity.accounts.enums import Role
    from qcommunity.audit.services import audit_record
    from tests.factories.accounts import UserFactory

    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    audit_record(actor=admin, action="role.grant", target=admin, data={"role": "editor"})
    page = sign_in_browser(admin)
    for path in ("/staff/", "/staff/audit/", "/staff/outbox/", "/accounts/2fa/"):
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)


def test_staff_home_with_lines_and_sending_an_email_again_have_no_axe_violations(
    sign_in_browser,
):
    from allauth.mfa.totp.internal.auth import TOTP

    from qcommunity.accounts.enums import Role
    from qcommunity.outbox.enums import EmailStatus
    from tests.factories.accounts import UserFactory
    from tests.factories.newsletters import ShowcaseItemFactory
    from tests.factories.outbox import OutboxEmailFactory

    failed = OutboxEmailFactory(status=EmailStatus.FAILED, last_error="550 5.1.1 User unknown")
    ShowcaseItemFactory()
    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    page = sign_in_browser(admin)
    assert page.goto("/staff/").status == 200
    expect(page.locator(".q-attention li")).to_have_count(2)
    assert_accessible(page)
    assert page.goto(f"/staff/outbox/{failed.pk}/retry/").status == 200
    expect(page.locator("h1")).to_have_text("Send this email again?")
    assert_accessible(page)
    page.get_by_role("button", name="Send it again").click()
    expect(page.locator("h1")).to_have_text("Email outbox")
    assert_accessible(page)


def test_notification_preferences_saved_and_with_an_error_have_no_axe_violations(
    sign_in_browser,
):
    """The page after saving (with its confirmation banner), and with an error summary."""
    from tests.factories.accounts import UserFactory

    page = sign_in_browser(UserFactory())
    page.goto("/me/notifications/")
    page.get_by_role("group", name="Replies to your comments").get_by_label(
        "Do not email me"
    ).check()
    page.get_by_role("button", name="Save choices").click()
    assert "Your email choices have been saved" in (
        page.locator(".nhsuk-notification-banner").inner_text()
    )
    assert (
        page.get_by_role("group", name="Replies to your comments")
        .get_by_label("Do not email me")
        .is_checked()
    )
    assert_accessible(page)
    page.evaluate(
        "document.querySelectorAll('input[name=comment_reply]').forEach(i => i.checked = false)"
    )
    page.get_by_role("button", name="Save choices").click()
    page.locator(".nhsuk-error-summary").wait_for(state="visible")  # fails if it never shows
    assert_accessible(page)


def test_reminders_page_has_no_axe_violations(sign_in_browser):
    import datetime as dt

    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from qcommunity.accounts.enums import Role
    from qcommunity.reminders.services import reminders_send_due
    from tests.factories.accounts import UserFactory
    from tests.factories.members import ProfileFactory

    year = dt.timedelta(days=365)
    ProfileFactory(confirmed_at=timezone.now() - year - dt.timedelta(days=1))
    ProfileFactory(confirmed_at=timezone.now() - year + dt.timedelta(days=4))
    reminders_send_due()
    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    page = sign_in_browser(admin)
    response = page.goto("/staff/reminders/")
    assert response.status == 200
    expect(page.locator("tbody tr")).to_have_count(2)


def test_newsletter_public_pages_have_no_axe_violations(page):
    from qcommunity.newsletters.subscriptions import tokens
    from qcommunity.newsletters.subscriptions.services import CONSENT_WORDING, subscribe_request
    from tests.factories.newsletters import community, quality_mark

    outcome = subscribe_request(
        email="ada@example.org",
        name="Ada",
        organisation="",
        newsletters=[community(), quality_mark()],
        wording=CONSENT_WORDING,
        source="test",
    )
    subscription = outcome.pending[0]
    confirm = tokens.confirm_url(subscription).split("/newsletter/", 1)[1]
    unsubscribe = tokens.unsubscribe_url(subscription).split("/newsletter/", 1)[1]
    for path, heading in (
        ("/newsletter/", "Subscribe to our newsletters"),
        ("/newsletter/check-your-email/", "Check your email"),
        (f"/newsletter/{confirm}", "Confirm your subscription"),
        (f"/newsletter/{unsubscribe}", "Unsubscribe from Q community newsletter"),
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("h1").inner_text() == heading
        assert_accessible(page)
    # The form with errors, then the pages after each button.
    page.goto("/newsletter/")
    page.get_by_role("button", name="Subscribe").click()
    page.locator(".nhsuk-error-summary").wait_for(state="visible")  # fails if it never shows
    assert_accessible(page)
    page.goto(f"/newsletter/{confirm}")
    page.get_by_role("button", name="Confirm subscription").click()
    assert "You are subscribed" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.goto(f"/newsletter/{unsubscribe}")
    page.get_by_role("button", name="Unsubscribe").click()
    assert "You have unsubscribed" in page.locator("h1").inner_text()
    assert_accessible(page)


def test_newsletter_staff_pages_have_no_axe_violations(sign_in_browser):
    from qcommunity.newsletters.imports.services import import_batch_create
    from qcommunity.newsletters.subscriptions.services import (
        CONSENT_WORDING,
        subscribe_request,
        subscription_confirm,
        suppression_add,
    )
    from tests.factories.newsletters import community, editor_user, quality_mark

    editor = editor_user()
    outcome = subscribe_request(
        email="ada@example.org",
        name="Ada",
        organisation="Analytical Trust",
        newsletters=[community(), quality_mark()],
        wording=CONSENT_WORDING,
        source="http://testserver/newsletter/",
    )
    subscription_confirm(subscription=outcome.pending[0])
    suppression_add(email="gone@example.org", reason="complained", newsletter=None)
    batch = import_batch_create(
        actor=editor,
        filename="contacts.csv",
        data=b"email,name,organisation\nnew@example.org,New,Trust\nbad,Bad,\n"
        b"ada@example.org,Ada L,Trust\ngone@example.org,Gone,\n",
        newsletters=[community()],
        lawful_basis="legitimate_interests",
        note="Event delegates",
    )
    contact = outcome.contact
    page = sign_in_browser(editor)
    for path in (
        "/staff/newsletters/",
        "/staff/newsletters/contacts/",
        f"/staff/newsletters/contacts/{contact.pk}/",
        "/staff/newsletters/suppressions/",
        "/staff/newsletters/import/",
        f"/staff/newsletters/import/{batch.pk}/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
    page.goto(f"/staff/newsletters/import/{batch.pk}/")
    page.get_by_role("button", name="Confirm and import").click()
    assert "complete" in page.locator("h1").inner_text()
    assert_accessible(page)


def test_newsletter_sending_pages_have_no_axe_violations(sign_in_browser):
    from qcommunity.newsletters.issues.enums import DeliveryStatus, IssueStatus
    from qcommunity.newsletters.issues.models import Delivery
    from tests.factories.newsletters import ContactFactory, IssueFactory, editor_user

    editor = editor_user()
    approved = IssueFactory(status=IssueStatus.APPROVED)
    sending = IssueFactory(status=IssueStatus.SENDING)
    for status, error in [
        (DeliveryStatus.SENT, ""),
        (DeliveryStatus.QUEUED, ""),
        (DeliveryStatus.FAILED, "550 5.1.1 no such user"),
        (DeliveryStatus.SUPPRESSED, ""),
    ]:
        contact = ContactFactory()
        Delivery.objects.create(
            issue=sending, contact=contact, email=contact.email, status=status, last_error=error
        )
    page = sign_in_browser(editor)
    for issue in (approved, sending):
        response = page.goto(f"/staff/newsletters/sending/{issue.pk}/")
        assert response.status == 200, page.url
        expect(page.locator("progress")).to_have_count(1 if issue is sending else 0)
        assert_accessible(page)


def test_panel_pages_have_no_axe_violations(sign_in_browser):
    """Every page type of the panel workspace and of staff panel management (issue 5), with
    their error states."""
    from members.joining.models import Application
    from members.joining.services import application_decide
    from tests.factories.panels import panel_in_review, staff_user, submit_review

    staff = staff_user()
    setup = panel_in_review(staff, applications=2, reviewers=3)
    reviewer = next(r for r in setup.reviewers if len(setup.assignments_of(r)) == 2)
    to_do, to_submit = setup.assignments_of(reviewer)
    submit_review(to_submit, [3, 2, 1], comment="Good")
    for assignment in setup.panel.assignments.exclude(reviewer=reviewer):
        submit_review(assignment, [1, 2, 3])

    def check(path, heading=None):
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1")).to_have_count(1)
        if heading:
            assert page.locator("h1").inner_text() == heading
        assert_accessible(page)

    page = sign_in_browser(reviewer)
    check("/panels/", "Your panels")
    check(f"/panels/{setup.panel.pk}/", "Wessex panel")
    check(f"/panels/assignments/{to_submit.pk}/")  # submitted, with other reviews
    check(f"/panels/assignments/{to_do.pk}/")  # the conflict question
    page.get_by_role("button", name="Continue").click()
    page.locator(".nhsuk-error-summary").wait_for(state="visible")
    assert_accessible(page)
    page.get_by_role("group", name="Do you have a conflict of interest").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text().startswith("Review application")
    assert_accessible(page)
    for number, criterion in enumerate(setup.panel.scheme.criteria.order_by("position"), 1):
        group = page.get_by_role("group", name=f"{number}. {criterion.title}")
        group.get_by_label("2: Meets").check()
    page.get_by_role("group", name="Your recommendation").get_by_label("Unsure").check()
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text().startswith("Check your review")
    assert_accessible(page)

    page = sign_in_browser(setup.chair)
    check(f"/panels/{setup.panel.pk}/chair/", "Chair's workspace: Wessex panel")
    check(f"/panels/{setup.panel.pk}/chair/?sort=submitted")
    for pk in {a.pk for a in setup.applications}:  # one to decide, one still being reviewed
        check(f"/panels/{setup.panel.pk}/applications/{pk}/")
    decided = Application.objects.get(pk=to_submit.subject_id)
    application_decide(actor=setup.chair, application=decided, accept=True, rationale="Clear")
    check(f"/panels/{setup.panel.pk}/applications/{decided.pk}/")

    page = sign_in_browser(staff)
    round_ = setup.round
    check(f"/staff/rounds/{round_.pk}/panels/", "Panels")
    check(f"/staff/rounds/{round_.pk}/panels/{setup.panel.pk}/", "Wessex panel")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_role("button", name="Add to the panel").click()
    page.locator(".nhsuk-error-summary").wait_for(state="visible")
    assert_accessible(page)
    live = setup.panel.assignments.filter(status="assigned").first()
    check(
        f"/staff/rounds/{round_.pk}/panels/{setup.panel.pk}/assignments/{live.pk}/reassign/",
        "Reassign a review",
    )
    page.get_by_role("button", name="Reassign the review").click()
    page.locator(".nhsuk-error-summary").wait_for(state="visible")


def test_staff_round_pages_have_no_axe_violations(sign_in_browser):
    from allauth.mfa.totp.internal.auth import TOTP

    from qcommunity.accounts.enums import Role
    from tests.factories.accounts import UserFactory
    from tests.factories.joining import make_round

    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    draft = make_round(admin, open_now=False, name="Draft round")
    opened = make_round(admin, name="Open round", courses=[("Improvement Fellows", "Q")])
    page = sign_in_browser(admin)
    for path in (
        "/staff/rounds/",
        "/staff/rounds/new/",
        f"/staff/rounds/{draft.pk}/",
        f"/staff/rounds/{draft.pk}/edit/",
        f"/staff/rounds/{opened.pk}/",
        f"/staff/rounds/{opened.pk}/edit/",
        f"/staff/rounds/{draft.pk}/open/confirm/",
        f"/staff/rounds/{opened.pk}/close/confirm/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
    # The form with errors.
    page.goto("/staff/rounds/new/")
    page.get_by_role("button", name="Create the round").click()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(1)
    assert_accessible(page)


def test_round_report_pages_have_no_axe_violations(sign_in_browser):
    """A round's report (charts with tables, the acceptance rate) and its audit trail, whole
    (more than one page) and filtered (issue 5 item 6)."""
    from members.joining.services import application_decide
    from tests.factories.panels import panel_in_review, staff_user, submit_review

    staff = staff_user()
    setup = panel_in_review(staff, applications=5, reviewers=2)
    for assignment in setup.panel.assignments.all():
        submit_review(assignment, [2, 3, 1])
    application_decide(
        actor=setup.chair, application=setup.applications[0], accept=True, rationale="Clear"
    )
    page = sign_in_browser(staff)
    pk = setup.round.pk
    for path, heading in (
        (f"/staff/rounds/{pk}/report/", "Report: Regional wave 3"),
        (f"/staff/rounds/{pk}/audit/", "Audit trail: Regional wave 3"),
        (f"/staff/rounds/{pk}/audit/?page=2", None),
        (f"/staff/rounds/{pk}/audit/?kind=review", None),
        (f"/staff/rounds/{pk}/audit/?kind=status", None),
    ):
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1")).to_have_count(1)
        if heading:
            assert page.locator("h1").inner_text() == heading
        assert_accessible(page)
    expect(page.locator(".nhsuk-pagination")).to_have_count(0)  # a filtered page fits on one
    page.goto(f"/staff/rounds/{pk}/audit/")
    expect(page.locator(".nhsuk-pagination")).to_have_count(1)


def test_joining_pages_have_no_axe_violations(page, sign_in_browser):
    """Every page type of applying to join: the join page, eligibility results (can and
    cannot apply) and its error, the form (and with an answer over its limit), check your
    answers (and with problems), confirmation, status, list and withdraw."""
    import datetime as dt

    from django.utils import timezone

    from members.joining.enums import Phase
    from members.joining.models import NominationCode
    from members.joining.services import application_create, application_submit
    from qcommunity.accounts.enums import Role
    from qcommunity.core.taxonomy import Region
    from tests.factories.accounts import UserFactory
    from tests.factories.joining import complete_draft, make_round

    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    regional = make_round(admin, regions=(Region.WESSEX, Region.OXFORD))
    alumni = make_round(
        admin, name="Alumni round", phase=Phase.ALUMNI, courses=[("Fellows", "Foundation")]
    )
    founding = make_round(admin, name="Founding round", phase=Phase.FOUNDING)
    NominationCode.objects.create(round=founding, code="QF-7K2D", nominating_organisation="X")
    soon = make_round(admin, name="Next wave")
    soon.opens_at = timezone.now() + dt.timedelta(days=3)
    soon.save(update_fields=["opens_at"])

    for path in (
        "/join/",
        "/join/eligibility/?region=wessex&course=none&code=",
        "/join/eligibility/?region=",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)

    applicant = UserFactory()
    draft = application_create(actor=applicant, round_=alumni)
    sent = complete_draft(applicant, regional)
    application_submit(actor=applicant, application=sent)
    withdrawable = complete_draft(applicant, founding)
    page = sign_in_browser(applicant)
    for path in (
        f"/join/applications/{draft.pk}/edit/",
        f"/join/applications/{draft.pk}/check/",
        f"/join/applications/{draft.pk}/",
        f"/join/applications/{sent.pk}/submitted/",
        f"/join/applications/{sent.pk}/",
        f"/join/applications/{withdrawable.pk}/withdraw/",
        "/join/applications/",
        "/join/eligibility/?region=wessex&course=none&code=QF-7K2D",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1"), path).to_have_count(1)
        assert_accessible(page)

    # An answer over its word limit: saved, shown with an error and an error summary.
    page.goto(f"/join/applications/{draft.pk}/edit/")
    first = draft.round.scheme.criteria.first()
    page.locator(f"#id_answer_{first.pk}").fill(" ".join(["word"] * 260))
    page.get_by_role("button", name="Save and come back later").click()
    page.locator(".nhsuk-error-summary").wait_for(state="visible")
    assert "10 words over the limit of 250" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    assert page.console_errors == []


def test_released_decision_pages_have_no_axe_violations(sign_in_browser):
    """Releasing decisions (issue 5): the applicant's page once a decision is released (not yet,
    with feedback; accepted, with the link to the directory entry), a new member's home page
    with their first steps, and the staff round page once decisions are released and when
    the release date has passed with decisions missing."""
    from members.joining.tasks import joining_release_due
    from tests.factories.joining import make_round
    from tests.factories.panels import panel_in_review, staff_user
    from tests.factories.release import decided_round, move_release_to_the_past

    staff = staff_user()
    setup = decided_round(staff)
    accepted, not_yet = setup.applications
    move_release_to_the_past(staff, setup.round)
    assert joining_release_due() == 2
    # Another round past its release date with decisions still to record: the staff warning.
    overdue = panel_in_review(staff, round_=make_round(staff, name="Wave 4"))
    move_release_to_the_past(staff, overdue.round)

    def check(page, path, text):
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("h1"), path).to_have_count(1)
        assert text in page.locator("main").inner_text(), path
        assert_accessible(page)

    page = sign_in_browser(not_yet.applicant)
    check(page, f"/join/applications/{not_yet.pk}/", "Applying again")
    page = sign_in_browser(accepted.applicant)
    check(page, f"/join/applications/{accepted.pk}/", "Check and publish your directory entry")
    check(page, "/", "Your first steps as a member")
    page = sign_in_browser(staff)
    check(page, f"/staff/rounds/{setup.round.pk}/", "Released to applicants")
    check(page, f"/staff/rounds/{overdue.round.pk}/", "The release date has passed")
    # A round with every decision recorded, before its release date: releasing it now.
    early = decided_round(staff, round_=make_round(staff, name="Wave 5"))
    check(page, f"/staff/rounds/{early.round.pk}/", "You can release them now instead.")
    check(page, f"/staff/rounds/{early.round.pk}/release/confirm/", "If you release them now")


def test_import_pages_have_no_axe_violations(sign_in_browser, tmp_path):
    """The import kit's pages, driven as staff would: the list, upload (and its file error), a
    preview with row errors, a preview to confirm, the result, and an imported proposal."""
    from pathlib import Path

    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings

    from qcommunity.accounts.enums import Role
    from tests.factories.accounts import UserFactory

    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    page = sign_in_browser(admin)

    def check(heading: str):
        expect(page.locator("h1")).to_have_count(1)
        expect(page.locator("h1")).to_contain_text(heading)
        assert_accessible(page)

    page.goto("/staff/imports/")
    check("Imports")
    page.get_by_role("link", name="Upload a file of past members").click()
    check("Import past members")
    spreadsheet = tmp_path / "members.xlsx"
    spreadsheet.write_bytes(b"PK\x03\x04 not really a workbook")
    page.get_by_label("CSV file").set_input_files(spreadsheet)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("spreadsheet")
    check("Import past members")

    with_errors = tmp_path / "members.csv"
    with_errors.write_text("name,email,region,joined\nAnn,ann@example.org,Atlantis,2017-01-01\n")
    page.get_by_label("CSV file").set_input_files(with_errors)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Row 2:")
    check("Check the import")

    example = Path(settings.BASE_DIR) / "docs" / "imports" / "past-rounds.example.json"
    page.goto("/staff/imports/exchange-rounds/upload/")
    page.get_by_label("JSON or CSV file").set_input_files(example)
    page.get_by_role("button", name="Check the file").click()
    check("Check the import")
    page.get_by_role("button", name="Confirm and import").click()
    check("complete")
    page.get_by_role(
        "link", name="2018: One improvement skills offer for the whole of Westmoor"
    ).click()
    expect(page.locator("body")).to_contain_text("Imported from the earlier Q Exchange site")
    check("One improvement skills offer")
    page.goto("/exchange/2018/")
    check("Q Exchange 2018")
    page.goto("/exchange/2024/results/")
    check("Voting results")


def test_provider_organisation_pages_have_no_axe_violations(sign_in_browser):
    """The Quality Mark's landing page, an organisation's pages for its admin (with a form in
    error), and the coordinators' list and verify page."""
    from accreditation.providers.enums import StaffRole
    from accreditation.providers.models import Programme, ProviderStaff
    from qcommunity.accounts.enums import Role
    from qcommunity.accounts.roles import get_role
    from qcommunity.people.invitations import invitation_send
    from tests.factories.accounts import UserFactory
    from tests.factories.panels import two_factor_user
    from tests.factories.providers import make_organisation, programme_fields

    admin = two_factor_user()
    organisation = make_organisation(admin, name="Living Well Together", website="https://x.org")
    programme = Programme.objects.create(organisation=organisation, **programme_fields())
    contributor = UserFactory()
    ProviderStaff.objects.create(
        organisation=organisation, user=contributor, role=StaffRole.CONTRIBUTOR
    )
    base = f"/accreditation/providers/{organisation.slug}/"
    kind = get_role("provider_staff")
    invitation_send(
        actor=admin, email="invitee@example.org", name="Invitee", kind=kind,
        scope=kind.scope_for(organisation, "admin"), reason="Join us",
    )  # fmt: skip

    def check(page, paths):
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            expect(page.locator("h1")).to_have_count(1)
            assert_accessible(page)

    page = sign_in_browser(admin)
    check(page, [
        "/accreditation/",
        "/accreditation/providers/register/",
        base,
        f"{base}edit/",
        f"{base}programmes/new/",
        f"{base}programmes/{programme.pk}/",
        f"{base}programmes/{programme.pk}/remove/",
        f"{base}staff/",
        f"{base}staff/invite/",
        f"{base}staff/{contributor.pk}/remove/",
    ])  # fmt: skip
    page.goto("/accreditation/providers/register/")
    page.get_by_role("button", name="Register the organisation").click()
    expect(page.locator(".nhsuk-error-summary")).to_have_count(1)
    assert_accessible(page)

    page.context.clear_cookies()
    page = sign_in_browser(two_factor_user(roles=[Role.ACCREDITATION_COORDINATOR]))
    check(page, [
        "/accreditation/providers/",
        "/accreditation/providers/?status=unverified",
        f"{base}verify/",
    ])  # fmt: skip
