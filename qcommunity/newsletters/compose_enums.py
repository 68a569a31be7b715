"""Choices and transition tables for composing issues and the member showcase.

State machines are data: each table maps an action to the statuses it moves between and the
permission it needs. The transition services in `compose.py` check these tables; the pages ask
the same tables which buttons to show, so no status is assigned anywhere else."""

from django.db import models

from qcommunity.core.workflow import Transition, transitions

from .enums import IssueStatus


class SectionKind(models.TextChoices):
    TEXT = "text", "Text"
    BLOCK = "block", "Reusable block"
    SHOWCASE = "showcase", "Member showcase"


class ShowcaseStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    APPROVED = "approved", "Approved"
    # Pages name who it was returned to ("Returned to you" for its author): see showcase_tag.
    RETURNED = "returned", "Returned"


# Moves of an issue (`compose.ISSUES`, the kit in `qcommunity.core.workflow`): editors take
# them; the sending machinery (the system, or an editor sending now) starts and ends a send.
ISSUE_TRANSITIONS = transitions(
    Transition("approve", frozenset({IssueStatus.DRAFT}), IssueStatus.APPROVED,
               "Approve this issue", "newsletters.compose_issues"),
    # A scheduled issue returned to draft keeps its planned time but is not sent until it
    # is approved again (editors are reminded the day before); approving it schedules it.
    Transition("return_to_draft", frozenset({IssueStatus.APPROVED, IssueStatus.SCHEDULED}),
               IssueStatus.DRAFT, "Return to draft to make changes", "newsletters.compose_issues"),
    # Scheduling needs an approved issue; a scheduled issue can be moved to another time.
    Transition("schedule", frozenset({IssueStatus.APPROVED, IssueStatus.SCHEDULED}),
               IssueStatus.SCHEDULED, "Schedule", "newsletters.compose_issues"),
    Transition("unschedule", frozenset({IssueStatus.SCHEDULED}), IssueStatus.APPROVED,
               "Unschedule", "newsletters.compose_issues"),
    Transition("cancel",
               frozenset({IssueStatus.DRAFT, IssueStatus.APPROVED, IssueStatus.SCHEDULED}),
               IssueStatus.CANCELLED, "Cancel this issue", "newsletters.compose_issues"),
    Transition("restore", frozenset({IssueStatus.CANCELLED}), IssueStatus.DRAFT,
               "Restore as a draft", "newsletters.compose_issues"),
    Transition("start_sending", frozenset({IssueStatus.APPROVED, IssueStatus.SCHEDULED}),
               IssueStatus.SENDING, "Send now", "newsletters.compose_issues", system=True),
    Transition("mark_sent", frozenset({IssueStatus.SENDING}), IssueStatus.SENT,
               "Mark as sent", "newsletters.compose_issues", system=True),
)  # fmt: skip

# Buttons on the issue page, in this order (schedule has its own form, so it is not a button).
ISSUE_BUTTON_ACTIONS = ("approve", "unschedule", "return_to_draft", "cancel", "restore")

# Content (title, introduction, segment, sections) can change only while the issue is a draft.
EDITABLE_STATUSES = frozenset({IssueStatus.DRAFT})
# Once sending starts the issue is fixed: reusable blocks are copied into their sections.
FROZEN_STATUSES = frozenset({IssueStatus.SENDING, IssueStatus.SENT})

# Moves of a showcase item (`compose.SHOWCASE`): editors review; the member who put it
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
