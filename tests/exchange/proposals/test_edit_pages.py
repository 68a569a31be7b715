"""The writing side of proposals: posting an idea, editing (word limits keep the text), the
team (invitations by email, accepting, declining, removing, leaving), the plan, turning an idea
into a proposal, withdrawing; who may reach each page (only the lead and accepted co-authors,
404 for everyone else), and lists that cost the same queries however long."""

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from django.utils import timezone

from exchange.proposals.enums import Stage, TeamRole, TimelineStatus
from exchange.proposals.models import Proposal, SectionAnswer, TeamMember, TimelineItem
from exchange.proposals.services import (
    team_invitation_accept,
    team_invite,
    team_member_add,
    timeline_item_add,
)
from exchange.rounds.models import Round
from qcommunity.accounts.enums import Role
from qcommunity.outbox.models import OutboxEmail
from tests.exchange.proposals.helpers import idea, member
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

EDITOR_PAGES = (
    "proposal-edit",
    "proposal-team",
    "proposal-plan",
    "proposal-attachments",
    "proposal-develop",
    "proposal-withdraw",
)


def url(name, proposal, **kwargs):
    return reverse(f"exchange:{name}", kwargs={"slug": proposal.slug, **kwargs})


def edit_data(proposal, **overrides):
    data = {
        "title": proposal.title,
        "summary": proposal.summary,
        "theme": str(proposal.theme_id),
        "amount_requested": "",
    }
    for section in proposal.round.sections.all():
        data[f"answer_{section.pk}"] = f"An answer to {section.question}"
    data.update(overrides)
    return data


# Who may reach the pages -----------------------------------------------------------------------


@pytest.mark.parametrize("page", EDITOR_PAGES)
def test_only_the_lead_and_accepted_co_authors_reach_the_team_pages(client, page):
    proposal = idea()
    accepted, pending, named_member = member(), member(), member()
    team_member_add(actor=proposal.lead, proposal=proposal, user=accepted, co_author=True)
    team_invitation_accept(actor=accepted, member=proposal.team.get(user=accepted))
    team_member_add(actor=proposal.lead, proposal=proposal, user=pending, co_author=True)
    team_member_add(actor=proposal.lead, proposal=proposal, user=named_member)
    staff = UserFactory(roles=[Role.STAFF_ADMIN], is_staff=True)
    TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    path = url(page, proposal)
    expected = {
        proposal.lead: 200,
        accepted: 200,
        pending: 404,
        named_member: 404,
        member(): 404,
        UserFactory(): 404,
        staff: 404,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(path).status_code == status, (page, user)
        if status == 404:
            assert client.post(path, {"action": "remove"}).status_code == 404, (page, user)
    client.logout()
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_others_cannot_post_changes(client):
    proposal = idea()
    client.force_login(member())
    response = client.post(url("proposal-edit", proposal), edit_data(proposal, title="Hijacked"))
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.title != "Hijacked"


def test_a_decided_proposal_sends_the_team_back_to_its_page(client):
    proposal = idea(stage=Stage.FUNDED)
    client.force_login(proposal.lead)
    response = client.get(url("proposal-edit", proposal))
    assert response.status_code == 302
    assert response["Location"] == url("proposal-detail", proposal)
    assert client.get(url("proposal-plan", proposal)).status_code == 200


# Posting an idea -------------------------------------------------------------------------------


def test_a_member_posts_an_idea_and_goes_on_to_edit_it(client):
    round_ = make_exchange_round(voting_open=False)
    author = member()
    client.force_login(author)
    new = reverse("exchange:idea-new", kwargs={"year": round_.year})
    assert "Post an idea" in client.get(new).content.decode()
    theme = round_.themes.last()
    response = client.post(
        new,
        {
            "title": "Peer support for ward managers",
            "summary": "Monthly peer groups.",
            "theme": str(theme.pk),
        },
    )
    proposal = Proposal.objects.get(lead=author)
    assert response.status_code == 302
    assert response["Location"] == url("proposal-edit", proposal)
    assert (proposal.slug, proposal.stage, proposal.theme) == (
        "peer-support-for-ward-managers",
        Stage.IDEA,
        theme,
    )


def test_posting_an_idea_with_problems_keeps_what_was_typed(client):
    round_ = make_exchange_round(voting_open=False)
    client.force_login(member())
    new = reverse("exchange:idea-new", kwargs={"year": round_.year})
    response = client.post(new, {"title": "Kept title", "summary": "", "theme": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "Enter a one-line summary" in html
    assert "Choose a theme" in html
    assert 'value="Kept title"' in html
    assert not Proposal.objects.exists()


def test_a_closed_round_says_so_and_non_members_get_404(client):
    round_ = make_exchange_round(voting_open=True)
    new = reverse("exchange:idea-new", kwargs={"year": round_.year})
    client.force_login(member())
    html = client.get(new).content.decode()
    assert "is not taking new ideas now" in html
    assert '<form method="post"' not in html
    assert client.post(new, {"title": "x", "summary": "y"}).status_code == 200
    assert not Proposal.objects.exists()
    client.force_login(UserFactory())
    assert client.get(new).status_code == 404
    Round.objects.filter(pk=round_.pk).update(published_at=None)
    client.force_login(member())
    assert client.get(new).status_code == 404


# Editing ---------------------------------------------------------------------------------------


def test_the_edit_page_has_the_live_word_count_and_guidance(client):
    proposal = idea()
    section = proposal.round.sections.first()
    section.guidance = "Say **who** benefits."
    section.save()
    client.force_login(proposal.lead)
    html = client.get(url("proposal-edit", proposal)).content.decode()
    assert 'data-module="nhsuk-character-count"' in html
    assert f'data-maxwords="{section.word_limit}"' in html
    assert "<strong>who</strong> benefits" in html
    assert "Mental health" in html  # topics as checkboxes


def test_saving_the_edit_page(client):
    proposal = idea()
    client.force_login(proposal.lead)
    topic_pk = str(proposal.topics.model.objects.get(name="Mental health").pk)
    data = edit_data(
        proposal, title="New title", regions=["wessex"], topics=[topic_pk], amount_requested="25000"
    )
    response = client.post(url("proposal-edit", proposal), data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "New title"
    assert proposal.regions == ["wessex"]
    assert proposal.amount_requested == 25000
    assert [t.name for t in proposal.topics.all()] == ["Mental health"]
    assert proposal.answers.count() == proposal.round.sections.count()


def test_over_the_word_limit_nothing_is_saved_and_the_text_is_kept(client):
    proposal = idea()
    section = proposal.round.sections.first()
    long_answer = " ".join(["word"] * (section.word_limit + 1)) + " KEEP-ME"
    client.force_login(proposal.lead)
    data = edit_data(
        proposal,
        title="Changed",
        amount_requested="999999",
        **{f"answer_{section.pk}": long_answer},
    )
    response = client.post(url("proposal-edit", proposal), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"must be {section.word_limit} words or fewer" in html
    assert "The most a project can ask for in this round is £30,000" in html
    assert "KEEP-ME" in html
    assert 'value="Changed"' in html
    assert f'href="#id_answer_{section.pk}"' in html
    proposal.refresh_from_db()
    assert proposal.title != "Changed"
    assert not SectionAnswer.objects.filter(proposal=proposal).exists()


def test_a_form_error_also_shows_the_word_limits_at_once(client):
    proposal = idea()
    section = proposal.round.sections.first()
    client.force_login(proposal.lead)
    data = edit_data(
        proposal,
        amount_requested="lots",
        **{f"answer_{section.pk}": "w " * (section.word_limit + 5)},
    )
    html = client.post(url("proposal-edit", proposal), data).content.decode()
    assert "Enter the amount as a whole number of pounds" in html
    assert f"must be {section.word_limit} words or fewer" in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "[x](javascript:alert(3))",
        '<a href="javascript:alert(4)">x</a>',
        "<iframe src=//evil></iframe>",
    ],
)
def test_script_typed_in_an_answer_is_inert_everywhere(client, payload):
    proposal = idea()
    section = proposal.round.sections.first()
    client.force_login(proposal.lead)
    data = edit_data(proposal, **{f"answer_{section.pk}": f"Hello {payload}"})
    assert client.post(url("proposal-edit", proposal), data).status_code == 302
    for page in ("proposal-detail", "proposal-print", "proposal-edit"):
        html = client.get(url(page, proposal)).content.decode()
        assert "<script>alert" not in html, page
        assert "onerror=alert" not in html.replace("onerror=alert(2)&gt;", ""), page
        assert 'href="javascript:' not in html, page
        assert "<iframe" not in html, page


# The team --------------------------------------------------------------------------------------


def test_inviting_a_member_by_email_sends_an_invitation_to_accept(client):
    proposal = idea()
    invitee = member(email="Sam.Smith@example.org", full_name="Sam Smith")
    client.force_login(proposal.lead)
    response = client.post(
        url("proposal-team", proposal),
        {
            "action": "invite",
            "email": "sam.smith@EXAMPLE.org",
            "invite_role_line": "Data lead",
            "co_author": "yes",
        },
    )
    assert response.status_code == 302
    entry = TeamMember.objects.get(proposal=proposal, user=invitee)
    assert (entry.role, entry.role_line, entry.accepted_at) == (
        TeamRole.CO_AUTHOR,
        "Data lead",
        None,
    )
    email = OutboxEmail.objects.get(kind="exchange_co_author_invitation")
    assert email.recipient == invitee.email
    assert proposal.title in email.subject
    accept = url("team-accept", proposal)
    assert accept in email.body_text
    assert accept in email.body_html
    # The invitee sees the invitation on the page, accepts, and can edit.
    client.force_login(invitee)
    assert (
        "Accept or decline the invitation"
        in client.get(url("proposal-detail", proposal)).content.decode()
    )
    assert client.get(url("proposal-edit", proposal)).status_code == 404
    assert client.get(accept).status_code == 200
    response = client.post(accept, {"action": "accept"})
    assert response["Location"] == url("proposal-edit", proposal)
    assert client.get(url("proposal-edit", proposal)).status_code == 200


def test_only_the_invitee_reaches_the_accept_page_and_may_decline(client):
    proposal = idea()
    invitee = member()
    team_invite(actor=proposal.lead, proposal=proposal, email=invitee.email)
    accept = url("team-accept", proposal)
    for other in (proposal.lead, member()):
        client.force_login(other)
        assert client.get(accept).status_code == 404
        assert client.post(accept, {"action": "accept"}).status_code == 404
    client.force_login(invitee)
    client.post(accept, {"action": "decline"})
    assert not proposal.team.filter(user=invitee).exists()


def test_unknown_email_and_non_members_are_not_found_with_a_clear_message(client):
    proposal = idea()
    not_a_member = UserFactory(email="guest@example.org")
    client.force_login(proposal.lead)
    for email in ("nobody@example.org", not_a_member.email):
        response = client.post(
            url("proposal-team", proposal), {"action": "invite", "email": email, "co_author": "yes"}
        )
        html = response.content.decode()
        assert "There is no member of Q with that email address" in html
        assert f'value="{email}"' in html
    assert proposal.team.count() == 1
    assert not OutboxEmail.objects.filter(kind="exchange_co_author_invitation").exists()


def test_naming_removing_and_leaving(client):
    proposal = idea()
    co_author = member(full_name="Cara Coauthor")
    team_member_add(actor=proposal.lead, proposal=proposal, user=co_author, co_author=True)
    team_invitation_accept(actor=co_author, member=proposal.team.get(user=co_author))
    client.force_login(proposal.lead)
    team_url = url("proposal-team", proposal)
    client.post(
        team_url, {"action": "named", "name": "Pat Partner", "role_line": "Patient partner"}
    )
    named = proposal.team.get(name="Pat Partner")
    assert named.role_line == "Patient partner"
    html = client.get(team_url).content.decode()
    assert "Pat Partner" in html
    assert "Cara Coauthor" in html
    response = client.post(team_url, {"action": "named", "name": "", "role_line": "x"})
    assert "Enter their name" in response.content.decode()
    client.post(team_url, {"action": "remove", "member": str(named.pk)})
    assert not proposal.team.filter(pk=named.pk).exists()
    lead_entry = proposal.team.get(role=TeamRole.LEAD)
    assert (
        client.post(team_url, {"action": "remove", "member": str(lead_entry.pk)}).status_code == 200
    )
    assert proposal.team.filter(pk=lead_entry.pk).exists()
    client.force_login(co_author)
    response = client.post(team_url, {"action": "leave"})
    assert response["Location"] == url("proposal-detail", proposal)
    assert not proposal.team.filter(user=co_author).exists()
    assert client.get(url("proposal-edit", proposal)).status_code == 404


def test_team_page_queries_do_not_grow_with_the_team(client):
    proposal = idea()
    client.force_login(proposal.lead)

    def add(n):
        for i in range(n):
            team_member_add(
                actor=proposal.lead, proposal=proposal, user=member(), co_author=bool(i % 2)
            )
            team_member_add(actor=proposal.lead, proposal=proposal, name=f"Named {i}")

    assert_constant_queries(lambda: client.get(url("proposal-team", proposal)), add, many=5)


# The plan --------------------------------------------------------------------------------------


def test_points_and_steps_are_added_and_removed(client):
    proposal = idea()
    client.force_login(proposal.lead)
    plan = url("proposal-plan", proposal)
    client.post(plan, {"action": "points", "points": "Share your data\n\n  Join a session  \n"})
    assert [p.text for p in proposal.contributions.all()] == ["Share your data", "Join a session"]
    client.post(
        plan,
        {
            "action": "add",
            "on-day": "3",
            "on-month": "2",
            "on-year": "2027",
            "title": "Kick-off event",
        },
    )
    step = proposal.timeline.get()
    assert (step.on, step.title) == (dt.date(2027, 2, 3), "Kick-off event")
    html = client.get(plan).content.decode()
    assert "Kick-off event" in html
    assert "Share your data" in html
    assert "plan.ics" in html
    response = client.post(
        plan,
        {"action": "add", "on-day": "31", "on-month": "2", "on-year": "2027", "title": "Kept step"},
    )
    html = response.content.decode()
    assert "Enter a real date" in html
    assert 'value="Kept step"' in html
    assert 'value="31"' in html
    client.post(plan, {"action": "remove", "item": str(step.pk)})
    assert not proposal.timeline.exists()


def test_a_funded_team_marks_steps_done_moved_or_dropped(client):
    proposal = idea(stage=Stage.FUNDED)
    step = TimelineItem.objects.create(proposal=proposal, on=dt.date(2027, 3, 1), title="Pilot")
    client.force_login(proposal.lead)
    plan = url("proposal-plan", proposal)
    html = client.get(plan).content.decode()
    assert "Update this step" in html
    assert "Add the step" not in html
    prefix = f"step{step.pk}"
    response = client.post(
        plan, {"action": "change", "item": str(step.pk), f"{prefix}-status": "moved"}
    )
    html = response.content.decode()
    assert "Say why the plan changed" in html
    assert f'href="#id_{prefix}-reason"' in html
    client.post(
        plan,
        {
            "action": "change",
            "item": str(step.pk),
            f"{prefix}-status": "moved",
            f"{prefix}-new_on-day": "1",
            f"{prefix}-new_on-month": "5",
            f"{prefix}-new_on-year": "2027",
            f"{prefix}-reason": "Ward move",
        },
    )
    step.refresh_from_db()
    assert (step.status, step.on, step.planned_on) == (
        TimelineStatus.MOVED,
        dt.date(2027, 5, 1),
        dt.date(2027, 3, 1),
    )
    client.post(plan, {"action": "change", "item": str(step.pk), f"{prefix}-status": "done"})
    step.refresh_from_db()
    assert step.status == TimelineStatus.DONE


def test_plan_page_queries_do_not_grow_with_steps(client):
    proposal = idea()
    client.force_login(proposal.lead)

    def add(n):
        for i in range(n):
            timeline_item_add(
                actor=proposal.lead,
                proposal=proposal,
                on=dt.date(2027, 1, 1) + dt.timedelta(days=i),
                title=f"Step {i}",
            )

    assert_constant_queries(lambda: client.get(url("proposal-plan", proposal)), add, many=5)


# Turning an idea into a proposal, withdrawing --------------------------------------------------


def test_develop_lists_unanswered_questions_with_links_then_develops(client):
    proposal = idea()
    client.force_login(proposal.lead)
    develop = url("proposal-develop", proposal)
    sections = list(proposal.round.sections.all())
    html = client.get(develop).content.decode()
    assert "Questions still to answer" in html
    for section in sections:
        assert f"{url('proposal-edit', proposal)}#id_answer_{section.pk}" in html
    response = client.post(develop)
    assert "Your idea is still an idea" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.stage == Stage.IDEA
    client.post(url("proposal-edit", proposal), edit_data(proposal))
    assert "Turn it into a full proposal" in client.get(develop).content.decode()
    response = client.post(develop)
    assert response["Location"] == url("proposal-detail", proposal)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.PROPOSAL
    assert client.get(develop).status_code == 302  # no longer an idea


def test_develop_after_the_deadline_says_so(client):
    proposal = idea()
    Round.objects.filter(pk=proposal.round_id).update(
        proposals_close_at=timezone.now() - dt.timedelta(minutes=1)
    )
    client.force_login(proposal.lead)
    response = client.get(url("proposal-develop", proposal), follow=True)
    assert response.redirect_chain == [(url("proposal-detail", proposal), 302)]
    assert "so this idea can no longer be changed" in response.content.decode()


def test_withdraw_with_an_optional_reason(client):
    proposal = idea(stage=Stage.PROPOSAL)
    client.force_login(proposal.lead)
    withdraw = url("proposal-withdraw", proposal)
    assert (
        "Are you sure you want to withdraw your proposal?" in client.get(withdraw).content.decode()
    )
    response = client.post(withdraw, {"reason": ""})
    assert response["Location"] == url("proposal-detail", proposal)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.WITHDRAWN
    assert proposal.withdrawn_at
    assert client.get(withdraw).status_code == 302


def test_the_proposal_page_shows_the_team_its_links_and_others_none(client):
    proposal = idea()
    client.force_login(proposal.lead)
    html = client.get(url("proposal-detail", proposal)).content.decode()
    for link in (
        "proposal-edit",
        "proposal-team",
        "proposal-plan",
        "proposal-attachments",
        "proposal-develop",
        "proposal-withdraw",
        "proposal-print",
    ):
        assert f'href="{url(link, proposal)}"' in html, link
    client.force_login(member())
    html = client.get(url("proposal-detail", proposal)).content.decode()
    assert url("proposal-edit", proposal) not in html
    assert url("proposal-print", proposal) in html


def test_the_team_can_name_itself_and_the_page_shows_it(client):
    proposal = idea()
    client.force_login(proposal.lead)
    team_url = url("proposal-team", proposal)
    too_long = client.post(team_url, {"action": "team_name", "team_name": "x" * 101})
    assert "The team name must be 100 characters or fewer" in too_long.content.decode()
    client.post(team_url, {"action": "team_name", "team_name": "#QIFaculty"})
    assert Proposal.objects.get(pk=proposal.pk).team_name == "#QIFaculty"
    page = client.get(url("proposal-detail", proposal)).content.decode()
    assert "Meet the team: #QIFaculty" in page
