"""Everything on the three real Q Exchange proposal pages the product comes from can be held and
is shown. The proposals here copy those pages' shape (not their words): a team with a name,
members and named people with and without a role line, section questions that differ by year
and quote the theme, answers with paragraphs and numbered lists, "how you can contribute"
points, a plan timeline with two steps on one day, a PDF under "Further information", and
threads of comments with replies to replies."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from exchange.comments.services import comment_post
from exchange.proposals.enums import AttachmentKind, Stage
from exchange.proposals.models import Attachment, SectionAnswer
from exchange.proposals.services import (
    contributions_set,
    team_member_add,
    team_name_set,
    timeline_item_add,
)
from exchange.rounds.models import Section, Theme
from qcommunity.accounts.enums import Role
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal

pytestmark = pytest.mark.django_db

THEME = "How can we improve across system boundaries?"


def page_text(client, proposal) -> str:
    url = reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def answer(proposal, question: str, text: str, position: int) -> None:
    section = Section.objects.create(
        round=proposal.round, position=10 + position, question=question, word_limit=800
    )
    SectionAnswer.objects.create(proposal=proposal, section=section, text=text)


def build(stage, *, team_name="", sections=(), people=(), points=(), plan=(), comments=0):
    round_ = make_exchange_round(voting_open=False, sections=0)
    Theme.objects.filter(round=round_, position=1).update(question=THEME)
    lead = UserFactory(roles=[Role.MEMBER], full_name="Lead Person")
    proposal = make_proposal(round_, lead=lead, stage=Stage.IDEA)
    if team_name:
        team_name_set(actor=lead, proposal=proposal, team_name=team_name)
    for name, role_line in people:
        team_member_add(actor=lead, proposal=proposal, name=name, role_line=role_line)
    for position, (question, text) in enumerate(sections):
        answer(proposal, question, text, position)
    contributions_set(actor=lead, proposal=proposal, points=list(points))
    for on, title in plan:
        timeline_item_add(actor=lead, proposal=proposal, on=on, title=title)
    for n in range(comments):
        top = comment_post(actor=UserFactory(), proposal=proposal, body=f"Question {n} **here**")
        reply = comment_post(actor=lead, proposal=proposal, body=f"Answer {n}", parent=top)
        comment_post(actor=UserFactory(), proposal=proposal, body=f"Follow-up {n}", parent=reply)
    type(proposal).objects.filter(pk=proposal.pk).update(stage=stage)
    proposal.refresh_from_db()
    return proposal


def test_a_proposal_like_the_2024_academy_page(client):
    plan = [
        (dt.date(2024, 8, 18), "Form the delivery team"),
        (dt.date(2024, 11, 4), "Action period 1 starts"),
        (dt.date(2024, 11, 4), "Learning session 1"),
        (dt.date(2025, 9, 22), "Celebration event"),
    ]
    proposal = build(
        Stage.PROPOSAL,
        people=[("Ana Field", "Community nurse with voluntary sector experience"),
                ("Ben Osei", "Improvement project manager")],
        sections=[(f"What is the challenge and how does it connect to the theme of '{THEME}'",
                   "First paragraph.\n\nSecond paragraph."),
                  ("How is your project going to share learning?", "We will publish.")],
        points=["Join the faculty", "Advise on partnering with community groups"],
        plan=plan,
        comments=2,
    )  # fmt: skip
    html = page_text(client, proposal)
    for text in ("Proposal", str(proposal.round.year), "Read comments (6)", "Meet the team",
                 "Ana Field", "Community nurse with voluntary sector experience", "Ben Osei",
                 "connect to the theme of &#39;How can we improve across system boundaries?&#39;",
                 "<p>First paragraph.</p>", "<p>Second paragraph.</p>", "How you can contribute",
                 "Advise on partnering with community groups", "Plan timeline",
                 "18 August 2024", "Celebration event", "Comments (6)",
                 "<strong>here</strong>", "Answer 1", "Follow-up 1"):  # fmt: skip
        assert text in html, text
    assert html.count('datetime="2024-11-04"') == 2


def test_an_idea_like_the_2018_training_page_with_a_team_name_and_a_pdf(client):
    people = [(f"Person {n}", f"Role {n} at an NHS trust") for n in range(8)]
    sections = [(q, f"Answer to {q}") for q in (
        "The need", "The objective", "How will we achieve this?",
        "How will we use the funding?", "Summary")]  # fmt: skip
    proposal = build(
        Stage.IDEA, team_name="#QIFaculty", people=people, sections=sections, points=["A", "B"]
    )
    attachment = Attachment(
        proposal=proposal, token="seedpdf", extension=".pdf", original_name="driver.pdf",
        title="QI driver diagram (v0.3)", kind=AttachmentKind.PDF,
        content_type="application/pdf", size=229_000,
    )  # fmt: skip
    attachment.file.save("driver.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    html = page_text(client, proposal)
    assert "Meet the team: #QIFaculty" in html
    for name, role_line in people:
        assert name in html
        assert role_line in html
    for question, text in sections:
        assert question in html
        assert text in html
    assert "Further information" in html
    assert "QI driver diagram (v0.3)</a> (PDF, 229.0 kB)" in html
    assert "Idea" in html


def test_a_proposal_like_the_2023_framework_page_with_names_only_and_a_numbered_list(client):
    proposal = build(
        Stage.PROPOSAL,
        people=[("Sue Example", ""), ("Henry Example", "")],
        sections=[("How will the project be delivered?",
                   "Three teams first:\n\n1. The recovery team\n2. An older adults ward\n"
                   "3. Early intervention")],
        plan=[(dt.date(2023, 6, 1), "Engagement sessions"), (dt.date(2024, 3, 1), "Phase 2")],
    )  # fmt: skip
    html = page_text(client, proposal)
    assert "<li>Sue Example</li>" in " ".join(html.split()).replace("> ", ">").replace(" <", "<")
    assert "<ol>" in html
    assert "<li>An older adults ward</li>" in html
    assert "1 June 2023" in html
    assert "Read comments (0)" in html
