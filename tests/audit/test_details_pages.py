"""Audit details read as sentences on every page that shows audit rows (issue 13, points 7 and
10): a date change as "Closes: 21 December 2026, 5pm → 7 December 2026, 12:30pm", lists as
"a, b and c", flags as Yes or No, people by address, never a Python dict or list."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from exchange.rounds.services import round_update_dates
from members.joining.services import round_update
from members.panels.services import round_panel_create, round_panel_member_add
from qcommunity.audit.describe import describe_details
from qcommunity.core.formatting import uk_datetime
from qcommunity.core.taxonomy import Region
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round
from tests.factories.joining import make_round
from tests.factories.panels import staff_user, two_factor_user

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_CLOSE = dt.datetime(2030, 1, 10, 12, 30, tzinfo=LONDON)


def _changed_round(staff):
    """A joining round whose closing date moved, with a region added and a panel member put on
    (recorded with a flag)."""
    round_ = make_round(staff, regions=(Region.WESSEX,))
    old_close = round_.closes_at
    round_update(
        actor=staff,
        round_=round_,
        name=round_.name,
        phase=round_.phase,
        regions=[Region.WESSEX, Region.OXFORD, Region.WALES],
        opens_at=round_.opens_at,
        closes_at=NEW_CLOSE,
        review_deadline=dt.datetime(2030, 2, 1, 17, 0, tzinfo=LONDON),
        decisions_release_at=dt.datetime(2030, 3, 1, 9, 0, tzinfo=LONDON),
        reviews_needed=round_.reviews_needed,
    )
    panel = round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    reviewer = two_factor_user(email="reviewer.one@example.org")
    round_panel_member_add(actor=staff, panel=panel, user=reviewer, organisation="Elsewhere")
    return round_, old_close


def _assert_sentences(html: str, old_close) -> None:
    assert f"Closes: {uk_datetime(old_close)} → 10 January 2030, 12:30pm" in html
    assert "Review deadline: " in html
    assert "→ 1 February 2030, 5pm" in html
    assert "Regions: Wessex → Oxford, Wales and Wessex" in html
    assert "Newly added: Yes" in html
    assert "User: reviewer.one@example.org" in html
    for raw in ("{&#39;", "[&#39;", "&#39;to&#39;", "T12:30", "+00:00", "True", "closes_at"):
        assert raw not in html


def test_staff_audit_log_shows_changes_lists_and_flags_in_words(client_for):
    staff = staff_user()
    _round, old_close = _changed_round(staff)
    html = client_for(staff).get("/staff/audit/").content.decode()
    _assert_sentences(html, old_close)


def test_round_audit_trail_shows_changes_lists_and_flags_in_words(client_for):
    staff = staff_user()
    round_, old_close = _changed_round(staff)
    response = client_for(staff).get(reverse("members-staff:round-audit", args=[round_.pk]))
    assert response.status_code == 200
    _assert_sentences(response.content.decode(), old_close)


def test_exchange_round_date_change_reads_as_a_sentence(client_for):

    staff = staff_user()
    round_ = make_exchange_round()
    old = round_.voting_closes_at
    new = old + dt.timedelta(days=1)
    round_update_dates(actor=staff, round_=round_, dates={"voting_closes_at": new})
    html = client_for(staff).get("/staff/audit/").content.decode()
    assert f"Voting closes: {uk_datetime(old)} → {uk_datetime(new)}" in html
    assert "{&#39;to&#39;" not in html


def test_deleted_account_in_details_shows_as_former_member(client_for):
    from qcommunity.audit.services import audit_record

    staff = staff_user()
    gone = UserFactory(email="gone.person@example.org", deleted_at=dt.datetime.now(tz=LONDON))
    audit_record(actor=staff, action="thing.done", data={"user": gone.pk, "erased": ["a", "b"]})
    html = client_for(staff).get("/staff/audit/").content.decode()
    assert "User: Former member" in html
    assert "Erased: a and b" in html


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        ({"from": "draft", "to": "open"}, ["From draft to open"]),
        ({"allow_reply": False}, ["Replies allowed: No"]),
        ({"erased": ["x"]}, ["Erased: x"]),
        ({"erased": []}, ["Erased: none"]),
        ({"on": "2026-12-21"}, ["On: 21 December 2026"]),
        (
            {"opens_at": {"from": None, "to": "2026-12-21T17:00:00+00:00"}},
            ["Opens: none → 21 December 2026, 5pm"],
        ),
        ({"rows": 3, "filters": {"region": "wessex"}}, ["Rows: 3", "Filters: Region: Wessex"]),
    ],
)
def test_describe_details_words(data, lines):
    assert describe_details(data) == lines


def test_round_audit_trail_names_a_deleted_reviewer_former_member(client_for):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    staff = staff_user()
    round_, _ = _changed_round(staff)
    get_user_model().objects.filter(email="reviewer.one@example.org").update(
        deleted_at=timezone.now()
    )
    html = client_for(staff).get(reverse("members-staff:round-audit", args=[round_.pk])).text
    assert "User: Former member" in html
    assert "reviewer.one@example.org" not in html
