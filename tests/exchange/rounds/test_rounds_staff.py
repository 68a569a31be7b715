"""Staff set up Q Exchange rounds in the site: the list, the set-up form with rows of themes and
sections added without JavaScript, changes (everything while a draft, only dates once
published, audited), and publishing after a confirmation page. Also `round_update_content`."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.rounds.models import Round
from exchange.rounds.services import (
    ROUND_DATE_FIELDS,
    ExchangeError,
    SectionSpec,
    ThemeSpec,
    round_create,
    round_publish,
    round_update_content,
)
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def round_dates(start):
    return dict(
        zip(ROUND_DATE_FIELDS, [start + n * DAY for n in (0, 30, 40, 45, 60, 75)], strict=True)
    )


def draft_round(staff, year=2040):
    return round_create(
        actor=staff, year=year, name=f"Q Exchange {year}", dates=round_dates(timezone.now()),
        funding_cap=30000, choices_per_theme=3,
        themes=[ThemeSpec("Boundaries", "How can we improve across boundaries?"),
                ThemeSpec("Equity", "How can we reduce inequalities?")],
        sections=[SectionSpec("What is the challenge?", word_limit=300, required_for_idea=True),
                  SectionSpec("How will you share learning?")],
    )  # fmt: skip


def form_data(**overrides):
    data = {
        "year": "2041",
        "name": "Q Exchange 2041",
        "introduction": "Welcome to **Q Exchange 2041**.",
        "funding_cap": "30000",
        "choices_per_theme": "2",
        "theme_rows": "2",
        "section_rows": "2",
        "theme_1_name": "Boundaries",
        "theme_1_question": "How can we improve across system boundaries?",
        "section_1_question": "What is the challenge?",
        "section_1_word_limit": "250",
        "section_1_required_for_idea": "on",
        "section_2_question": "What will you do?",
        "section_2_guidance": "Say who will take part.",
        "section_2_word_limit": "500",
    }
    for n, (name, day) in enumerate(zip(ROUND_DATE_FIELDS, (1, 2, 3, 4, 5, 6), strict=True)):
        data[f"{name}_date-day"], data[f"{name}_date-month"] = str(day), "3"
        data[f"{name}_date-year"], data[f"{name}_time"] = "2041", f"{9 + n}:00"
    data.update(overrides)
    return data


# The service -----------------------------------------------------------------------------------


def test_round_update_content_changes_a_draft_keeping_rows_by_position(staff_admin):
    round_ = draft_round(staff_admin)
    first_theme = round_.themes.get(position=1)
    round_update_content(
        actor=staff_admin, round_=round_, year=2042, name="Renamed", introduction="Hi",
        funding_cap=25000, choices_per_theme=2,
        themes=[ThemeSpec("Boundaries", "A better question?")],
        sections=[SectionSpec("One?"), SectionSpec("Two?", word_limit=100),
                  SectionSpec("Three?", required_for_idea=True)],
    )  # fmt: skip
    round_.refresh_from_db()
    assert (round_.year, round_.name, round_.funding_cap, round_.choices_per_theme) == (
        2042, "Renamed", 25000, 2,
    )  # fmt: skip
    themes = list(round_.themes.all())
    assert [(t.pk, t.question) for t in themes] == [(first_theme.pk, "A better question?")]
    assert [(s.position, s.question, s.word_limit, s.required_for_idea)
            for s in round_.sections.all()] == [
        (1, "One?", 500, False), (2, "Two?", 100, False), (3, "Three?", 500, True),
    ]  # fmt: skip
    entry = AuditEntry.objects.get(action="exchange_round.content")
    assert entry.data["changed"]["year"] == {"from": 2040, "to": 2042}


def test_round_update_content_is_refused_once_published_or_to_non_staff(staff_admin, member):
    round_ = draft_round(staff_admin)
    kwargs = {"year": 2040, "name": "X", "funding_cap": 1, "choices_per_theme": 1,
              "themes": [ThemeSpec("A", "B?")], "sections": [SectionSpec("C?")]}  # fmt: skip
    with pytest.raises(ExchangeError):
        round_update_content(actor=member, round_=round_, **kwargs)
    round_publish(actor=staff_admin, round_=round_)
    with pytest.raises(ExchangeError, match="only its dates"):
        round_update_content(actor=staff_admin, round_=round_, **kwargs)
    round_.refresh_from_db()
    assert round_.name == "Q Exchange 2040"


def test_round_update_content_checks_year_and_rows(staff_admin):
    draft_round(staff_admin, year=2050)
    round_ = draft_round(staff_admin, year=2051)
    with pytest.raises(ExchangeError) as error:
        round_update_content(
            actor=staff_admin, round_=round_, year=2050, name="X", funding_cap=1,
            choices_per_theme=0, themes=[], sections=[],
        )  # fmt: skip
    assert set(error.value.errors) == {"year", "themes", "sections", "choices_per_theme"}


def test_removing_a_theme_that_proposals_use_is_refused(staff_admin, member):
    round_ = make_exchange_round(themes=2)
    Round.objects.filter(pk=round_.pk).update(published_at=None)
    round_.refresh_from_db()
    make_proposal(round_, lead=member, theme=round_.themes.get(position=2))
    with pytest.raises(ExchangeError, match="already used"):
        round_update_content(actor=staff_admin, round_=round_, year=round_.year, name="X",
                             funding_cap=1, choices_per_theme=1, themes=[ThemeSpec("A", "B?")],
                             sections=[SectionSpec("C?")])  # fmt: skip
    assert round_.themes.count() == 2


# The pages -------------------------------------------------------------------------------------


def test_staff_set_up_a_round_with_the_form(client, staff_admin):
    client.force_login(staff_admin)
    assert client.get(reverse("exchange-staff:round-create")).status_code == 200
    response = client.post(reverse("exchange-staff:round-create"), form_data())
    round_ = Round.objects.get(year=2041)
    assert response.status_code == 302
    assert response["Location"] == reverse("exchange-staff:round-edit", args=[round_.pk])
    assert round_.published_at is None
    assert round_.introduction == "Welcome to **Q Exchange 2041**."
    assert round_.opens_at == dt.datetime(2041, 3, 1, 9, 0, tzinfo=dt.UTC)  # GMT in March
    assert round_.decisions_at == dt.datetime(2041, 3, 6, 14, 0, tzinfo=dt.UTC)
    assert [t.name for t in round_.themes.all()] == ["Boundaries"]  # the blank row is ignored
    assert [(s.question, s.word_limit, s.required_for_idea, s.guidance)
            for s in round_.sections.all()] == [
        ("What is the challenge?", 250, True, ""),
        ("What will you do?", 500, False, "Say who will take part."),
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action="exchange_round.create").count() == 1


def test_add_another_row_posts_back_keeping_what_was_typed(client, staff_admin):
    client.force_login(staff_admin)
    data = form_data(add="theme", theme_2_name="Equity typed")
    response = client.post(reverse("exchange-staff:round-create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Round.objects.exists()
    assert 'name="theme_3_name"' in html
    assert 'name="theme_4_name"' not in html
    assert "Equity typed" in html
    assert "What will you do?" in html
    assert "There is a problem" not in html  # nothing was submitted yet
    response = client.post(reverse("exchange-staff:round-create"), data | {"add": "section"})
    assert 'name="section_3_question"' in response.content.decode()


def test_the_form_shows_every_problem_and_keeps_what_was_typed(client, staff_admin):
    client.force_login(staff_admin)
    data = form_data(
        name="",
        theme_1_question="",
        section_1_word_limit="",
        section_2_question="",
        **{"decisions_at_date-day": "1", "voting_closes_at_time": "25:99"},
    )
    html = client.post(reverse("exchange-staff:round-create"), data).content.decode()
    assert "There is a problem" in html
    for message in ("Enter a name for the round", "Enter the question of theme 1",
                    "Enter the word limit of section 1", "Enter the question of section 2",
                    "Enter a real time"):  # fmt: skip
        assert message in html, message
    assert "Say who will take part." in html
    assert not Round.objects.exists()
    # Dates out of order come back from the service on the right field.
    html = client.post(
        reverse("exchange-staff:round-create"), form_data(**{"decisions_at_date-day": "1"})
    ).content.decode()
    assert "Decisions must come after voting closes" in html
    assert not Round.objects.exists()


def test_a_draft_can_change_everything(client, staff_admin):
    round_ = draft_round(staff_admin)
    client.force_login(staff_admin)
    url = reverse("exchange-staff:round-edit", args=[round_.pk])
    html = client.get(url).content.decode()
    assert "How can we improve across boundaries?" in html
    assert 'name="theme_3_name"' in html  # one blank row after the round's two
    response = client.post(url, form_data(year="2040", theme_rows="3", section_rows="3"))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.name == "Q Exchange 2041"
    assert [t.name for t in round_.themes.all()] == ["Boundaries"]
    assert round_.sections.count() == 2


def test_a_published_round_changes_its_name_introduction_and_dates_audited(client, staff_admin):
    round_ = draft_round(staff_admin)
    round_publish(actor=staff_admin, round_=round_)
    client.force_login(staff_admin)
    url = reverse("exchange-staff:round-edit", args=[round_.pk])
    html = client.get(url).content.decode()
    assert "only its name, introduction and dates can change" in html
    assert "Add another theme" not in html
    data = form_data(name="Renamed", introduction="Voting has closed.")
    for name in ("year", "funding_cap", "choices_per_theme", "theme_1_name", "theme_1_question",
                 "section_1_question", "section_1_word_limit", "section_1_required_for_idea",
                 "section_2_question", "section_2_guidance", "section_2_word_limit"):  # fmt: skip
        data.pop(name)  # disabled: the browser does not send them
    response = client.post(url, data)
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.name == "Renamed"
    assert round_.introduction == "Voting has closed."
    assert [t.name for t in round_.themes.all()] == ["Boundaries", "Equity"]
    assert round_.opens_at == dt.datetime(2041, 3, 1, 9, 0, tzinfo=dt.UTC)
    assert AuditEntry.objects.filter(action="exchange_round.dates").count() == 1
    assert AuditEntry.objects.filter(action="exchange_round.text").count() == 1
    assert not AuditEntry.objects.filter(action="exchange_round.content").exists()


def test_publishing_asks_first(client, staff_admin):
    round_ = draft_round(staff_admin)
    client.force_login(staff_admin)
    url = reverse("exchange-staff:round-publish", args=[round_.pk])
    html = client.get(url).content.decode()
    assert f"Publish {round_.name}?" in html
    assert "Boundaries, Equity" in html
    round_.refresh_from_db()
    assert round_.published_at is None
    response = client.post(url)
    assert response["Location"] == reverse("exchange-staff:round-list")
    round_.refresh_from_db()
    assert round_.published_at is not None
    assert f"{round_.name} is published" in client.get(url).content.decode()
    client.post(url)  # a second press changes nothing
    assert AuditEntry.objects.filter(action="exchange_round.publish").count() == 1


def test_staff_pages_are_not_found_for_members(client, member, staff_admin):
    round_ = draft_round(staff_admin)
    client.force_login(member)
    for url in (reverse("exchange-staff:round-list"), reverse("exchange-staff:round-create"),
                reverse("exchange-staff:round-edit", args=[round_.pk]),
                reverse("exchange-staff:round-publish", args=[round_.pk])):  # fmt: skip
        assert client.get(url).status_code == 404
    assert client.post(reverse("exchange-staff:round-publish", args=[round_.pk])).status_code == 404
    round_.refresh_from_db()
    assert round_.published_at is None


def test_the_staff_list_costs_the_same_queries_with_1_and_50_rounds(client, staff_admin):
    round_ = draft_round(staff_admin)
    make_proposal(make_exchange_round(), lead=UserFactory(roles=[Role.MEMBER]))
    client.force_login(staff_admin)
    assert round_.name in client.get(reverse("exchange-staff:round-list")).content.decode()

    def add(n):
        lead = UserFactory(roles=[Role.MEMBER])
        for _ in range(n):
            make_proposal(make_exchange_round(), lead=lead)

    assert_constant_queries(lambda: client.get(reverse("exchange-staff:round-list")), add, many=20)


def test_the_first_theme_and_section_are_required(client, staff_admin):
    client.force_login(staff_admin)
    data = form_data(theme_1_name="", theme_1_question="", section_1_question="",
                     section_1_word_limit="", section_1_required_for_idea="")  # fmt: skip
    html = client.post(reverse("exchange-staff:round-create"), data).content.decode()
    messages = ("Enter a short name for theme 1", "Enter the question of theme 1",
                "Enter the question of section 1", "Enter the word limit of section 1")  # fmt: skip
    for message in messages:
        assert html.count(message) == 2, message  # in the summary and at the field, once each
    assert "Theme 1: short name (optional)" not in html
    assert "Theme 2: short name (optional)" in html
    assert not Round.objects.exists()
