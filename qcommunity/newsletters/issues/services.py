"""Writes for composing issues: issues and their transitions, sections, reusable blocks and
test sends.

Every service takes the acting user, runs in one transaction, and writes an audit row. Issue
statuses change only through the workflow `ISSUES` (table in `enums`). Issue content changes
only while the issue is a draft; every change locks the issue row first, so two editors (or a
double click) cannot interleave."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import ServiceError, require_perm
from qcommunity.core.workflow import Move, Workflow
from qcommunity.outbox.models import OutboxEmail
from qcommunity.outbox.services import email_queue

from ..showcase.enums import ShowcaseStatus
from ..showcase.models import ShowcaseItem
from ..subscriptions.models import Newsletter
from . import rules  # noqa: F401 (registers the permissions the services check)
from .enums import (
    DELIVERY_TRANSITIONS,
    EDITABLE_STATUSES,
    ISSUE_TRANSITIONS,
    IssueStatus,
    SectionKind,
)
from .models import Delivery, Issue, IssueSection, ReusableBlock
from .render import issue_parts_forget, issue_render_email, merge_fields_message
from .render import merge_fields_unknown as _unknown

TEST_SEND_KIND = "newsletter_test"
TEST_SENDS_PER_HOUR = 10


class ComposeError(ServiceError):
    """An issue composing service refused (see `ServiceError`)."""


# Issues ---------------------------------------------------------------------------------------


def _check_merge_fields(**texts: str) -> None:
    errors = {
        name: merge_fields_message(found)
        for name, text in texts.items()
        if (found := _unknown(text))
    }
    if errors:
        raise ValidationError(errors)


def _require_perm(actor, perm: str) -> None:
    require_perm(actor, perm, error=ComposeError)


def _lock(issue: Issue) -> Issue:
    return (
        Issue.objects.select_for_update(of=("self",)).select_related("newsletter").get(pk=issue.pk)
    )


def _require_editable(issue: Issue) -> None:
    if issue.status not in EDITABLE_STATUSES:
        raise ComposeError(
            f"This issue is {issue.get_status_display().lower()}, so it cannot be changed. "
            "Only draft issues can be changed."
        )


def _touch(issue: Issue) -> None:
    issue.updated_at = timezone.now()
    issue.save(update_fields=["updated_at"])
    issue_parts_forget(issue)


def unique_issue_slug(newsletter: Newsletter, title: str) -> str:
    base = slugify(title)[:200] or "issue"
    slug, n = base, 1
    while Issue.objects.filter(newsletter=newsletter, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _segment_data(regions, role_types, topics) -> dict:
    return {
        "regions": sorted(regions),
        "role_types": sorted(role_types),
        "topics": sorted(t.pk for t in topics),
    }


@transaction.atomic
def issue_create(
    *,
    actor,
    newsletter: Newsletter,
    title: str,
    intro: str = "",
    segment_regions=(),
    segment_role_types=(),
    segment_topics=(),
) -> Issue:
    """Start a draft issue. Its web address (slug) comes from the title and stays fixed."""
    _require_perm(actor, "newsletters.compose_issues")
    _check_merge_fields(title=title, intro=intro)
    issue = Issue(
        newsletter=newsletter,
        title=title,
        slug=unique_issue_slug(newsletter, title),
        intro=intro,
        segment_regions=list(segment_regions),
        segment_role_types=list(segment_role_types),
        created_by=actor,
    )
    issue.full_clean()
    issue.save()
    issue.segment_topics.set(segment_topics)
    audit_record(
        actor=actor,
        action="newsletter_issue.create",
        target=issue,
        data={"newsletter": newsletter.slug},
    )
    return issue


@transaction.atomic
def issue_update(
    *, actor, issue: Issue, title: str, intro: str, segment_regions, segment_role_types,
    segment_topics,
) -> Issue:  # fmt: skip
    """Change a draft issue's title, introduction and segment (blank segment: the whole list)."""
    _require_perm(actor, "newsletters.compose_issues")
    issue = _lock(issue)
    _require_editable(issue)
    _check_merge_fields(title=title, intro=intro)
    issue.title = title
    issue.intro = intro
    issue.segment_regions = sorted(segment_regions)
    issue.segment_role_types = sorted(segment_role_types)
    issue.updated_at = timezone.now()
    issue.full_clean(exclude=["slug"])
    issue.save(
        update_fields=["title", "intro", "segment_regions", "segment_role_types", "updated_at"]
    )
    issue.segment_topics.set(segment_topics)
    audit_record(
        actor=actor,
        action="newsletter_issue.update",
        target=issue,
        data=_segment_data(segment_regions, segment_role_types, segment_topics),
    )
    return issue


def _check_ready_to_approve(issue: Issue) -> None:
    sections = list(issue.sections.select_related("block", "showcase_item"))
    if not sections and not issue.intro.strip():
        raise ComposeError("Add an introduction or at least one section before approving.")
    texts = {"title": issue.title, "intro": issue.intro}
    for section in sections:
        texts[f"section {section.position}"] = section.heading + "\n" + section.body
        if section.kind == SectionKind.BLOCK:
            texts[f"block {section.block.name}"] = section.block.heading + section.block.body
        if (
            section.kind == SectionKind.SHOWCASE
            and section.showcase_item.status != ShowcaseStatus.APPROVED
        ):
            raise ComposeError(
                f"The showcase item \u201c{section.showcase_item.title}\u201d is no longer "
                "approved. Remove it before approving the issue."
            )
    unknown = [found for text in texts.values() for found in _unknown(text)]
    if unknown:
        raise ComposeError(merge_fields_message(unknown))


def _freeze_sections(issue: Issue) -> None:
    """Copy each reusable block into its section, so later edits of the block do not change
    what was sent or what the archive shows."""
    for section in issue.sections.filter(kind=SectionKind.BLOCK).select_related("block"):
        section.heading = section.block.heading
        section.body = section.block.body
        section.save(update_fields=["heading", "body"])


# Every status change of an issue: the table is `enums.ISSUE_TRANSITIONS`.
ISSUES = Workflow(
    model=Issue,
    field="status",
    transitions=ISSUE_TRANSITIONS,
    audit="newsletter_issue",
    error=ComposeError,
    noun="issue",
    lock=_lock,
    after=lambda move: issue_parts_forget(move.obj),
)


# The status changes of deliveries that are not the outbox's own (see `enums`).
DELIVERIES = Workflow(
    model=Delivery,
    field="status",
    transitions=DELIVERY_TRANSITIONS,
    audit="newsletter_delivery",
    error=ComposeError,
    noun="delivery",
)


@ISSUES.effect("approve")
def _issue_approve(move: Move) -> None:
    """Needs content, known merge fields and showcase items that are still approved. A draft
    with a planned time still ahead is scheduled again; a time that has passed is cleared."""
    issue = move.obj
    _check_ready_to_approve(issue)
    if issue.scheduled_for and issue.scheduled_for > move.now:
        move.target = IssueStatus.SCHEDULED
    elif issue.scheduled_for:
        move.set(scheduled_for=None)


@ISSUES.effect("schedule")
def _issue_schedule(move: Move) -> None:
    """Needs an approved (or already scheduled) issue and a time in the future."""
    scheduled_for = move.params.get("scheduled_for")
    if scheduled_for is None:
        raise ComposeError("Enter the date and time to send the issue.")
    if scheduled_for <= move.now:
        raise ComposeError("The date and time to send the issue must be in the future.")
    move.set(scheduled_for=scheduled_for)
    move.data["scheduled_for"] = scheduled_for.isoformat()


@ISSUES.effect("unschedule", "cancel")
def _issue_clear_time(move: Move) -> None:
    """Unscheduling and cancelling clear the time; returning to draft keeps it as the plan."""
    move.set(scheduled_for=None)


@ISSUES.effect("start_sending")
def _issue_start_sending(move: Move) -> None:
    """Reusable blocks are copied into their sections: the issue is fixed from here."""
    _freeze_sections(move.obj)


@ISSUES.effect("mark_sent")
def _issue_mark_sent(move: Move) -> None:
    move.set(sent_at=move.now)


def issue_transition(
    *, actor, issue: Issue, action: str, scheduled_for: dt.datetime | None = None
) -> Issue:
    """Move `issue` by `action` through `ISSUES` (the rules are its effects above; editor
    actions need `newsletters.compose_issues`; sending actions are taken by the system or by
    an editor). A double click does nothing the second time."""
    return ISSUES.move(actor=actor, obj=issue, action=action, scheduled_for=scheduled_for)


def issue_schedule(*, actor, issue: Issue, scheduled_for: dt.datetime) -> Issue:
    return issue_transition(
        actor=actor, issue=issue, action="schedule", scheduled_for=scheduled_for
    )


def issue_start_sending(*, actor=None, issue: Issue) -> Issue:
    """For the sending machinery: fix the content and mark the issue sending."""
    return issue_transition(actor=actor, issue=issue, action="start_sending")


def issue_mark_sent(*, actor=None, issue: Issue) -> Issue:
    """For the sending machinery: every delivery is done; the issue joins the web archive."""
    return issue_transition(actor=actor, issue=issue, action="mark_sent")


@transaction.atomic
def issue_test_send(*, actor, issue: Issue) -> OutboxEmail:
    """Queue the issue as an email to the editor's own address (outbox kind "newsletter_test"),
    at most `TEST_SENDS_PER_HOUR` an hour per editor. The unsubscribe link is left out: the
    footer says each reader's copy has one."""
    _require_perm(actor, "newsletters.compose_issues")
    issue = _lock(issue)
    since = timezone.now() - dt.timedelta(hours=1)
    recent = OutboxEmail.objects.filter(
        kind=TEST_SEND_KIND, recipient=actor.email, created_at__gt=since
    ).count()
    if recent >= TEST_SENDS_PER_HOUR:
        raise ComposeError(
            f"You can send up to {TEST_SENDS_PER_HOUR} tests an hour. Try again later."
        )
    unknown = _unknown(issue.title) + _unknown(issue.intro)
    for section in issue.sections.select_related("block"):
        unknown += _unknown(section.heading + section.body)
        if section.block_id:
            unknown += _unknown(section.block.heading + section.block.body)
    if unknown:
        raise ComposeError(merge_fields_message(unknown))
    rendered = issue_render_email(issue)
    row = email_queue(
        to=actor.email,
        kind=TEST_SEND_KIND,
        subject=f"Test: {rendered['subject']}",
        body_text=rendered["body_text"],
        body_html=rendered["body_html"],
        related=issue,
    )
    audit_record(actor=actor, action="newsletter_issue.test_send", target=issue, data={})
    return row


# Sections -------------------------------------------------------------------------------------


def _next_position(issue: Issue) -> int:
    return (issue.sections.aggregate(top=Max("position"))["top"] or 0) + 1


def _section_audit(actor, issue: Issue, verb: str, section: IssueSection) -> None:
    audit_record(
        actor=actor,
        action=f"newsletter_issue.section_{verb}",
        target=issue,
        data={"section": section.pk, "kind": section.kind, "position": section.position},
    )


@transaction.atomic
def section_add(*, actor, issue: Issue, heading: str, body: str) -> IssueSection:
    """Add a text section (heading and markdown) at the end of a draft issue."""
    _require_perm(actor, "newsletters.compose_issues")
    issue = _lock(issue)
    _require_editable(issue)
    _check_merge_fields(heading=heading, body=body)
    section = IssueSection(
        issue=issue, position=_next_position(issue), kind=SectionKind.TEXT, heading=heading,
        body=body,
    )  # fmt: skip
    section.full_clean()
    section.save()
    _touch(issue)
    _section_audit(actor, issue, "add", section)
    return section


@transaction.atomic
def section_add_block(*, actor, issue: Issue, block: ReusableBlock) -> IssueSection:
    """Add a section that shows a reusable block (its current text until the issue is sent)."""
    _require_perm(actor, "newsletters.compose_issues")
    issue = _lock(issue)
    _require_editable(issue)
    section = IssueSection.objects.create(
        issue=issue, position=_next_position(issue), kind=SectionKind.BLOCK, block=block
    )
    _touch(issue)
    _section_audit(actor, issue, "add", section)
    return section


@transaction.atomic
def section_add_showcase(*, actor, issue: Issue, item: ShowcaseItem) -> IssueSection:
    """Add an approved showcase item to a draft issue, once per issue."""
    _require_perm(actor, "newsletters.compose_issues")
    issue = _lock(issue)
    _require_editable(issue)
    item = ShowcaseItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ShowcaseStatus.APPROVED:
        raise ComposeError("Only approved showcase items can go into an issue.")
    if issue.sections.filter(showcase_item=item).exists():
        raise ComposeError(f"\u201c{item.title}\u201d is already in this issue.")
    section = IssueSection.objects.create(
        issue=issue, position=_next_position(issue), kind=SectionKind.SHOWCASE, showcase_item=item
    )
    _touch(issue)
    _section_audit(actor, issue, "add", section)
    return section


def _section_locked(section: IssueSection) -> tuple[Issue, IssueSection]:
    issue = _lock(section.issue)
    _require_editable(issue)
    section = issue.sections.select_for_update().get(pk=section.pk)
    return issue, section


@transaction.atomic
def section_update(*, actor, section: IssueSection, heading: str, body: str) -> IssueSection:
    """Change a text section of a draft issue."""
    _require_perm(actor, "newsletters.compose_issues")
    issue, section = _section_locked(section)
    if section.kind != SectionKind.TEXT:
        raise ComposeError("Only text sections are written in the issue.")
    _check_merge_fields(heading=heading, body=body)
    section.heading = heading
    section.body = body
    section.full_clean()
    section.save(update_fields=["heading", "body"])
    _touch(issue)
    _section_audit(actor, issue, "update", section)
    return section


@transaction.atomic
def section_move(*, actor, section: IssueSection, direction: str) -> IssueSection:
    """Swap a section with its neighbour above ("up") or below ("down"). At either end nothing
    changes. Positions are unique per issue; the constraint is deferred for the swap."""
    _require_perm(actor, "newsletters.compose_issues")
    if direction not in {"up", "down"}:
        raise ComposeError("Choose up or down.")
    issue, section = _section_locked(section)
    siblings = issue.sections.select_for_update()
    neighbour = (
        siblings.filter(position__lt=section.position).order_by("-position").first()
        if direction == "up"
        else siblings.filter(position__gt=section.position).order_by("position").first()
    )
    if neighbour is None:
        return section
    section.position, neighbour.position = neighbour.position, section.position
    section.save(update_fields=["position"])
    neighbour.save(update_fields=["position"])
    _touch(issue)
    _section_audit(actor, issue, "move", section)
    return section


@transaction.atomic
def section_remove(*, actor, section: IssueSection) -> None:
    """Take a section out of a draft issue and close the gap in the numbering."""
    _require_perm(actor, "newsletters.compose_issues")
    issue, section = _section_locked(section)
    _section_audit(actor, issue, "remove", section)
    section.delete()
    for position, remaining in enumerate(issue.sections.order_by("position"), start=1):
        if remaining.position != position:
            remaining.position = position
            remaining.save(update_fields=["position"])
    _touch(issue)


# Reusable blocks ------------------------------------------------------------------------------


@transaction.atomic
def block_create(*, actor, name: str, heading: str, body: str) -> ReusableBlock:
    _require_perm(actor, "newsletters.compose_issues")
    _check_merge_fields(heading=heading, body=body)
    block = ReusableBlock(name=name, heading=heading, body=body, updated_by=actor)
    block.full_clean()
    block.save()
    audit_record(actor=actor, action="newsletter_block.create", target=block)
    return block


@transaction.atomic
def block_update(
    *, actor, block: ReusableBlock, name: str, heading: str, body: str
) -> ReusableBlock:
    """Change a block. Unsent issues that use it show the new text; sent ones keep their copy."""
    _require_perm(actor, "newsletters.compose_issues")
    _check_merge_fields(heading=heading, body=body)
    block = ReusableBlock.objects.select_for_update().get(pk=block.pk)
    block.name, block.heading, block.body = name, heading, body
    block.updated_by = actor
    block.updated_at = timezone.now()
    block.full_clean()
    block.save(update_fields=["name", "heading", "body", "updated_by", "updated_at"])
    audit_record(actor=actor, action="newsletter_block.update", target=block)
    return block
