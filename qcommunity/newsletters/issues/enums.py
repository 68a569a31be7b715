"""Choices and transition tables for issues, their sections and their deliveries.

State machines are data: each table maps an action to the statuses it moves between and the
permission it needs. The transition services in `services.py` check these tables; the pages ask
the same tables which buttons to show, so no status is assigned anywhere else."""

from django.db import models

from qcommunity.core.workflow import Transition, transitions


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Suppressed"


# Moves of a delivery the workflow kit takes (`services.DELIVERIES`). Sent and failed mirror the
# outbox row's own status, which the sending machinery copies across as the worker reports.
DELIVERY_TRANSITIONS = transitions(
    # A queued delivery to someone who deleted their account is never sent.
    Transition("suppress", frozenset({DeliveryStatus.QUEUED}), DeliveryStatus.SUPPRESSED,
               "Suppress", system=True),
)  # fmt: skip


class SectionKind(models.TextChoices):
    TEXT = "text", "Text"
    BLOCK = "block", "Reusable block"
    SHOWCASE = "showcase", "Member showcase"


# Moves of an issue (`services.ISSUES`, the kit in `qcommunity.core.workflow`): editors take
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
# Statuses from which an editor may send an issue at once (the sending feature).
SENDABLE = frozenset({IssueStatus.APPROVED, IssueStatus.SCHEDULED})
