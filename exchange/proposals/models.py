"""The ideas and proposals members post to a round, their teams, answers, "how you can
contribute" points, plan timelines, attachments and the edits made after shortlisting. Writes go
through `exchange.proposals.services`; reads through `exchange.proposals.selectors`."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from qcommunity.core.taxonomy import Region

from ..rounds.models import Round, Section, Theme
from .enums import AttachmentKind, Stage, TeamRole, TimelineStatus


class Proposal(models.Model):
    """An idea or proposal in a round. Its stage changes only in
    `services.proposal_transition` (table: `PROPOSAL_TRANSITIONS`)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="proposals")
    # None only for a proposal imported from a round that had no themes (early rounds).
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=150)
    summary = models.CharField("one-line summary", max_length=300)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.IDEA)
    # None only for an imported proposal whose lead has no account here (they are named in the
    # team instead); nobody can edit such a proposal.
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_proposals",
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
    # (shortlisted, or a proposal) (`exchange.proposals.selectors.shown_stage`).
    shortlisted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The moderators' reason for the latest shortlisting or funding decision, told to the team.
    decision_reason = models.TextField(blank=True, max_length=5000)
    # A handover of the lead role waiting for the proposed lead (a team member with an account)
    # to accept or decline (`services.lead_handover_*`).
    lead_offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_offered_at = models.DateTimeField(null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # Set when brought in from the earlier Q Exchange site (exchange.imports), with the votes
    # it had there: a stored total, counted with any ballots cast here.
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_votes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(imported_at__isnull=False)
                | (Q(lead__isnull=False) & Q(theme__isnull=False)),
                name="exchange_proposal_lead_theme_unless_imported",
            ),
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
