"""A yearly funding round, its themes and the sections every proposal answers."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


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
    # Set when the round was brought in from the earlier Q Exchange site (exchange.imports);
    # early rounds had no theme, so an imported round may have none.
    imported_at = models.DateTimeField(null=True, blank=True)
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
