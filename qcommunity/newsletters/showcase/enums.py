"""Choices and the transition table of a showcase item: the services in `services.py` check the
table; the pages ask it which buttons to show."""

from django.db import models

from qcommunity.core.workflow import Transition, transitions


class ShowcaseStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    APPROVED = "approved", "Approved"
    # Pages name who it was returned to ("Returned to you" for its author): see showcase_tag.
    RETURNED = "returned", "Returned"


# Moves of a showcase item (`services.SHOWCASE`): editors review; the member who put it
# forward sends it back for review.
SHOWCASE_TRANSITIONS = transitions(
    Transition("approve", frozenset({ShowcaseStatus.SUBMITTED}), ShowcaseStatus.APPROVED,
               "Approve", "newsletters.review_showcase"),
    Transition("return", frozenset({ShowcaseStatus.SUBMITTED}), ShowcaseStatus.RETURNED,
               "Return with a reason", "newsletters.review_showcase"),
    Transition("resubmit", frozenset({ShowcaseStatus.RETURNED, ShowcaseStatus.SUBMITTED}),
               ShowcaseStatus.SUBMITTED, "Send for review", "newsletters.resubmit_showcase",
               denied="You can only change your own submissions."),
)  # fmt: skip
