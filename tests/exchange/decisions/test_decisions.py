"""Moderators' shortlisting and funding decisions (told to the team with the reason) and funded
teams' progress updates, through the pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.proposals.enums import Stage, TeamRole
from exchange.proposals.models import ProgressUpdate, Proposal, TeamMember
from exchange.proposals.services import team_invitation_accept, team_member_add
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.exchange import announce_decisions, make_exchange_round, make_proposal
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    user = UserFactory(roles=[Role.MEMBER, Role.EXCHANGE_MODERATOR])
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def team():
    round_ = make_exchange_round(voting_open=False)
    lead = UserFactory(roles=[Role.MEMBER])
    proposal = make_proposal(round_, lead=lead, stage=Stage.PROPOSAL)
    co_author = UserFactory(roles=[Role.MEMBER])
    invited = TeamMember.objects.create(proposal=proposal, user=co_author, role=TeamRole.CO_AUTHOR)
    team_invitation_accept(actor=co_author, member=invited)
    TeamMember.objects.create(proposal=proposal, name="Mary Short", role_line="Nurse")
    return proposal, lead, co_author


def decide_url(proposal):
    return reverse("exchange:proposal-decide", kwargs={"slug": proposal.slug})


def test_a_moderator_shortlists_with_a_reason_and_the_team_is_told(client_for, moderator, team):
    proposal, lead, co_author = team
    client = client_for(moderator)
    page = client.get(decide_url(proposal)).content.decode()
    assert "Shortlist" in page
    assert 'value="fund"' not in page  # funding comes after shortlisting
    response = client.post(
        decide_url(proposal), {"action": "shortlist", "reason": "Strong community support"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.decided_by) == (Stage.SHORTLISTED, moderator)
    assert AuditEntry.objects.filter(action="exchange_proposal.shortlist").count() == 1
    emails = OutboxEmail.objects.filter(recipient__in=[lead.email, co_author.email])
    assert emails.count() == 2
    for email in emails:
        assert "shortlisted" in email.subject
        assert "Strong community support" in email.body_text


def test_a_decision_needs_a_reason_and_keeps_what_was_chosen(client_for, moderator, team):
    proposal, _, _ = team
    response = client_for(moderator).post(decide_url(proposal), {"action": "shortlist"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the reason for the decision" in html
    assert 'value="shortlist" checked' in html
    assert Proposal.objects.get(pk=proposal.pk).stage == Stage.PROPOSAL


def test_funding_before_voting_closes_and_a_double_submit_get_clear_messages(
    client_for, moderator, team
):
    proposal, _, _ = team
    client = client_for(moderator)
    client.post(decide_url(proposal), {"action": "shortlist", "reason": "Good"})
    response = client.post(decide_url(proposal), {"action": "fund", "reason": "Good"})
    assert "That decision cannot be taken now" in response.content.decode()
    again = client.post(decide_url(proposal), {"action": "shortlist", "reason": "Good"})
    assert again.status_code == 200
    assert "That decision cannot be taken now" in again.content.decode()
    assert AuditEntry.objects.filter(action="exchange_proposal.shortlist").count() == 1


def test_only_moderators_reach_the_decision_page(client_for, team):
    proposal, lead, _ = team
    assert client_for(lead).get(decide_url(proposal)).status_code == 404
    assert client_for(UserFactory()).get(decide_url(proposal)).status_code == 404


def test_a_funded_team_posts_updates_that_show_on_the_page_and_are_sanitised(client_for, team):
    proposal, lead, co_author = team
    url = reverse("exchange:update-create", kwargs={"slug": proposal.slug})
    assert client_for(lead).get(url).status_code == 404  # not funded yet
    Proposal.objects.filter(pk=proposal.pk).update(stage=Stage.FUNDED, decided_at=timezone.now())
    announce_decisions(proposal.round)  # the funding is public, and so are its updates
    client = client_for(co_author)
    assert client.post(url, {"title": "", "body": "x"}).status_code == 200
    response = client.post(
        url,
        {"title": "First learning session", "body": "**Done** <script>alert(1)</script>"},
    )
    assert response.status_code == 302
    page = client_for(UserFactory()).get(
        reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
    )
    html = page.content.decode()
    assert "First learning session" in html
    assert "<strong>Done</strong>" in html
    assert "<script>alert(1)" not in html
    outsider = UserFactory(roles=[Role.MEMBER])
    assert client_for(outsider).get(url).status_code == 404


def test_the_page_costs_the_same_queries_with_one_and_many_updates(client, team):
    proposal, lead, _ = team
    Proposal.objects.filter(pk=proposal.pk).update(stage=Stage.FUNDED, decided_at=timezone.now())
    url = reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})

    def add(n):
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(proposal=proposal, author=lead, title=f"U{i}", body="b", body_html="b")
            for i in range(n)
        )

    add(1)
    client.get(url)
    few, _ = count_queries(lambda: client.get(url))
    add(20)
    many, sql = count_queries(lambda: client.get(url))
    assert few == many, "\n".join(sql)


def test_named_people_without_accounts_are_not_emailed(client_for, moderator, team):
    proposal, lead, _ = team
    team_member_add(actor=lead, proposal=proposal, name="Idil Ibrahim", role_line="QI manager")
    announce_decisions(proposal.round)
    client_for(moderator).post(decide_url(proposal), {"action": "not_fund", "reason": "Scope"})
    assert OutboxEmail.objects.filter(subject__contains="will not be funded").count() == 2


def test_decisions_reach_the_team_even_with_an_old_do_not_email_me_choice(
    client_for, moderator, team
):
    """Decisions on your proposal are always sent (the preferences page says so)."""
    from qcommunity.notifications.models import NotificationPreference

    proposal, lead, _ = team
    NotificationPreference.objects.create(user=lead, kind="proposal_decision", delivery="off")
    client_for(moderator).post(decide_url(proposal), {"action": "shortlist", "reason": "Good"})
    assert OutboxEmail.objects.filter(recipient=lead.email).count() == 1


def test_the_decision_page_says_when_funding_is_possible_by_the_date(client_for, moderator, team):
    proposal, _, _ = team
    client = client_for(moderator)
    before = client.get(decide_url(proposal)).content.decode()
    assert "Funding is decided, either way, after voting closes on" in before
    announce_decisions(proposal.round)
    after = client.get(decide_url(proposal)).content.decode()
    assert "Funding is decided, either way, after voting closes" not in after
    assert "so proposals can be funded now" in after


def test_while_voting_is_open_neither_funding_decision_is_offered_or_taken(client_for, moderator):
    """A proposal declined while voting is open would leave the ballot, which would announce the
    outcome early: funding either way waits for voting to close; shortlisting does not."""
    round_ = make_exchange_round(voting_open=True)
    proposal = make_proposal(round_, lead=UserFactory(roles=[Role.MEMBER]), stage=Stage.PROPOSAL)
    client = client_for(moderator)
    page = client.get(decide_url(proposal)).content.decode()
    assert 'value="shortlist"' in page
    assert 'value="not_fund"' not in page
    assert "Funding is decided, either way, after voting closes" in page
    response = client.post(decide_url(proposal), {"action": "not_fund", "reason": "Scope"})
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.stage == Stage.PROPOSAL
    ballot = client_for(UserFactory(roles=[Role.MEMBER])).get(
        reverse("exchange:ballot", kwargs={"year": round_.year})
    )
    assert proposal.title in ballot.content.decode()
