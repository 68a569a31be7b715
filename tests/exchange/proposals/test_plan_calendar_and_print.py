"""The plan as an iCalendar file (all-day events, escaping, folding, a UID per step, dropped
steps cancelled) and the print-friendly page (everything on the proposal, no navigation)."""

import datetime as dt

import pytest
from django.urls import reverse

from exchange.proposals.enums import TimelineStatus
from exchange.proposals.ical import ical_escape, ical_fold, plan_ical
from exchange.proposals.models import SectionAnswer, TimelineItem
from exchange.proposals.services import contributions_set, team_member_add
from exchange.rounds.models import Round
from tests.exchange.proposals.helpers import idea, member
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_escaping_and_folding_follow_rfc_5545():
    assert ical_escape("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    line = "SUMMARY:" + "é" * 100  # two octets each: folding must not split one
    folded = ical_fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p.removeprefix(" ") if i else p for i, p in enumerate(parts)) == line
    assert ical_fold("SHORT:x") == "SHORT:x"


def test_the_plan_download(client):
    proposal = idea()
    proposal.title = "Peer support, for wards; a pilot"
    proposal.save()
    step = TimelineItem.objects.create(
        proposal=proposal, on=dt.date(2027, 2, 3), title="Kick-off; all wards, together"
    )
    dropped = TimelineItem.objects.create(
        proposal=proposal,
        on=dt.date(2027, 4, 1),
        title="Survey",
        status=TimelineStatus.DROPPED,
        change_reason="Merged with the interviews",
    )
    response = client.get(reverse("exchange:proposal-plan-ics", kwargs={"slug": proposal.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{proposal.slug}-plan.ics"'
    text = response.content.decode()
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = unfold(text)
    assert lines[:3] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Q Community//Q Exchange plan//EN",
    ]
    assert lines.count("BEGIN:VEVENT") == 2
    assert f"UID:exchange-timeline-{step.pk}@127.0.0.1" in lines
    assert f"UID:exchange-timeline-{dropped.pk}@127.0.0.1" in lines
    assert "DTSTART;VALUE=DATE:20270203" in lines
    assert "DTEND;VALUE=DATE:20270204" in lines
    assert "SUMMARY:Kick-off\\; all wards\\, together" in lines
    assert "X-WR-CALNAME:Peer support\\, for wards\\; a pilot" in lines
    assert "STATUS:CANCELLED" in lines
    assert any("Dropped: Merged with the interviews" in line for line in lines)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_the_plan_download_needs_a_visible_proposal(client):
    proposal = idea()
    Round.objects.filter(pk=proposal.round_id).update(published_at=None)
    client.force_login(member())
    assert (
        client.get(
            reverse("exchange:proposal-plan-ics", kwargs={"slug": proposal.slug})
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("exchange:proposal-print", kwargs={"slug": proposal.slug})).status_code
        == 404
    )


def test_plan_ical_without_steps_is_an_empty_calendar():
    proposal = idea()
    text = plan_ical(proposal, [])
    assert "BEGIN:VEVENT" not in text
    assert text.startswith("BEGIN:VCALENDAR\r\n")


def test_the_print_view_has_everything_and_no_navigation(client):
    proposal = idea()
    team_member_add(actor=proposal.lead, proposal=proposal, name="Pat Partner", role_line="Carer")
    contributions_set(actor=proposal.lead, proposal=proposal, points=["Share your rota ideas"])
    TimelineItem.objects.create(proposal=proposal, on=dt.date(2027, 2, 3), title="Kick-off")
    for section in proposal.round.sections.all():
        SectionAnswer.objects.create(
            proposal=proposal, section=section, text=f"**Bold** {section.pk}"
        )
    proposal.amount_requested = 12000
    proposal.save()
    html = client.get(
        reverse("exchange:proposal-print", kwargs={"slug": proposal.slug})
    ).content.decode()
    for text in (
        proposal.title,
        proposal.summary,
        "Lena Lead",
        "Pat Partner",
        "Carer",
        "<strong>Bold</strong>",
        "Share your rota ideas",
        "Kick-off",
        "3 February 2027",
        "£12,000 of up to £30,000",
        "exchange-print.css",
        "Theme 1",
    ):
        assert text in html, text
    assert "nhsuk-header" not in html
    assert "nhsuk-footer" not in html
    assert "Skip to main content" not in html


def test_print_view_queries_do_not_grow(client):
    proposal = idea()
    url = reverse("exchange:proposal-print", kwargs={"slug": proposal.slug})

    def add(n):
        for i in range(n):
            TimelineItem.objects.create(
                proposal=proposal, on=dt.date(2027, 1, 1 + i), title=f"S{i}"
            )
            team_member_add(actor=proposal.lead, proposal=proposal, user=member())

    assert_constant_queries(lambda: client.get(url), add, many=5)
