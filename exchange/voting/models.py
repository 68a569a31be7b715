"""Members' support for proposals and their ballots (one per round, choices per theme)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..proposals.models import Proposal
from ..rounds.models import Round, Theme


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
