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


def test_decision_and_progress_update_pages_have_no_axe_violations(sign_in_browser):
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from exchange.enums import Stage
    from exchange.models import ProgressUpdate, Proposal
    from qcommunity.accounts.enums import Role
    from tests.conftest import TOTP_SECRET
    from tests.factories.accounts import UserFactory

    proposal = build()
    Proposal.objects.filter(pk=proposal.pk).update(stage=Stage.PROPOSAL)
    moderator = UserFactory(roles=[Role.MEMBER, Role.EXCHANGE_MODERATOR])
    TOTP.activate(moderator, TOTP_SECRET)
    page = sign_in_browser(moderator)
    page.goto(f"/exchange/proposals/{proposal.slug}/decide/")
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    assert "There is a problem" in page.locator("main").inner_text()
    assert_accessible(page)

    Proposal.objects.filter(pk=proposal.pk).update(stage=Stage.FUNDED, decided_at=timezone.now())
    ProgressUpdate.objects.create(
        proposal=proposal, author=proposal.lead, title="Started", body="b", body_html="<p>b</p>"
    )
    page.context.clear_cookies()
    page = sign_in_browser(proposal.lead)
    page.goto(f"/exchange/proposals/{proposal.slug}/updates/new/")
    page.get_by_role("button", name="Post the update").click()
    assert "There is a problem" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"/exchange/proposals/{proposal.slug}/")
    assert "Started" in page.locator("#updates ~ article").first.inner_text()
    assert_accessible(page)
