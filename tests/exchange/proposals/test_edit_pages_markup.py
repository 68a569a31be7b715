"""The team's pages show their Remove buttons as buttons (issue 13 point 4): the words for
screen readers are real visually-hidden markup, never tags shown as text."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from exchange.proposals.services import attachment_add, team_member_add, timeline_item_add
from tests.exchange.proposals.helpers import MINIMAL_PDF, idea, upload

pytestmark = pytest.mark.django_db

ESCAPED = ("&lt;span", "&lt;a ", "&lt;strong", "&lt;/span")


@pytest.mark.parametrize(
    ("page", "hidden"),
    [
        ("proposal-team", "Pat &lt;Partner&gt;"),
        ("proposal-plan", "Kick &lt;off&gt;"),
        ("proposal-attachments", "Plan &lt;on a page&gt;"),
    ],
)
def test_remove_buttons_are_real_markup_with_the_name_escaped(client, page, hidden):
    proposal = idea()
    lead = proposal.lead
    team_member_add(actor=lead, proposal=proposal, name="Pat <Partner>", role_line="Carer")
    timeline_item_add(actor=lead, proposal=proposal, on=dt.date(2030, 1, 6), title="Kick <off>")
    attachment_add(
        actor=lead,
        proposal=proposal,
        upload=upload("plan.pdf", MINIMAL_PDF),
        title="Plan <on a page>",
    )
    client.force_login(lead)
    html = client.get(reverse(f"exchange:{page}", kwargs={"slug": proposal.slug})).content.decode()
    for escaped in ESCAPED:
        assert escaped not in html, escaped
    buttons = re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)
    removes = [" ".join(b.split()) for b in buttons if "Remove" in b]
    assert removes == [f'Remove<span class="nhsuk-u-visually-hidden"> {hidden}</span>'], buttons


def test_a_funded_plan_names_each_step_in_its_update_link_as_real_markup(client):
    from django.utils import timezone

    from exchange.proposals.enums import Stage
    from exchange.proposals.models import Proposal

    proposal = idea()
    timeline_item_add(
        actor=proposal.lead, proposal=proposal, on=dt.date(2030, 1, 6), title="Kick <off>"
    )
    Proposal.objects.filter(pk=proposal.pk).update(
        stage=Stage.FUNDED, developed_at=timezone.now(), decided_at=timezone.now()
    )
    client.force_login(proposal.lead)
    html = client.get(
        reverse("exchange:proposal-plan", kwargs={"slug": proposal.slug})
    ).content.decode()
    for escaped in ESCAPED:
        assert escaped not in html, escaped
    assert 'Update<span class="nhsuk-u-visually-hidden"> Kick &lt;off&gt;</span>' in html
