"""Choices and transition tables for composing issues and the member showcase.

State machines are data: each table maps an action to the statuses it moves between and the
permission it needs. The transition services in `compose.py` check these tables; the pages ask
the same tables which buttons to show, so no status is assigned anywhere else."""

from dataclasses import dataclass

from django.db import models

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


# Who may take an action: the editor composing issues, the worker that sends them, or the member
# who owns a showcase item.
EDITOR = "editor"
SYSTEM = "system"
OWNER = "owner"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    label: str
    by: str


ISSUE_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("approve", frozenset({IssueStatus.DRAFT}), IssueStatus.APPROVED,
                   "Approve this issue", EDITOR),
        # A scheduled issue returned to draft keeps its planned time but is not sent until it
        # is approved again (editors are reminded the day before); approving it schedules it.
        Transition("return_to_draft", frozenset({IssueStatus.APPROVED, IssueStatus.SCHEDULED}),
                   IssueStatus.DRAFT, "Return to draft to make changes", EDITOR),
        # Scheduling needs an approved issue; a scheduled issue can be moved to another time.
        Transition("schedule", frozenset({IssueStatus.APPROVED, IssueStatus.SCHEDULED}),
                   IssueStatus.SCHEDULED, "Schedule", EDITOR),
        Transition("unschedule", frozenset({IssueStatus.SCHEDULED}), IssueStatus.APPROVED,
                   "Unschedule", EDITOR),
        Transition("cancel",
                   frozenset({IssueStatus.DRAFT, IssueStatus.APPROVED, IssueStatus.SCHEDULED}),
                   IssueStatus.CANCELLED, "Cancel this issue", EDITOR),
        Transition("restore", frozenset({IssueStatus.CANCELLED}), IssueStatus.DRAFT,
                   "Restore as a draft", EDITOR),
        # The sending machinery starts a due scheduled issue, or an approved one sent now.
        Transition("start_sending", frozenset({IssueStatus.APPROVED, IssueStatus.SCHEDULED}),
                   IssueStatus.SENDING, "Send now", SYSTEM),
        Transition("mark_sent", frozenset({IssueStatus.SENDING}), IssueStatus.SENT,
                   "Mark as sent", SYSTEM),
    )
}  # fmt: skip

# Buttons on the issue page, in this order (schedule has its own form, so it is not a button).
ISSUE_BUTTON_ACTIONS = ("approve", "unschedule", "return_to_draft", "cancel", "restore")

# Content (title, introduction, segment, sections) can change only while the issue is a draft.
EDITABLE_STATUSES = frozenset({IssueStatus.DRAFT})
# Once sending starts the issue is fixed: reusable blocks are copied into their sections.
FROZEN_STATUSES = frozenset({IssueStatus.SENDING, IssueStatus.SENT})

SHOWCASE_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("approve", frozenset({ShowcaseStatus.SUBMITTED}), ShowcaseStatus.APPROVED,
                   "Approve", EDITOR),
        Transition("return", frozenset({ShowcaseStatus.SUBMITTED}), ShowcaseStatus.RETURNED,
                   "Return with a reason", EDITOR),
        Transition("resubmit", frozenset({ShowcaseStatus.RETURNED, ShowcaseStatus.SUBMITTED}),
                   ShowcaseStatus.SUBMITTED, "Send for review", OWNER),
    )
}  # fmt: skip


def issue_actions_from(status: str) -> list[Transition]:
    """The transitions an editor may take from `status`, in button order."""
    return [
        ISSUE_TRANSITIONS[action]
        for action in ISSUE_BUTTON_ACTIONS
        if status in ISSUE_TRANSITIONS[action].sources
    ]
