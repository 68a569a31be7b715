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


# The writing side of proposals (issue 6 point 2): every page the team uses, with errors shown.


def _team_idea():
    """An idea with a full team, plan, points and an attachment, led by a member."""
    from exchange.services_attachments import attachment_add
    from tests.exchange.edit_helpers import MINIMAL_PDF, upload

    proposal = build(team_size=2, steps=3)
    attachment_add(actor=proposal.lead, proposal=proposal, upload=upload("plan.pdf", MINIMAL_PDF))
    return proposal


def test_post_an_idea_with_errors_has_no_axe_violations(page, sign_in_browser):
    from tests.exchange.edit_helpers import member
    from tests.factories.exchange import make_exchange_round

    round_ = make_exchange_round(voting_open=False)
    sign_in_browser(member())
    page.goto(f"/exchange/{round_.year}/new/")
    assert_accessible(page)
    page.get_by_role("button", name="Post your idea").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_accessible(page)
    assert page.console_errors == []


def test_edit_page_with_errors_has_no_axe_violations(page, sign_in_browser):
    proposal = _team_idea()
    section = proposal.round.sections.first()
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/edit/")
    assert_accessible(page)
    page.fill(f"#id_answer_{section.pk}", "word " * (section.word_limit + 3))
    page.fill("#id_amount_requested", "lots")
    page.get_by_role("button", name="Save changes").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert "words or fewer" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    assert page.console_errors == []


def test_team_page_with_errors_has_no_axe_violations(page, sign_in_browser):
    proposal = _team_idea()
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/team/")
    assert_accessible(page)
    page.fill("#id_email", "nobody@example.org")
    page.get_by_role("button", name="Add them to the team").first.click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_accessible(page)


def test_accept_invitation_page_has_no_axe_violations(page, sign_in_browser):
    from exchange.services_edit import team_invite
    from tests.exchange.edit_helpers import member

    proposal = _team_idea()
    invitee = member()
    team_invite(actor=proposal.lead, proposal=proposal, email=invitee.email)
    sign_in_browser(invitee)
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    assert_accessible(page)
    page.goto(f"/exchange/proposals/{proposal.slug}/team/accept/")
    assert_accessible(page)


def test_plan_page_has_no_axe_violations(page, sign_in_browser):
    proposal = _team_idea()
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/plan/")
    assert_accessible(page)
    page.get_by_role("button", name="Add the step").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_accessible(page)


def test_funded_plan_page_has_no_axe_violations(page, sign_in_browser):
    from django.utils import timezone

    from exchange.enums import Stage
    from exchange.models import Proposal

    proposal = _team_idea()
    Proposal.objects.filter(pk=proposal.pk).update(stage=Stage.FUNDED, decided_at=timezone.now())
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/plan/")
    page.locator("details summary").first.click()
    assert_accessible(page)
    page.locator("details").first.get_by_role("button", name="Update this step").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_accessible(page)


def test_attachments_page_with_errors_has_no_axe_violations(page, sign_in_browser, tmp_path):
    proposal = _team_idea()
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/attachments/")
    assert_accessible(page)
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"not a pdf at all")
    page.set_input_files("#id_file", str(fake))
    page.get_by_role("button", name="Attach the file").click()
    assert "is not a PDF" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)


def test_develop_and_withdraw_pages_have_no_axe_violations(page, sign_in_browser):
    from exchange.models import SectionAnswer

    proposal = _team_idea()
    SectionAnswer.objects.filter(proposal=proposal).delete()
    sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/develop/")
    assert page.get_by_text("Questions still to answer").is_visible()
    assert_accessible(page)
    page.goto(f"/exchange/proposals/{proposal.slug}/withdraw/")
    assert_accessible(page)


def test_print_page_has_no_axe_violations(page):
    proposal = _team_idea()
    page.goto(f"/exchange/proposals/{proposal.slug}/print/")
    assert page.locator("h1").inner_text() == proposal.title
    assert_accessible(page)
    page.emulate_media(media="print")
    assert_accessible(page)
    assert page.console_errors == []
