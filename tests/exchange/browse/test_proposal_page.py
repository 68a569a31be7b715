"""A proposal's public page: everything the real proposal pages in the seeds hold is shown
(title, summary, stage and year, team with linked members and named people, section answers,
contribution points, the dated plan, attachments, topics, regions, last updated), markdown is
sanitised, unpublished rounds answer 404, and the page costs the same queries however big."""

import datetime as dt

import pytest
from django.urls import reverse

from exchange.proposals.enums import AttachmentKind, Stage, TeamRole
from exchange.proposals.models import Attachment, SectionAnswer, TeamMember, TimelineItem
from exchange.proposals.services import contributions_set, team_member_add, timeline_item_add
from exchange.rounds.models import Round
from members.directory.enums import Visibility
from members.directory.models import Topic
from qcommunity.accounts.enums import Role
from qcommunity.core.taxonomy import Region
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.factories.members import ProfileFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def build(team_size: int = 1, steps: int = 1, lead_slug: str = "rachel-lead"):
    round_ = make_exchange_round(voting_open=False)
    lead = UserFactory(roles=[Role.MEMBER], full_name="Rachel Lead")
    ProfileFactory(user=lead, visibility=Visibility.PUBLIC, slug=lead_slug)
    proposal = make_proposal(round_, lead=lead, stage=Stage.IDEA)
    for n in range(team_size):
        colleague = UserFactory(roles=[Role.MEMBER], full_name=f"Colleague {n}")
        ProfileFactory(user=colleague, visibility=Visibility.PUBLIC)
        team_member_add(actor=lead, proposal=proposal, user=colleague, role_line="QI lead")
        team_member_add(actor=lead, proposal=proposal, name=f"Named {n}", role_line="Carer")
    for n in range(steps):
        timeline_item_add(
            actor=lead, proposal=proposal, on=dt.date(2025, 1, 1) + dt.timedelta(days=n),
            title=f"Learning session {n}",
        )  # fmt: skip
    contributions_set(actor=lead, proposal=proposal, points=["Advice on partnering"])
    for section in round_.sections.all():
        SectionAnswer.objects.create(
            proposal=proposal, section=section, text=f"**Answer** to {section.position}"
        )
    Attachment.objects.create(
        proposal=proposal, file="x.pdf", token=f"t{proposal.pk}", extension=".pdf",
        original_name="budget.pdf", title="Budget", kind=AttachmentKind.PDF,
        content_type="application/pdf", size=2048,
    )  # fmt: skip
    # get_or_create: browser tests (transaction=True) may run after the seeded terms were flushed
    mental_health, _ = Topic.objects.get_or_create(
        slug="mental-health", defaults={"name": "Mental health"}
    )
    proposal.topics.add(mental_health)
    proposal.regions = [Region.YORKSHIRE_HUMBER]
    proposal.save()
    return proposal


def test_the_page_shows_everything_a_proposal_holds(client):
    proposal = build()
    response = client.get(reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (proposal.title, proposal.summary, "Idea", str(proposal.round.year),
                 "Meet the team", "Rachel Lead", 'href="/directory/rachel-lead/"',
                 "Named 0", "Carer", "<strong>Answer</strong> to 1", "How you can contribute",
                 "Advice on partnering", "Plan timeline", "Learning session 0",
                 'datetime="2025-01-01"', "Budget</a> (PDF, 2.0 kB)", "Mental health",
                 "Yorkshire", "Last updated"):  # fmt: skip
        assert text in html, text


def test_script_in_an_answer_is_inert(client):
    proposal = build()
    SectionAnswer.objects.filter(proposal=proposal).update(
        text="<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3))"
    )
    html = client.get(
        reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
    ).content.decode()
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html


def test_pending_co_authors_are_shown_to_the_team_only(client):
    proposal = build()
    invited = UserFactory(roles=[Role.MEMBER], full_name="Invited Person")
    TeamMember.objects.create(proposal=proposal, user=invited, role=TeamRole.CO_AUTHOR)
    url = reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
    assert "Invited Person" not in client.get(url).content.decode()
    client.force_login(proposal.lead)
    assert "Invited Person (invited, not yet joined)" in client.get(url).content.decode()


def test_proposals_of_unpublished_rounds_are_not_found_except_for_staff(client, staff_admin):
    proposal = build()
    Round.objects.filter(pk=proposal.round_id).update(published_at=None)
    url = reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
    assert client.get(url).status_code == 404
    client.force_login(proposal.lead)
    assert client.get(url).status_code == 404
    client.force_login(staff_admin)
    assert client.get(url).status_code == 200


def test_the_page_costs_the_same_queries_with_a_small_and_a_large_proposal(client, settings):
    settings.EXCHANGE_PAGE_CACHE = False  # the work of a page, not a visitor's cached copy
    small = build(team_size=1, steps=1)
    large = build(team_size=8, steps=20, lead_slug="another-lead")
    assert TimelineItem.objects.filter(proposal=large).count() == 20

    def visit(proposal):
        return lambda: client.get(
            reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
        )

    visit(small)()  # warm up
    (few, _), (many, sql) = count_queries(visit(small)), count_queries(visit(large))
    assert few == many, "\n".join(sql)
