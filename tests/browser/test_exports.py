"""Staff download a round's CSV from its staff page in a real browser, by keyboard: the file
arrives with the chosen filters in its name and only the chosen rows."""

import csv
import io

import pytest
from playwright.sync_api import expect

from exchange.proposals.enums import Stage
from exchange.proposals.models import Proposal
from exchange.proposals.services import proposal_refresh_search
from qcommunity.accounts.enums import Role
from qcommunity.core.taxonomy import Region
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.factories.joining import make_round
from tests.factories.panels import staff_user, submitted_application

pytestmark = pytest.mark.django_db(transaction=True)


def _rows(download) -> list[dict[str, str]]:
    with open(download.path(), encoding="utf-8-sig") as file:
        return list(csv.DictReader(io.StringIO(file.read())))


def test_staff_choose_proposals_and_download_them_by_keyboard(sign_in_browser):
    round_ = make_exchange_round(year=2031)
    lead = UserFactory(roles=[Role.MEMBER], full_name="Lena Lead")
    shortlisted = make_proposal(round_, lead=lead, stage=Stage.SHORTLISTED)
    make_proposal(round_, lead=lead)
    Proposal.objects.filter(pk=shortlisted.pk).update(title="Huddles that spread")
    proposal_refresh_search(proposal_ids=[shortlisted.pk])
    page = sign_in_browser(staff_user())
    page.goto(f"/staff/exchange/rounds/{round_.pk}/")
    with page.expect_download() as everything:
        page.get_by_role("link", name="Download every proposal with its votes and outcome").click()
    assert everything.value.suggested_filename.startswith("exchange-2031-proposals-")
    assert len(_rows(everything.value)) == 2

    page.get_by_role("link", name="Choose which proposals to download").click()
    expect(page.locator("h1")).to_have_text("Download proposals, votes and outcomes")
    page.get_by_label("Stage").select_option("shortlisted")
    page.get_by_label("Search text").fill("huddles")
    with page.expect_download() as chosen:
        page.get_by_role("button", name="Download CSV file").press("Enter")
    name = chosen.value.suggested_filename
    assert name.startswith("exchange-2031-proposals-stage-shortlisted-q-huddles-")
    assert [row["Title"] for row in _rows(chosen.value)] == ["Huddles that spread"]


def test_staff_download_a_rounds_applications_for_one_region(sign_in_browser):
    staff = staff_user()
    round_ = make_round(staff, regions=(Region.WESSEX, Region.WALES))
    wessex = submitted_application(round_, Region.WESSEX)
    submitted_application(round_, Region.WALES)
    page = sign_in_browser(staff)
    page.goto(f"/staff/rounds/{round_.pk}/")
    page.get_by_label("Region").select_option("wessex")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV file").click()
    assert "-applications-region-wessex-" in download.value.suggested_filename
    assert [row["Reference"] for row in _rows(download.value)] == [wessex.reference]
