"""Q Exchange: yearly funding rounds, the ideas and proposals members post to them, their teams,
answers, plan timelines and attachments, threaded comments, support, ballots and progress
updates. Writes go through `exchange.services`; reads through `exchange.selectors`.

Shortlisting panels use the site-wide scoring kit: a round owns a `scoring.Scheme` (its
criteria and scale) and its panels; a panel's subjects are proposals."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from qcommunity.core.taxonomy import Region

from .enums import AttachmentKind, Stage, TeamRole, TimelineStatus


class Round(models.Model):
    """One year of Q Exchange. Its dates, in order: ideas open (`opens_at`); ideas must become
    full proposals by `proposals_close_at`; comments close at `comments_close_at`; members vote
    between `voting_opens_at` and `voting_closes_at`; decisions are announced at `decisions_at`.
    Each member's ballot chooses exactly `choices_per_theme` proposals in every theme."""

    year = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, max_length=10000)
    opens_at = models.DateTimeField()
    proposals_close_at = models.DateTimeField()
    comments_close_at = models.DateTimeField()
    voting_opens_at = models.DateTimeField()
    voting_closes_at = models.DateTimeField()
    decisions_at = models.DateTimeField()
    funding_cap = models.PositiveIntegerField(help_text="The most one project can receive, in £.")
    choices_per_theme = models.PositiveSmallIntegerField(default=3)
    scheme = models.OneToOneField(
        "scoring.Scheme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_round",
    )
    # Unpublished rounds are seen by staff only.
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("proposals_close_at"))
                & Q(proposals_close_at__lte=F("comments_close_at"))
                & Q(proposals_close_at__lte=F("voting_opens_at"))
                & Q(voting_opens_at__lt=F("voting_closes_at"))
                & Q(comments_close_at__lte=F("voting_closes_at"))
                & Q(voting_closes_at__lte=F("decisions_at")),
                name="exchange_round_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(choices_per_theme__gte=1), name="exchange_round_choices_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_published(self) -> bool:
        return self.published_at is not None

    def accepts_ideas(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published() and self.opens_at <= now < self.proposals_close_at

    def comments_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published() and self.opens_at <= now < self.comments_close_at

    def voting_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published() and self.voting_opens_at <= now < self.voting_closes_at

    def voting_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.voting_closes_at


class Theme(models.Model):
    """A theme question of a round ("How can we improve across system boundaries?"). Every
    proposal answers one theme; ballots choose per theme."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    question = models.CharField(max_length=300)
    description = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "position"], name="exchange_theme_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A question every proposal of the round answers, in order, within `word_limit` words.
    `required_for_idea`: whether an idea must answer it too (the rest are needed only when the
    idea becomes a full proposal)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    question = models.CharField(max_length=300)
    guidance = models.TextField(blank=True, max_length=5000)
    word_limit = models.PositiveIntegerField(default=500)
    required_for_idea = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "position"], name="exchange_section_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(word_limit__gt=0), name="exchange_section_word_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.question


class Proposal(models.Model):
    """An idea or proposal in a round. Its stage changes only in
    `services.proposal_transition` (table: `PROPOSAL_TRANSITIONS`)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="proposals")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="proposals")
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=150)
    summary = models.CharField("one-line summary", max_length=300)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.IDEA)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchange_proposals"
    )
    topics = models.ManyToManyField("members.Topic", blank=True, related_name="proposals")
    regions = ArrayField(
        models.CharField(max_length=40, choices=Region.choices), default=list, blank=True
    )
    # An optional name the team goes by ("#QIFaculty"), shown as "Meet the team: #QIFaculty".
    team_name = models.CharField(max_length=100, blank=True)
    # Pounds asked for; shown with the round's cap.
    amount_requested = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # "Last updated" on the page: changes to the proposal's own content, not comments.
    updated_at = models.DateTimeField(default=timezone.now)
    developed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # When it was shortlisted, kept after a funding decision: until the round announces its
    # outcomes, people outside the team and staff see a decided proposal as it stood before
    # (shortlisted, or a proposal) (`exchange.selectors.shown_stage`).
    shortlisted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The moderators' reason for the latest shortlisting or funding decision, told to the team.
    decision_reason = models.TextField(blank=True, max_length=5000)
    # A handover of the lead role waiting for the proposed lead (a team member with an account)
    # to accept or decline (`services_edit.lead_handover_*`).
    lead_offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_offered_at = models.DateTimeField(null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage__in=["funded", "not_funded", "shortlisted"])
                | Q(decided_at__isnull=False),
                name="exchange_proposal_decided_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(stage="withdrawn") | Q(withdrawn_at__isnull=False),
                name="exchange_proposal_withdrawn_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "stage"], name="exchange_prop_round_stage_idx"),
            models.Index(fields=["theme", "stage"], name="exchange_prop_theme_stage_idx"),
            models.Index(fields=["round", "-created_at"], name="exchange_prop_round_new_idx"),
            models.Index(fields=["lead"], name="exchange_prop_lead_idx"),
            GinIndex(fields=["regions"], name="exchange_prop_regions_idx"),
            GinIndex(fields=["search_vector"], name="exchange_prop_search_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class TeamMember(models.Model):
    """Someone named in a proposal's team: a member (linked to their directory entry) or a named
    person with a role line. A co-author is a member invited to edit; they can edit once they
    accept (`accepted_at`)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exchange_teams",
    )
    name = models.CharField(max_length=150, blank=True)
    role_line = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)
    position = models.PositiveSmallIntegerField(default=0)
    invited_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"],
                condition=Q(user__isnull=False),
                name="exchange_team_member_once",
            ),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(role="lead"),
                name="exchange_team_one_lead",
            ),
            # A named person without an account has a name; members are named by their account.
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="exchange_team_member_named",
            ),
            # Only members can lead or co-author (they sign in to edit).
            models.CheckConstraint(
                condition=Q(role="member") | Q(user__isnull=False),
                name="exchange_team_editor_has_account",
            ),
        ]
        indexes = [models.Index(fields=["user"], name="exchange_team_user_idx")]

    def __str__(self) -> str:
        return self.name or f"Team member {self.pk}"


class SectionAnswer(models.Model):
    """A proposal's answer to one of its round's sections, in markdown. `words` is kept by the
    service with `qcommunity.core.words.word_count`, the count the page shows live."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True, max_length=30000)
    words = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "section__position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "section"], name="exchange_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.section_id} on proposal {self.proposal_id}"


class ContributionPoint(models.Model):
    """One "how you can contribute" point: what the team asks of the community."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contributions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["proposal", "position", "id"]

    def __str__(self) -> str:
        return self.text


class TimelineItem(models.Model):
    """A dated step of the plan. Once funded, the team marks steps done, moves them (the first
    planned date is kept in `planned_on` and the reason given) or drops them, so the timeline
    becomes the project's record."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="timeline")
    on = models.DateField()
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=8, choices=TimelineStatus.choices, default=TimelineStatus.PLANNED
    )
    planned_on = models.DateField(null=True, blank=True)
    change_reason = models.CharField(max_length=500, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["moved", "dropped"]) | ~Q(change_reason=""),
                name="exchange_timeline_change_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["proposal", "on"], name="exchange_timeline_on_idx")]

    def __str__(self) -> str:
        return f"{self.on}: {self.title}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is ours; the member's file name is kept in `original_name` only.
    return f"exchange/attachments/{instance.proposal_id}/{instance.token}{instance.extension}"


class Attachment(models.Model):
    """A file attached to a proposal, checked by its content (not its name) when uploaded and
    served through a view that checks the proposal is visible."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    # Set when the file belongs to a funded team's progress update rather than the proposal.
    update = models.ForeignKey(
        "ProgressUpdate",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    original_name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=8, choices=AttachmentKind.choices)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title or self.original_name


class Comment(models.Model):
    """A comment on a proposal, or a reply to one (`parent`). The markdown is rendered and
    sanitised once, when written, into `body_html`. A hidden comment keeps its place in the thread
    (replies still make sense) but shows only that it was hidden, and why. A removed comment
    (`removed_at`: its author deleted their account) keeps its place the same way, with its text
    blanked, and shows only that it was removed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_comments"
    )
    body = models.TextField(max_length=10000)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=500, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="exchange_comment_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | (Q(body="") & Q(body_html="")),
                name="exchange_comment_removed_is_blank",
            ),
        ]
        indexes = [
            models.Index(fields=["proposal", "created_at"], name="exchange_comment_prop_idx"),
            models.Index(fields=["parent"], name="exchange_comment_parent_idx"),
            models.Index(fields=["author"], name="exchange_comment_author_idx"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on proposal {self.proposal_id}"


class CommentReport(models.Model):
    """A reader's report that a comment breaks the community's rules, for the moderators."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="exchange_comment_report_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(resolved_at__isnull=True),
                name="exchange_report_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Report on comment {self.comment_id}"


class Support(models.Model):
    """A member follows ("supports") a proposal: they hear of its updates."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="exchange_support_once"),
        ]
        indexes = [models.Index(fields=["user"], name="exchange_support_user_idx")]

    def __str__(self) -> str:
        return f"Support for {self.proposal}"


class Ballot(models.Model):
    """A member's one ballot in a round. Its choices are replaced whole when the member changes
    it; a database trigger checks, at commit, that every theme has exactly the round's number of
    choices (see the migration)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_ballots"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="exchange_ballot_one"),
        ]

    def __str__(self) -> str:
        # An audit label: the round by name; who voted is the entry's actor, not its label.
        return f"Ballot in {self.round}"


class BallotChoice(models.Model):
    """One proposal chosen on a ballot. `theme` repeats the proposal's theme so the database can
    count choices per theme."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="votes")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "proposal"], name="exchange_choice_once"),
        ]
        indexes = [models.Index(fields=["proposal"], name="exchange_choice_proposal_idx")]

    def __str__(self) -> str:
        return f"Ballot choice: {self.proposal}"


class ProgressUpdate(models.Model):
    """A funded team's progress update on its proposal page (markdown, sanitised when written)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=20000)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    # When the proposal's followers were told of it. An update posted before the round
    # announces its outcomes is held back (telling would announce the funding) and told by the
    # scheduled `exchange.tasks.progress_updates_tell_due` once the announcement date passes.
    followers_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["proposal", "-created_at"], name="exchange_update_prop_idx"),
            models.Index(
                fields=["created_at"],
                condition=Q(followers_told_at__isnull=True),
                name="exchange_update_untold_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalEdit(models.Model):
    """One save of a proposal's content by its team (written by `services.proposal_update`
    when something changed): the record behind "edits after feedback" on the shortlisting
    panel's overview. `sections` counts the answers that changed in that save."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="edits")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sections = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["proposal", "at", "id"]
        indexes = [models.Index(fields=["proposal", "at"], name="exchange_edit_prop_at_idx")]

    def __str__(self) -> str:
        return f"Edit of proposal {self.proposal_id} at {self.at:%Y-%m-%d %H:%M}"
