"""Teams (issue 13 point 6): the two add buttons say what each does, and the lead hands the
lead role to another team member, who confirms it. Through the pages: the pending handover is
shown to both, the proposed lead accepts or declines, the old lead can cancel; each step is
audited and emailed; offering and accepting respect the edit window."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from exchange.proposals.enums import Stage, TeamRole
from exchange.proposals.models import Proposal
from exchange.proposals.services import lead_handover_offer, team_invitation_accept, team_member_add
from exchange.rounds.models import Round
from exchange.rounds.services import ExchangeError
from qcommunity.audit.models import AuditEntry
from qcommunity.outbox.models import OutboxEmail
from tests.exchange.proposals.helpers import idea, member
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def url(name, proposal):
    return reverse(f"exchange:{name}", kwargs={"slug": proposal.slug})


def text(response) -> str:
    return " ".join(response.content.decode().split())


def team_with_co_author(stage=Stage.IDEA):
    proposal = idea(stage=stage)
    co_author = member(full_name="Cara Colleague")
    invited = team_member_add(
        actor=proposal.lead, proposal=proposal, user=co_author, co_author=True
    )
    team_invitation_accept(actor=co_author, member=invited)
    return proposal, co_author, invited


def close_the_round(proposal):
    now = timezone.now()
    Round.objects.filter(pk=proposal.round_id).update(
        proposals_close_at=now - dt.timedelta(days=1),
        comments_close_at=now - dt.timedelta(days=1),
        voting_opens_at=now - dt.timedelta(days=1),
    )


def test_the_two_add_buttons_say_what_each_does(client):
    proposal = idea()
    client.force_login(proposal.lead)
    html = client.get(url("proposal-team", proposal)).content.decode()
    assert "Add them to the team" not in html
    assert html.count("Add this member of Q") == 1
    assert html.count("Add this person by name") == 1


def test_the_lead_hands_over_and_the_new_lead_accepts(client):
    proposal, co_author, invited = team_with_co_author()
    old_lead = proposal.lead
    client.force_login(old_lead)
    team_page = text(client.get(url("proposal-team", proposal)))
    assert "Hand the lead to someone else in the team" in team_page
    handover = url("lead-handover", proposal)
    page = text(client.get(handover))
    assert "Cara Colleague" in page
    response = client.post(handover, {"action": "offer", "member": str(invited.pk)})
    assert response["Location"] == url("proposal-team", proposal)
    assert "We have asked Cara Colleague to take over as lead" in " ".join(
        str(m) for m in get_messages(response.wsgi_request)
    )
    proposal.refresh_from_db()
    assert proposal.lead == old_lead  # nothing changes until they accept
    assert proposal.lead_offered_to == co_author
    offer = OutboxEmail.objects.get(kind="exchange_lead_handover_offer")
    assert offer.recipient == co_author.email
    assert handover in offer.body_text
    assert AuditEntry.objects.filter(action="exchange_proposal.lead_offer").count() == 1
    # Shown to both.
    assert "You have asked Cara Colleague to take over as lead" in text(
        client.get(url("proposal-detail", proposal))
    )
    assert "You have asked Cara Colleague to take over as lead" in text(
        client.get(url("proposal-team", proposal))
    )
    client.force_login(co_author)
    detail = text(client.get(url("proposal-detail", proposal)))
    assert "Lena Lead has asked you to take over as lead" in detail
    assert f'href="{handover}"' in client.get(url("proposal-detail", proposal)).content.decode()
    page = text(client.get(handover))
    assert "Accept and become the lead" in page
    response = client.post(handover, {"action": "accept"})
    assert response["Location"] == url("proposal-detail", proposal)
    proposal.refresh_from_db()
    assert proposal.lead == co_author
    assert proposal.lead_offered_to is None
    roles = dict(proposal.team.values_list("user_id", "role"))
    assert roles == {co_author.pk: TeamRole.LEAD, old_lead.pk: TeamRole.CO_AUTHOR}
    entry = AuditEntry.objects.get(action="exchange_proposal.lead_handover")
    assert entry.data == {"from": old_lead.pk, "to": co_author.pk}
    accepted = OutboxEmail.objects.get(kind="exchange_lead_handover_accepted")
    assert accepted.recipient == old_lead.email
    assert "Cara Colleague" in accepted.subject
    # The old lead stays a co-author and can still edit; the new lead leads.
    client.force_login(old_lead)
    assert client.get(url("proposal-edit", proposal)).status_code == 200
    assert client.get(handover).status_code == 404
    client.force_login(co_author)
    assert "Hand the lead to someone else in the team" in text(
        client.get(url("proposal-team", proposal))
    )


def test_the_proposed_lead_declines_and_the_lead_is_told(client):
    proposal, co_author, invited = team_with_co_author()
    lead_handover_offer(actor=proposal.lead, proposal=proposal, member=invited)
    client.force_login(co_author)
    response = client.post(url("lead-handover", proposal), {"action": "decline"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.lead_offered_to is None
    assert proposal.team.get(user=co_author).role == TeamRole.CO_AUTHOR
    declined = OutboxEmail.objects.get(kind="exchange_lead_handover_declined")
    assert declined.recipient == proposal.lead.email
    assert AuditEntry.objects.filter(action="exchange_proposal.lead_decline").count() == 1
    assert client.get(url("lead-handover", proposal)).status_code == 404


def test_the_lead_cancels_a_waiting_handover(client):
    proposal, co_author, invited = team_with_co_author()
    lead_handover_offer(actor=proposal.lead, proposal=proposal, member=invited)
    client.force_login(proposal.lead)
    assert "Cancel the handover" in text(client.get(url("lead-handover", proposal)))
    client.post(url("lead-handover", proposal), {"action": "cancel"})
    proposal.refresh_from_db()
    assert proposal.lead_offered_to is None
    assert AuditEntry.objects.filter(action="exchange_proposal.lead_cancel").count() == 1
    client.force_login(co_author)
    assert client.get(url("lead-handover", proposal)).status_code == 404
    assert client.post(url("lead-handover", proposal), {"action": "accept"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.lead_id != co_author.pk


def test_only_members_of_q_in_the_team_can_be_offered_the_lead(client):
    proposal, co_author, invited = team_with_co_author()
    named = team_member_add(actor=proposal.lead, proposal=proposal, name="Pat Partner")
    outsider = member()
    client.force_login(proposal.lead)
    handover = url("lead-handover", proposal)
    assert "Pat Partner" not in text(client.get(handover))
    for pk in (named.pk, 999999, ""):
        response = client.post(handover, {"action": "offer", "member": str(pk)})
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    with pytest.raises(ExchangeError):
        lead_handover_offer(actor=co_author, proposal=proposal, member=invited)
    proposal.refresh_from_db()
    assert proposal.lead_offered_to is None
    # Someone who is not the lead or the proposed lead is not shown the page.
    for user in (co_author, outsider, UserFactory()):
        client.force_login(user)
        assert client.get(handover).status_code == 404
        assert client.post(handover, {"action": "accept"}).status_code == 404


def test_a_member_who_leaves_takes_the_waiting_handover_with_them(client):
    proposal, co_author, invited = team_with_co_author()
    lead_handover_offer(actor=proposal.lead, proposal=proposal, member=invited)
    client.force_login(co_author)
    client.post(url("proposal-team", proposal), {"action": "leave"})
    proposal.refresh_from_db()
    assert proposal.lead_offered_to is None


@pytest.mark.parametrize("stage", [Stage.IDEA, Stage.SHORTLISTED])
def test_offering_and_accepting_respect_the_edit_window(client, stage):
    proposal, co_author, invited = team_with_co_author()
    lead_handover_offer(actor=proposal.lead, proposal=proposal, member=invited)
    if stage == Stage.IDEA:
        close_the_round(proposal)
        reason = "so this idea can no longer be changed"
    else:
        Proposal.objects.filter(pk=proposal.pk).update(
            stage=stage, developed_at=timezone.now(), decided_at=timezone.now()
        )
        reason = "This proposal has been shortlisted"
    lead = proposal.lead
    client.force_login(lead)
    page = text(client.get(url("lead-handover", proposal)))
    assert "Cancel the handover" in page  # cancelling is always possible
    client.force_login(co_author)
    page = text(client.get(url("lead-handover", proposal)))
    assert reason in page
    assert "Accept and become the lead" not in page
    response = client.post(url("lead-handover", proposal), {"action": "accept"})
    assert response.status_code == 200
    assert reason in text(response)
    proposal.refresh_from_db()
    assert proposal.lead == lead
    assert proposal.lead_offered_to == co_author
    client.force_login(lead)
    client.post(url("lead-handover", proposal), {"action": "cancel"})
    proposal.refresh_from_db()
    assert proposal.lead_offered_to is None
    page = text(client.get(url("lead-handover", proposal)))
    assert reason in page
    assert "Ask them to take over as lead" not in page
    response = client.post(
        url("lead-handover", proposal), {"action": "offer", "member": invited.pk}
    )
    assert reason in text(response)
    proposal.refresh_from_db()
    assert proposal.lead_offered_to is None
    assert not OutboxEmail.objects.filter(kind="exchange_lead_handover_accepted").exists()


def test_deleting_the_proposed_leads_account_takes_the_handover_away(client):
    from qcommunity.privacy.services import account_delete

    proposal, co_author, invited = team_with_co_author()
    lead_handover_offer(actor=proposal.lead, proposal=proposal, member=invited)
    account_delete(user=co_author)
    proposal.refresh_from_db()
    assert proposal.lead_offered_to is None
    client.force_login(proposal.lead)
    assert "Hand the lead to someone else in the team" not in text(
        client.get(url("proposal-team", proposal))
    )
