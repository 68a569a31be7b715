"""The demo Q Exchange rounds: last year decided, this year voting, next year taking ideas; about
60 proposals in every stage, made through the real services; idempotent; never in production;
and the demo people can open the pages the demo is for."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from exchange.comments.models import Comment, CommentReport
from exchange.demo import (
    CHAIR_EMAIL,
    GUEST_EMAIL,
    MEMBER_EMAIL,
    MODERATOR_EMAIL,
    PANEL_EMAIL,
    demo_pdf,
    demo_png,
    seed_exchange,
)
from exchange.proposals.enums import Stage, TeamRole, TimelineStatus
from exchange.proposals.models import (
    Attachment,
    ContributionPoint,
    ProgressUpdate,
    Proposal,
    SectionAnswer,
    TeamMember,
    TimelineItem,
)
from exchange.proposals.services import PDF, attachment_check
from exchange.rounds.models import Round
from exchange.voting.models import Ballot, BallotChoice, Support
from members.demo.directory import seed_directory, seed_member_entry
from qcommunity.accounts.models import User
from qcommunity.core.demo import seed_accounts
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment, Panel

pytestmark = pytest.mark.django_db

TABLES = (
    Round,
    Proposal,
    TeamMember,
    SectionAnswer,
    ContributionPoint,
    TimelineItem,
    Attachment,
    Comment,
    CommentReport,
    Support,
    Ballot,
    BallotChoice,
    ProgressUpdate,
)


def seed_people():
    for account, user in seed_accounts():
        if account.email == MEMBER_EMAIL:
            seed_member_entry(user)
    seed_directory(120)


@pytest.fixture
def seeded():
    seed_people()
    assert seed_exchange() == 3
    now = timezone.now()
    return {
        "past": Round.objects.get(year=now.year - 1),
        "current": Round.objects.get(year=now.year),
        "future": Round.objects.get(year=now.year + 1),
    }


def snapshot() -> dict:
    return {
        model.__name__: (
            model.objects.count(),
            max(model.objects.values_list("pk", flat=True), default=0),
        )
        for model in TABLES
    }


def stages(round_) -> dict[str, int]:
    return dict(round_.proposals.values("stage").annotate(n=Count("id")).values_list("stage", "n"))


def test_three_rounds_with_about_60_proposals_in_every_stage_and_running_again_adds_nothing(
    seeded,
):
    past, current, future = seeded["past"], seeded["current"], seeded["future"]
    now = timezone.now()
    # Last year: decided. This year: voting open now, comments closing. Next year: published,
    # taking ideas now, for a good while yet.
    assert past.decisions_at < now
    assert current.voting_open(now)
    assert current.comments_open(now)
    assert current.comments_close_at < current.voting_closes_at
    assert future.is_published()
    assert future.accepts_ideas(now)
    assert future.opens_at < now
    assert future.proposals_close_at - now > dt.timedelta(days=90)
    assert not current.accepts_ideas(now)
    assert all(r.is_published() for r in seeded.values())

    assert 55 <= Proposal.objects.count() <= 65
    titles = list(Proposal.objects.values_list("title", flat=True))
    assert len(set(titles)) == len(titles)
    assert set(Proposal.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert stages(past) == {
        Stage.FUNDED: 5,
        Stage.NOT_FUNDED: 13,
        Stage.WITHDRAWN: 3,
        Stage.IDEA: 5,
    }
    assert stages(current) == {
        Stage.PROPOSAL: 20,
        Stage.SHORTLISTED: 6,
        Stage.IDEA: 5,
        Stage.WITHDRAWN: 3,
    }
    assert stages(future) == {Stage.IDEA: 3}
    # Across themes, topics and regions; decisions carry reasons.
    for round_ in (past, current):
        assert round_.proposals.values("theme").distinct().count() == round_.themes.count()
    assert Proposal.objects.filter(topics__isnull=False).values("topics").distinct().count() >= 10
    assert len({r for rs in Proposal.objects.values_list("regions", flat=True) for r in rs}) >= 10
    decided = Proposal.objects.filter(stage__in=[Stage.FUNDED, Stage.NOT_FUNDED, Stage.SHORTLISTED])
    assert not decided.filter(Q(decision_reason="") | Q(decided_at__isnull=True)).exists()
    # Every full proposal answers every section; search columns are filled.
    for proposal in Proposal.objects.exclude(stage__in=[Stage.IDEA]).exclude(developed_at=None):
        assert proposal.answers.count() == proposal.round.sections.count()
    assert not Proposal.objects.filter(search_vector__isnull=True).exists()

    # Teams: leads, accepted co-authors, named people with role lines.
    assert TeamMember.objects.filter(role=TeamRole.CO_AUTHOR, accepted_at__isnull=False).exists()
    named = TeamMember.objects.filter(user__isnull=True)
    assert named.exists()
    assert not named.filter(role_line="").exists()
    assert ContributionPoint.objects.count() >= 60
    assert Attachment.objects.filter(kind="pdf").exists()
    assert Attachment.objects.filter(kind="image").exists()

    # Threads with replies, from members, a guest and the team; one hidden with a reason and
    # one open report for the moderator.
    assert Comment.objects.count() >= 100
    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.count() >= 30
    assert replies.filter(parent__parent__isnull=False).exists()  # replies to replies
    team_replies = [
        c for c in replies.select_related("proposal") if c.author_id == c.proposal.lead_id
    ]
    assert len(team_replies) >= 10
    assert Comment.objects.filter(author__email=GUEST_EMAIL).exists()
    hidden = Comment.objects.get(hidden_at__isnull=False)
    assert hidden.hidden_reason
    assert hidden.hidden_by.email == MODERATOR_EMAIL
    assert hidden.replies.exists()
    open_reports = CommentReport.objects.filter(resolved_at__isnull=True)
    assert open_reports.values("comment").distinct().count() == 1
    assert open_reports.first().comment.hidden_at is None

    # Supports, ballots in both rounds; progress updates and a kept plan on funded projects.
    assert Support.objects.count() >= 150
    assert Ballot.objects.filter(round=past).count() == 40
    assert 10 <= Ballot.objects.filter(round=current).count() < 20
    assert Ballot.objects.filter(round=past, created_at__lt=past.voting_closes_at).count() == 40
    funded = past.proposals.filter(stage=Stage.FUNDED)
    assert all(p.updates.exists() for p in funded)
    statuses = set(
        TimelineItem.objects.filter(proposal__in=funded).values_list("status", flat=True)
    )
    assert {TimelineStatus.DONE, TimelineStatus.MOVED, TimelineStatus.PLANNED} <= statuses
    assert not TimelineItem.objects.filter(status=TimelineStatus.MOVED, change_reason="").exists()

    # The demo member leads a proposal standing in this year's vote, is a co-author on a funded
    # project, and has not voted yet.
    member = User.objects.get(email=MEMBER_EMAIL)
    mine = current.proposals.get(lead=member)
    assert mine.stage == Stage.PROPOSAL
    assert mine.comments.filter(parent__isnull=False, author=member).exists()
    assert funded.filter(
        team__user=member, team__role=TeamRole.CO_AUTHOR, team__accepted_at__isnull=False
    ).exists()
    assert not Ballot.objects.filter(voter=member).exists()

    # Next year: the demo member's idea answers every section and has an accepted co-author
    # (someone to hand the lead to); another member's idea has a thread the demo member joined.
    idea = future.proposals.get(lead=member)
    assert idea.title == "Warm homes on prescription in Avonbury"
    assert idea.answers.count() == future.sections.count()
    assert idea.team.filter(
        role=TeamRole.CO_AUTHOR, accepted_at__isnull=False, user__isnull=False
    ).exists()
    others = future.proposals.exclude(lead=member)
    assert others.count() == 2
    assert not others.filter(lead__email__regex=r"^[a-z]+@demo\.q\.example$").exists()
    talked = others.filter(comments__author=member).distinct().get()
    assert talked.comments.filter(parent__isnull=False, author=talked.lead).exists()
    assert not Comment.objects.filter(proposal__round=future, created_at__gt=now).exists()

    # This year's shortlisting panel: the demo panel member has reviews done and to do, an
    # invented reviewer has done all theirs, the demo chair chairs; nobody reviews their own.
    panel = Panel.objects.get(owner_id=current.pk)
    roles = dict(panel.members.values_list("user__email", "role"))
    assert roles[PANEL_EMAIL] == PanelRole.REVIEWER
    assert roles[CHAIR_EMAIL] == PanelRole.CHAIR
    femi = Assignment.objects.filter(panel=panel, reviewer__email=PANEL_EMAIL)
    assert femi.filter(status=AssignmentStatus.SUBMITTED).exists()
    assert femi.filter(status=AssignmentStatus.ASSIGNED).exists()
    others = Assignment.objects.filter(panel=panel).exclude(reviewer__email=PANEL_EMAIL)
    assert not others.filter(status=AssignmentStatus.ASSIGNED).exists()
    reviewed = Proposal.objects.filter(pk__in=Assignment.objects.values("subject_id"))
    assert not reviewed.exclude(stage__in=[Stage.PROPOSAL, Stage.SHORTLISTED]).exists()
    for assignment in Assignment.objects.filter(panel=panel):
        proposal = Proposal.objects.get(pk=assignment.subject_id)
        assert assignment.reviewer_id != proposal.lead_id
    assert current.proposals.exclude(team_name="").exists()
    assert mine.team_name == "#HuddleUp"

    before = snapshot()
    seed_people()
    assert seed_exchange() == 0
    assert snapshot() == before


def test_refuses_production_settings():
    with (
        override_settings(SETTINGS_MODULE="qcommunity.settings.production"),
        pytest.raises(ImproperlyConfigured, match="never be loaded"),
    ):
        seed_exchange()
    assert not Round.objects.exists()


def test_generated_files_pass_the_attachment_checks():
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("a.pdf", demo_pdf("Plan (one page)", ["Line one", "Line two"]))
    assert attachment_check(pdf) == PDF
    png = SimpleUploadedFile("a.png", demo_png(["One", "Two"], 3))
    assert attachment_check(png).content_type == "image/png"


def test_demo_people_can_open_the_demo_pages(seeded, client, client_for):
    past, current, future = seeded["past"], seeded["current"], seeded["future"]
    member = User.objects.get(email=MEMBER_EMAIL)
    moderator = User.objects.get(email=MODERATOR_EMAIL)
    guest = User.objects.get(email=GUEST_EMAIL)
    panel_member = User.objects.get(email=PANEL_EMAIL)
    panel = Panel.objects.get(owner_id=current.pk)
    to_do = Assignment.objects.filter(
        panel=panel, reviewer=panel_member, status=AssignmentStatus.ASSIGNED
    ).first()
    mine = current.proposals.get(lead=member)
    funded = past.proposals.filter(stage=Stage.FUNDED, team__user=member).get()
    hidden = Comment.objects.select_related("proposal").get(hidden_at__isnull=False)
    reported = CommentReport.objects.filter(resolved_at__isnull=True).first().comment
    detail = "exchange:proposal-detail"

    public = [
        reverse("exchange:round-list"),
        *(reverse("exchange:round-detail", args=[r.year]) for r in (past, current, future)),
        reverse("exchange:results", args=[past.year]),
        reverse(detail, args=[funded.slug]),
        reverse(detail, args=[hidden.proposal.slug]),
        *(reverse(detail, args=[p.slug]) for p in Proposal.objects.all()[:60:7]),
    ]
    for path in public:
        assert client.get(path).status_code == 200, path

    pages = {
        member: [
            reverse(detail, args=[mine.slug]),
            # Past the round's proposal deadline the plan is read-only (the other editing pages
            # send the team back to the proposal: tests/exchange/proposals/test_edit_windows.py).
            reverse("exchange:proposal-plan", args=[mine.slug]),
            reverse("exchange:proposal-plan", args=[funded.slug]),
            reverse("exchange:update-create", args=[funded.slug]),
            reverse("exchange:ballot", args=[current.year]),
            reverse("exchange:supported"),
        ],
        guest: [reverse(detail, args=[mine.slug])],
        panel_member: [
            reverse("exchange:shortlist-panels"),
            reverse("exchange:shortlist-panel", args=[panel.pk]),
            reverse("exchange:shortlist-assignment", args=[to_do.pk]),
        ],
        moderator: [
            reverse("exchange:moderation-queue"),
            reverse("exchange:moderation-comment", args=[reported.pk]),
            reverse("exchange:your-ballot", args=[current.year]),
            reverse("exchange:turnout", args=[current.year]),
            reverse(
                "exchange:proposal-decide",
                args=[
                    current.proposals.filter(stage=Stage.PROPOSAL).exclude(lead=member).first().slug
                ],
            ),
        ],
    }
    for user, paths in pages.items():
        signed_in = client_for(user)
        for path in paths:
            assert signed_in.get(path).status_code == 200, (user.email, path)

    # Next year's round takes ideas: the demo member is offered "Post an idea", and their own
    # idea's page links every editing page, the lead handover and turning it into a proposal.
    idea = future.proposals.get(lead=member)
    as_member = client_for(member)
    round_page = as_member.get(reverse("exchange:round-detail", args=[future.year]))
    assert reverse("exchange:idea-new", args=[future.year]) in round_page.content.decode()
    idea_page = as_member.get(reverse(detail, args=[idea.slug])).content.decode()
    assert "Turn your idea into a full proposal" in idea_page
    for name in ("proposal-edit", "proposal-team", "proposal-attachments", "proposal-develop"):
        path = reverse(f"exchange:{name}", args=[idea.slug])
        assert path in idea_page, name
        assert as_member.get(path).status_code == 200, name
    team_page = as_member.get(reverse("exchange:proposal-team", args=[idea.slug])).content.decode()
    handover = reverse("exchange:lead-handover", args=[idea.slug])
    assert handover in team_page
    assert as_member.get(handover).status_code == 200
    develop = as_member.get(reverse("exchange:proposal-develop", args=[idea.slug]))
    assert "Questions still to answer" not in develop.content.decode()
    assert "Turn it into a full proposal" in develop.content.decode()

    # What the pages show: the funded project's record, the hidden comment's reason, the
    # advert waiting in the moderation queue.
    page = client.get(reverse(detail, args=[funded.slug])).content.decode()
    assert funded.updates.first().title in page
    page = client.get(reverse(detail, args=[hidden.proposal.slug])).content.decode()
    assert hidden.hidden_reason in page
    assert hidden.body not in page
    queue = client_for(moderator).get(reverse("exchange:moderation-queue")).content.decode()
    assert (
        "scheduling app" in queue
        or reverse("exchange:moderation-comment", args=[reported.pk]) in queue
    )
