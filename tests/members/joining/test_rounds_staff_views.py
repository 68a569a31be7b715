"""Staff run rounds of selection in the site: list, set up, change (criteria locked once open,
dates always, audited) and open or close."""

import datetime as dt

import pytest
from django.urls import reverse

from members.joining.enums import Phase, RoundStatus
from members.joining.forms import LONDON, RoundForm
from members.joining.models import Round
from qcommunity.audit.models import AuditEntry
from qcommunity.core.taxonomy import Region
from qcommunity.scoring.models import Scheme
from tests.factories.joining import make_round
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client_for, staff_admin):
    return client_for(staff_admin)


def _form(**changes):
    data = {
        "name": "Regional wave 4",
        "phase": Phase.REGIONAL,
        "regions": [Region.WESSEX, Region.OXFORD],
        "reviews_needed": "2",
        "courses": "",
        "opens_at_date-day": "1",
        "opens_at_date-month": "6",
        "opens_at_date-year": "2027",
        "opens_at_time": "9am",
        "closes_at_date-day": "30",
        "closes_at_date-month": "6",
        "closes_at_date-year": "2027",
        "closes_at_time": "17:00",
        "review_deadline_date-day": "31",
        "review_deadline_date-month": "7",
        "review_deadline_date-year": "2027",
        "review_deadline_time": "17:00",
        "decisions_release_at_date-day": "1",
        "decisions_release_at_date-month": "9",
        "decisions_release_at_date-year": "2027",
        "decisions_release_at_time": "10:00",
    }
    for i in range(1, 4):
        data |= {
            f"criterion_{i}_title": f"Criterion {i}",
            f"criterion_{i}_description": "In plain words.",
            f"criterion_{i}_guidance": "Some **guidance**.",
            f"criterion_{i}_examples": "",
            f"criterion_{i}_word_limit": "250",
        }
    for value in range(4):
        data |= {f"scale_{value}_label": f"Label {value}", f"scale_{value}_descriptor": "Means"}
    return data | changes


def test_staff_set_up_a_round(staff_client):
    response = staff_client.post(reverse("members-staff:round-create"), _form())
    round_ = Round.objects.get(name="Regional wave 4")
    assert response.headers["Location"] == reverse("members-staff:round-detail", args=[round_.pk])
    assert round_.status == RoundStatus.DRAFT
    assert round_.regions == [Region.OXFORD, Region.WESSEX]
    # 9am UK summer time is 8am UTC.
    assert round_.opens_at == dt.datetime(2027, 6, 1, 8, 0, tzinfo=dt.UTC)
    assert list(round_.scheme.scale_points.values_list("value", flat=True)) == [0, 1, 2, 3]
    assert round_.scheme.criteria.count() == 3

    page = staff_client.get(reverse("members-staff:round-detail", args=[round_.pk]))
    html = page.content.decode()
    assert "Open the round" in html
    assert "<strong>guidance</strong>" in html


def test_set_up_errors_are_shown_and_nothing_is_created(staff_client):
    response = staff_client.post(
        reverse("members-staff:round-create"),
        _form(**{"closes_at_date-year": "2026"}, scale_1_descriptor="", regions=[]),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose at least one region" in html
    assert "Say what a score of 1 means" in html
    assert not Round.objects.exists()

    response = staff_client.post(
        reverse("members-staff:round-create"), _form(**{"closes_at_date-year": "2026"})
    )
    assert "The closing date must be after the opening date" in response.content.decode()
    assert not Round.objects.exists()


def test_open_round_keeps_criteria_but_dates_move_with_audit(staff_client, staff_admin):
    round_ = make_round(staff_admin)
    assert round_.status == RoundStatus.OPEN
    edit = reverse("members-staff:round-edit", args=[round_.pk])
    page = staff_client.get(edit).content.decode()
    assert "its criteria and scale cannot change" in page

    data = {k: v for k, v in RoundForm.initial_for(round_).items() if v is not None}
    data["regions"] = round_.regions
    for name in ("opens_at", "closes_at", "review_deadline", "decisions_release_at"):
        date = data.pop(f"{name}_date")
        data |= {
            f"{name}_date-day": date.day,
            f"{name}_date-month": date.month,
            f"{name}_date-year": date.year,
        }
    new_close = (round_.closes_at + dt.timedelta(days=2)).astimezone(LONDON)
    data |= {
        "closes_at_date-day": new_close.day,
        "closes_at_date-month": new_close.month,
        "closes_at_date-year": new_close.year,
        "closes_at_time": new_close.strftime("%H:%M"),
    }
    data["criterion_1_title"] = "Something else"
    response = staff_client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    round_.refresh_from_db()
    assert round_.scheme.criteria.get(position=1).title == "Commitment to collaborative improvement"
    assert round_.closes_at == new_close.replace(second=0, microsecond=0)
    entry = AuditEntry.objects.filter(action="join_round.update").first()
    assert list(entry.data) == ["closes_at"]


def test_staff_open_a_round_from_its_page(staff_client, staff_admin):
    round_ = make_round(staff_admin, open_now=False)
    response = staff_client.post(
        reverse("members-staff:round-transition", args=[round_.pk, "open"])
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    assert Scheme.objects.get(pk=round_.scheme_id).locked_at is not None
    again = staff_client.post(
        reverse("members-staff:round-transition", args=[round_.pk, "open"]), follow=True
    )
    assert "This round is open, so you cannot do that now." in again.content.decode()


def test_unknown_round_action_is_not_found(staff_client, staff_admin):
    round_ = make_round(staff_admin, open_now=False)
    for action in ("start_review", "nonsense"):
        url = reverse("members-staff:round-transition", args=[round_.pk, action])
        assert staff_client.post(url).status_code == 404


def test_round_list_queries_do_not_grow(staff_client, staff_admin):
    make_round(staff_admin)
    url = reverse("members-staff:round-list")
    assert_constant_queries(
        lambda: staff_client.get(url),
        lambda n: [make_round(staff_admin, name=f"Round {i}") for i in range(n)],
        many=4,
    )


def test_open_the_round_asks_first_and_says_what_locking_means(staff_client, staff_admin):
    round_ = make_round(staff_admin, open_now=False)
    page = staff_client.get(
        reverse("members-staff:round-detail", args=[round_.pk])
    ).content.decode()
    confirm = reverse("members-staff:round-confirm", args=[round_.pk, "open"])
    # The round's page links to the confirmation; it has no one-click form that opens it.
    assert f'href="{confirm}"' in page
    assert (
        f'action="{reverse("members-staff:round-transition", args=[round_.pk, "open"])}"'
        not in page
    )
    response = staff_client.get(confirm)
    text = " ".join(response.content.decode().split())
    assert "Opening locks the criteria and the scoring scale" in text
    assert "its criteria and scoring scale cannot be changed" in text
    assert "Commitment to collaborative improvement (250 words at most)" in text
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT
    assert Scheme.objects.get(pk=round_.scheme_id).locked_at is None
    # The confirmation's button posts to the move.
    action = reverse("members-staff:round-transition", args=[round_.pk, "open"])
    assert f'action="{action}"' in text
    staff_client.post(action)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    assert Scheme.objects.get(pk=round_.scheme_id).locked_at is not None
    again = " ".join(staff_client.get(confirm).content.decode().split())
    assert "This round is open, so you cannot do that now." in again
    assert f'action="{action}"' not in again


def test_close_the_round_asks_first(staff_client, staff_admin):
    round_ = make_round(staff_admin)
    confirm = reverse("members-staff:round-confirm", args=[round_.pk, "close"])
    page = staff_client.get(
        reverse("members-staff:round-detail", args=[round_.pk])
    ).content.decode()
    assert f'href="{confirm}"' in page
    text = " ".join(staff_client.get(confirm).content.decode().split())
    assert "Closing it now stops anyone submitting an application" in text
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


@pytest.mark.parametrize("action", ["start_review", "mark_decided", "nonsense"])
def test_confirmation_of_other_moves_is_not_found(staff_client, staff_admin, action):
    round_ = make_round(staff_admin, open_now=False)
    url = reverse("members-staff:round-confirm", args=[round_.pk, action])
    assert staff_client.get(url).status_code == 404
