"""Edit windows held by the server (issue 13 point 3): a proposal's team changes its answers,
team, plan and attachments, and turns an idea into a proposal, only while the proposal is an
idea or a proposal and the round still takes full proposals. Every edit URL is tried, as GET
and as POST, against every stage and time; a refusal shows its reason and changes nothing.
Withdrawing follows its own rule (any time before a decision); a funded team still keeps its
plan's steps up to date."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from exchange.proposals.enums import Stage, TeamRole
from exchange.proposals.models import (
    Attachment,
    ContributionPoint,
    Proposal,
    ProposalEdit,
    SectionAnswer,
    TeamMember,
    TimelineItem,
)
from exchange.proposals.rules import proposal_edit_window
from exchange.proposals.services import (
    attachment_add,
    attachment_remove,
    contributions_set,
    proposal_transition,
    proposal_update,
    team_invitation_accept,
    team_invite,
    team_member_add,
    team_member_remove,
    team_name_set,
    timeline_item_add,
    timeline_item_remove,
)
from exchange.rounds.models import Round
from exchange.rounds.services import ExchangeError
from tests.exchange.proposals.helpers import MINIMAL_PDF, idea, member, upload

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)

# state: (stage, whether the round's proposal deadline has passed)
STATES = {
    "idea_open": (Stage.IDEA, False),
    "idea_after_ideas_close": (Stage.IDEA, True),
    "proposal_open": (Stage.PROPOSAL, False),
    "proposal_after_proposals_close": (Stage.PROPOSAL, True),
    "shortlisted": (Stage.SHORTLISTED, True),
    "funded": (Stage.FUNDED, True),
    "not_funded": (Stage.NOT_FUNDED, True),
    "withdrawn": (Stage.WITHDRAWN, False),
}
OPEN_STATES = {"idea_open", "proposal_open"}
REASONS = {
    "idea_after_ideas_close": "so this idea can no longer be changed",
    "proposal_after_proposals_close": "so this proposal can no longer be changed",
    "shortlisted": "This proposal has been shortlisted, so it can no longer be changed.",
    "funded": "This proposal has been funded, so its answers, team and attachments can no",
    "not_funded": "This proposal was not funded, so it can no longer be changed.",
    "withdrawn": "was withdrawn, so it can no longer be changed.",
}


def url(name, proposal):
    return reverse(f"exchange:{name}", kwargs={"slug": proposal.slug})


def proposal_in(state: str):
    """A proposal with something in every part (answers, a co-author, a named person, points,
    a step, a file, a pending invitation), then moved to `state`."""
    stage, closed = STATES[state]
    proposal = idea()
    lead = proposal.lead
    co_author, invitee = member(full_name="Cora Author"), member(full_name="Ivy Invitee")
    team_member_add(actor=lead, proposal=proposal, user=co_author, co_author=True)
    team_invitation_accept(actor=co_author, member=proposal.team.get(user=co_author))
    team_member_add(actor=lead, proposal=proposal, user=invitee, co_author=True)
    team_member_add(actor=lead, proposal=proposal, name="Pat Partner", role_line="Carer")
    contributions_set(actor=lead, proposal=proposal, points=["Share your rota"])
    timeline_item_add(actor=lead, proposal=proposal, on=dt.date(2030, 1, 6), title="Start")
    attachment_add(actor=lead, proposal=proposal, upload=upload("plan.pdf", MINIMAL_PDF))
    sections = list(proposal.round.sections.all())
    proposal_update(
        actor=lead,
        proposal=proposal,
        title=proposal.title,
        summary=proposal.summary,
        theme=proposal.theme,
        answers={s.pk: f"Answer {s.pk}" for s in sections},
    )
    now = timezone.now()
    if stage != Stage.IDEA:
        fields = {"stage": stage, "developed_at": now}
        if stage in (Stage.SHORTLISTED, Stage.FUNDED, Stage.NOT_FUNDED):
            fields["decided_at"] = now
        if stage == Stage.WITHDRAWN:
            fields["withdrawn_at"] = now
        Proposal.objects.filter(pk=proposal.pk).update(**fields)
    if closed:
        Round.objects.filter(pk=proposal.round_id).update(
            proposals_close_at=now - DAY, comments_close_at=now - DAY, voting_opens_at=now - DAY
        )
    return Proposal.objects.get(pk=proposal.pk)


def snapshot(proposal) -> dict:
    """Everything the team can change, as plain values."""
    row = Proposal.objects.values(
        "title", "summary", "theme_id", "stage", "lead_id", "team_name", "updated_at",
        "amount_requested", "regions", "developed_at", "withdrawn_at",
    ).get(pk=proposal.pk)  # fmt: skip
    return {
        "proposal": row,
        "team": sorted(
            TeamMember.objects.filter(proposal=proposal).values_list(
                "pk", "user_id", "name", "role", "role_line", "accepted_at"
            )
        ),
        "answers": sorted(
            SectionAnswer.objects.filter(proposal=proposal).values_list("pk", "text")
        ),
        "points": sorted(
            ContributionPoint.objects.filter(proposal=proposal).values_list("pk", "text")
        ),
        "steps": sorted(
            TimelineItem.objects.filter(proposal=proposal).values_list("pk", "on", "title")
        ),
        "files": sorted(Attachment.objects.filter(proposal=proposal).values_list("pk", "token")),
        "edits": ProposalEdit.objects.filter(proposal=proposal).count(),
    }


def edit_post(proposal):
    data = {
        "title": "A changed title",
        "summary": "A changed summary.",
        "theme": str(proposal.theme_id),
        "amount_requested": "100",
    }
    for section in proposal.round.sections.all():
        data[f"answer_{section.pk}"] = "A changed answer"
    return data


def post_for(action: str, proposal):
    """(page, POST data, files) of each change the team's pages offer."""
    named = next(m for m in proposal.team.all() if m.name == "Pat Partner")
    step = proposal.timeline.first()
    attachment = proposal.attachments.first()
    return {
        "edit": ("proposal-edit", edit_post(proposal), None),
        "team_invite": (
            "proposal-team",
            {
                "action": "invite",
                "email": member().email,
                "invite_role_line": "",
                "co_author": "yes",
            },
            None,
        ),
        "team_named": (
            "proposal-team",
            {"action": "named", "name": "Noor Named", "role_line": "Patient partner"},
            None,
        ),
        "team_name": ("proposal-team", {"action": "team_name", "team_name": "#Renamed"}, None),
        "team_remove": ("proposal-team", {"action": "remove", "member": str(named.pk)}, None),
        "plan_points": ("proposal-plan", {"action": "points", "points": "Something new"}, None),
        "plan_add": (
            "proposal-plan",
            {
                "action": "add",
                "title": "Another",
                "on-day": "1",
                "on-month": "2",
                "on-year": "2031",
            },
            None,
        ),
        "plan_remove": ("proposal-plan", {"action": "remove", "item": str(step.pk)}, None),
        "attachments_add": (
            "proposal-attachments",
            {"action": "upload", "title": "More", "file": upload("more.pdf", MINIMAL_PDF)},
            None,
        ),
        "attachments_remove": (
            "proposal-attachments",
            {"action": "remove", "token": attachment.token},
            None,
        ),
        "develop": ("proposal-develop", {}, None),
    }[action]


EDIT_PAGES = ("proposal-edit", "proposal-team", "proposal-attachments", "proposal-develop")
CHANGES = (
    "edit",
    "team_invite",
    "team_named",
    "team_name",
    "team_remove",
    "plan_points",
    "plan_add",
    "plan_remove",
    "attachments_add",
    "attachments_remove",
    "develop",
)


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("page", EDIT_PAGES)
def test_get_of_every_edit_page_against_every_stage_and_time(client, state, page):
    proposal = proposal_in(state)
    client.force_login(proposal.lead)
    response = client.get(url(page, proposal))
    if state in OPEN_STATES:
        if page == "proposal-develop" and proposal.stage == Stage.PROPOSAL:
            assert response.status_code == 302  # already a proposal
        else:
            assert response.status_code == 200
        return
    assert response.status_code == 302
    assert response["Location"] == url("proposal-detail", proposal)
    assert REASONS[state] in messages_of(response)
    # The proposal page shows the reason, not the links that would be refused.
    html = client.get(url("proposal-detail", proposal)).content.decode()
    assert REASONS[state] in html
    for link in ("proposal-edit", "proposal-team", "proposal-attachments", "proposal-develop"):
        assert f'href="{url(link, proposal)}"' not in html, link


@pytest.mark.parametrize("state", STATES)
def test_get_of_the_plan_page_is_read_only_when_closed(client, state):
    proposal = proposal_in(state)
    client.force_login(proposal.lead)
    response = client.get(url("proposal-plan", proposal))
    html = response.content.decode()
    assert response.status_code == 200
    if state in OPEN_STATES:
        for action in ("points", "add", "remove"):
            assert f'value="{action}"' in html
        return
    if state == "funded":
        assert "Keep the plan up to date as the project goes" in html
    else:
        assert REASONS[state] in html
    assert 'value="points"' not in html
    assert 'value="add"' not in html
    assert 'value="remove"' not in html
    assert url("proposal-team", proposal) not in html
    assert url("proposal-attachments", proposal) not in html
    assert url("proposal-edit", proposal) not in html
    # A funded team keeps its steps up to date; nobody else changes them.
    assert ('value="change"' in html) == (state == "funded")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("change", CHANGES)
def test_post_of_every_change_against_every_stage_and_time(client, state, change):
    proposal = proposal_in(state)
    client.force_login(proposal.lead)
    page, data, _ = post_for(change, proposal)
    before = snapshot(proposal)
    response = client.post(url(page, proposal), data)
    after = snapshot(proposal)
    if state in OPEN_STATES:
        if change == "develop" and proposal.stage == Stage.PROPOSAL:
            assert after == before  # already a proposal
        else:
            assert response.status_code == 302, response.content.decode()[:3000]
            assert after != before, change
        return
    assert after == before, change
    if response.status_code == 302:
        assert REASONS[state] in messages_of(response)
    else:
        assert response.status_code == 200
        assert REASONS[state] in response.content.decode()


@pytest.mark.parametrize("state", STATES)
def test_accepting_an_invitation_only_while_open_and_declining_always(client, state):
    proposal = proposal_in(state)
    invitee = proposal.team.get(user__full_name="Ivy Invitee").user
    client.force_login(invitee)
    accept = url("team-accept", proposal)
    page = client.get(accept)
    assert page.status_code == 200
    html = page.content.decode()
    before = snapshot(proposal)
    response = client.post(accept, {"action": "accept"})
    if state in OPEN_STATES:
        assert "Accept the invitation" in html
        assert proposal.team.get(user=invitee).accepted_at is not None
        return
    assert "Accept the invitation" not in html
    assert REASONS[state] in html
    assert snapshot(proposal) == before
    assert REASONS[state] in messages_of(response)
    client.post(accept, {"action": "decline"})
    assert not proposal.team.filter(user=invitee).exists()


@pytest.mark.parametrize("state", STATES)
def test_a_team_member_can_always_leave(client, state):
    proposal = proposal_in(state)
    co_author = proposal.team.get(role=TeamRole.CO_AUTHOR, accepted_at__isnull=False).user
    team_member_remove(actor=co_author, member=proposal.team.get(user=co_author))
    assert not proposal.team.filter(user=co_author).exists()


@pytest.mark.parametrize("state", STATES)
def test_withdraw_is_open_until_a_decision_whatever_the_dates(client, state):
    proposal = proposal_in(state)
    client.force_login(proposal.lead)
    withdraw = url("proposal-withdraw", proposal)
    allowed = STATES[state][0] in (Stage.IDEA, Stage.PROPOSAL, Stage.SHORTLISTED)
    page = client.get(withdraw)
    assert page.status_code == (200 if allowed else 302)
    before = snapshot(proposal)
    client.post(withdraw, {"reason": ""})
    stage = Proposal.objects.get(pk=proposal.pk).stage
    if allowed:
        assert stage == Stage.WITHDRAWN
    else:
        assert snapshot(proposal) == before
    detail = client.get(url("proposal-detail", Proposal.objects.get(pk=proposal.pk)))
    assert (f'href="{withdraw}"' in detail.content.decode()) == (
        allowed and stage != Stage.WITHDRAWN
    )


@pytest.mark.parametrize("state", sorted(set(STATES) - OPEN_STATES))
def test_every_edit_service_refuses_with_the_reason(state):
    proposal = proposal_in(state)
    lead = proposal.lead
    step = proposal.timeline.first()
    attachment = proposal.attachments.first()
    named = proposal.team.get(name="Pat Partner")
    before = snapshot(proposal)
    calls = [
        lambda: proposal_update(
            actor=lead,
            proposal=proposal,
            title="New",
            summary="New.",
            theme=proposal.theme,
            answers={},
        ),
        lambda: team_member_add(actor=lead, proposal=proposal, name="Someone"),
        lambda: team_invite(actor=lead, proposal=proposal, email=member().email),
        lambda: team_name_set(actor=lead, proposal=proposal, team_name="#New"),
        lambda: team_member_remove(actor=lead, member=named),
        lambda: contributions_set(actor=lead, proposal=proposal, points=["New"]),
        lambda: timeline_item_add(actor=lead, proposal=proposal, on=dt.date(2031, 1, 1), title="X"),
        lambda: timeline_item_remove(actor=lead, item=step),
        lambda: attachment_add(actor=lead, proposal=proposal, upload=upload("a.pdf", MINIMAL_PDF)),
        lambda: attachment_remove(actor=lead, attachment=attachment),
    ]
    if proposal.stage == Stage.IDEA:
        calls.append(lambda: proposal_transition(actor=lead, proposal=proposal, action="develop"))
    for call in calls:
        with pytest.raises(ExchangeError) as raised:
            call()
        assert REASONS[state] in str(raised.value)
    assert snapshot(proposal) == before


def test_the_window_closes_at_the_deadline_to_the_second():
    proposal = idea(stage=Stage.PROPOSAL)
    closes = proposal.round.proposals_close_at
    assert proposal_edit_window(proposal, closes - dt.timedelta(seconds=1))
    window = proposal_edit_window(proposal, closes)
    assert not window
    assert "can no longer be changed" in window.reason
