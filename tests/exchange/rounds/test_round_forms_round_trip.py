"""Every field of the staff's Exchange round form round-trips: a changed value is posted, the
page is loaded again, and the form shows the new value. A draft round changes in every part
(year, name, introduction, dates and times, funding cap, ballot rule, theme and section rows);
a published round in its name, introduction and dates, and shows the rest read-only with the
reason, refusing (not dropping) a posted change to it. Publishing round-trips too."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from exchange.rounds.services import round_publish
from tests.exchange.rounds.test_rounds_staff import draft_round

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """name -> value of a page's inputs and textareas (checkboxes: "on" when ticked, else
    absent), and the names of disabled controls."""

    def __init__(self, html: str):
        super().__init__()
        self.values: dict[str, str] = {}
        self.disabled: set[str] = set()
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if not name:
            return
        if "disabled" in a:
            self.disabled.add(name)
        if tag == "input":
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            elif a.get("type") not in ("submit", "hidden") or name.endswith("_rows"):
                self.values[name] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def edit_url(round_) -> str:
    return reverse("exchange-staff:round-edit", args=[round_.pk])


def page_values(client, round_) -> FormValues:
    response = client.get(edit_url(round_))
    assert response.status_code == 200
    return FormValues(response.content.decode())


def changed_everything(current: dict[str, str]) -> dict[str, str]:
    """Every field of the form given a new value."""
    data = dict(current)
    data.update(
        {
            "year": "2043",
            "name": "Q Exchange 2043 (renamed)",
            "introduction": "Voting has closed. Thank you to everyone who voted.",
            "funding_cap": "45000",
            "choices_per_theme": "1",
            "theme_1_name": "Systems",
            "theme_1_question": "How can we improve across systems?",
            "theme_1_description": "Between *health* and social care.",
            "theme_2_name": "Fairness",
            "theme_2_question": "How can we reduce unfair differences?",
            "theme_2_description": "Access and outcomes.",
            "section_1_question": "What problem will you tackle?",
            "section_1_guidance": "Describe who it affects.",
            "section_1_word_limit": "275",
            "section_2_question": "How will others learn from it?",
            "section_2_guidance": "Name the people you will share with.",
            "section_2_word_limit": "425",
            "section_2_required_for_idea": "on",
        }
    )
    data.pop("section_1_required_for_idea", None)  # ticked before: untick it
    for n, name in enumerate(
        ("opens_at", "proposals_close_at", "comments_close_at", "voting_opens_at",
         "voting_closes_at", "decisions_at")
    ):  # fmt: skip
        data[f"{name}_date-day"] = str(10 + n)
        data[f"{name}_date-month"] = "4"
        data[f"{name}_date-year"] = "2043"
        data[f"{name}_time"] = f"{10 + n}:30"
    return data


def test_every_field_of_a_draft_round_round_trips(client, staff_admin):
    round_ = draft_round(staff_admin)
    client.force_login(staff_admin)
    before = page_values(client, round_)
    assert not before.disabled
    data = changed_everything(before.values)
    assert {k for k in data if data[k] != before.values.get(k)} >= {
        "year", "introduction", "funding_cap", "choices_per_theme", "theme_1_description",
        "section_2_required_for_idea", "decisions_at_time",
    }  # fmt: skip

    response = client.post(edit_url(round_), data, follow=True)

    assert "Your changes have been saved" in response.content.decode()
    after = page_values(client, round_)
    for name, value in data.items():
        if name.startswith(("theme_3", "section_3")) or name.endswith("_rows"):
            continue  # the blank rows offered after the round's own
        assert after.values.get(name) == value, name
    assert "section_1_required_for_idea" not in after.values
    round_.refresh_from_db()
    assert round_.decisions_at == dt.datetime(2043, 4, 15, 14, 30, tzinfo=dt.UTC)  # BST


def test_a_published_rounds_name_introduction_and_dates_round_trip(client, staff_admin):
    round_ = draft_round(staff_admin)
    round_publish(actor=staff_admin, round_=round_)
    client.force_login(staff_admin)
    before = page_values(client, round_)
    editable = {"name", "introduction"} | {
        n for n in before.values if n.endswith(("_date-day", "_date-month", "_date-year", "_time"))
    }
    # Everything else is shown disabled, so the browser offers no change it would drop.
    assert before.disabled == set(before.values) - editable - {"theme_rows", "section_rows"} | (
        {"section_2_required_for_idea"}
    )
    data = {k: v for k, v in changed_everything(before.values).items() if k in editable}
    data.update(theme_rows=before.values["theme_rows"], section_rows=before.values["section_rows"])

    response = client.post(edit_url(round_), data, follow=True)

    html = response.content.decode()
    assert "Your changes have been saved" in html
    after = page_values(client, round_)
    for name in editable:
        assert after.values.get(name) == data[name], name
    assert after.values["funding_cap"] == before.values["funding_cap"]
    assert "This cannot change once the round is published." in html
    page = client.get(reverse("exchange:round-detail", kwargs={"year": round_.year}))
    assert "Thank you to everyone who voted." in page.content.decode()


def test_a_published_round_refuses_a_posted_change_to_a_read_only_field(client, staff_admin):
    """An old page or a crafted post: the change is not silently dropped under "saved"."""
    round_ = draft_round(staff_admin)
    round_publish(actor=staff_admin, round_=round_)
    client.force_login(staff_admin)
    before = page_values(client, round_)
    data = dict(before.values, funding_cap="99000", theme_1_name="Changed", name="New name")

    response = client.post(edit_url(round_), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your changes have been saved" not in html
    assert "Nothing was saved" in html
    assert "most one project can receive, in pounds" in html
    round_.refresh_from_db()
    assert round_.funding_cap == 30000
    assert round_.name == "Q Exchange 2040"
    assert [t.name for t in round_.themes.all()] == ["Boundaries", "Equity"]


def test_publishing_round_trips(client, staff_admin):
    round_ = draft_round(staff_admin)
    client.force_login(staff_admin)
    assert "This round is a draft" in client.get(edit_url(round_)).content.decode()
    client.post(reverse("exchange-staff:round-publish", args=[round_.pk]))
    html = client.get(edit_url(round_)).content.decode()
    assert "This round is a draft" not in html
    assert "This round is published" in html
