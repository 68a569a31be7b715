"""Reads for composing and archiving issues: editor lists, the web archive, the approved showcase
items an issue can take, who an issue goes to and how its deliveries stand."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import UserRole

from ..showcase.enums import ShowcaseStatus
from ..showcase.models import ShowcaseItem
from ..subscriptions.enums import SubscriptionStatus
from ..subscriptions.models import Newsletter, Subscription, Suppression
from .audience import audience
from .enums import DeliveryStatus, IssueStatus
from .models import Delivery, Issue, IssueSection, ReusableBlock


def issue_list() -> QuerySet[Issue]:
    """Every issue for the editors' list, newest first, with its newsletter and section count."""
    return (
        Issue.objects.select_related("newsletter")
        .annotate(section_count=Count("sections"))
        .order_by("-created_at", "-id")
    )


def issue_get(pk: int) -> Issue:
    try:
        return Issue.objects.select_related("newsletter", "created_by").get(pk=pk)
    except Issue.DoesNotExist:
        raise Http404 from None


def issue_sections(issue: Issue) -> list[IssueSection]:
    return list(issue.sections.select_related("block", "showcase_item").order_by("position"))


def issue_segment_topics(issue: Issue) -> list:
    return list(issue.segment_topics.order_by("name"))


def archive_newsletters() -> QuerySet[Newsletter]:
    """Public newsletters that have at least one sent issue."""
    return (
        Newsletter.objects.filter(is_public=True)
        .annotate(sent_count=Count("issues", filter=Q(issues__status=IssueStatus.SENT)))
        .filter(sent_count__gt=0)
        .order_by("name")
    )


def archive_issue_list(newsletter: Newsletter | None = None) -> QuerySet[Issue]:
    """Sent issues of public newsletters, newest first. Nothing else ever appears."""
    issues = Issue.objects.filter(status=IssueStatus.SENT, newsletter__is_public=True)
    if newsletter is not None:
        issues = issues.filter(newsletter=newsletter)
    return issues.select_related("newsletter").order_by("-sent_at", "-id")


def archive_newsletter_get(slug: str) -> Newsletter:
    try:
        return Newsletter.objects.get(slug=slug, is_public=True)
    except Newsletter.DoesNotExist:
        raise Http404 from None


def archive_issue_get(*, newsletter_slug: str, issue_slug: str) -> Issue:
    """A sent issue of a public newsletter, or 404."""
    try:
        return archive_issue_list().get(newsletter__slug=newsletter_slug, slug=issue_slug)
    except Issue.DoesNotExist:
        raise Http404 from None


def block_list() -> QuerySet[ReusableBlock]:
    return (
        ReusableBlock.objects.select_related("updated_by")
        .annotate(use_count=Count("sections"))
        .order_by("name")
    )


def block_get(pk: int) -> ReusableBlock:
    try:
        return ReusableBlock.objects.get(pk=pk)
    except ReusableBlock.DoesNotExist:
        raise Http404 from None


def showcase_approved_for_issue(issue: Issue) -> QuerySet[ShowcaseItem]:
    """Approved items not already in this issue, newest first, to insert."""
    return (
        ShowcaseItem.objects.filter(status=ShowcaseStatus.APPROVED)
        .exclude(sections__issue=issue)
        .order_by("-decided_at", "-id")
    )


def issue_recipient_subscriptions(
    issue: Issue, *, include_suppressed: bool = False
) -> QuerySet[Subscription]:
    """Who an issue goes to: confirmed subscriptions of its newsletter whose address is not
    suppressed (a suppression for every newsletter, or for this one, matched without regard to
    case). When the issue has a segment, only members are included: contacts whose account holds
    the member role and has a directory profile matching the segment. Kinds combine with AND
    (region and role type and topic); choices within a kind with OR (any chosen region...). A
    blank kind does not restrict. Ordered by id, with the contact joined. The sending fan-out
    asks for suppressed addresses too (`include_suppressed`), to record them as suppressed."""
    suppressed = Suppression.objects.annotate(address=Lower("email")).filter(
        Q(newsletter__isnull=True) | Q(newsletter_id=issue.newsletter_id),
        address=Lower(OuterRef("contact__email")),
    )
    subscriptions = (
        Subscription.objects.filter(
            newsletter_id=issue.newsletter_id, status=SubscriptionStatus.CONFIRMED
        )
        .select_related("contact")
        .order_by("id")
    )
    if not include_suppressed:
        subscriptions = subscriptions.exclude(Exists(suppressed))
    regions = list(issue.segment_regions or [])
    role_types = list(issue.segment_role_types or [])
    topic_ids = list(issue.segment_topics.values_list("pk", flat=True)) if issue.pk else []
    if not (regions or role_types or topic_ids):
        return subscriptions
    in_segment = audience().members_matching(
        OuterRef("contact__user_id"), regions, role_types, topic_ids
    )
    is_member = UserRole.objects.filter(user_id=OuterRef("contact__user_id"), role=Role.MEMBER)
    return subscriptions.filter(contact__user__isnull=False).filter(in_segment, Exists(is_member))


def issue_delivery_counts(issue: Issue) -> dict[str, int]:
    """How many deliveries of the issue are queued, sent, failed and suppressed (one query)."""
    return Delivery.objects.filter(issue=issue).aggregate(
        total=Count("pk"),
        **{status.value: Count("pk", filter=Q(status=status)) for status in DeliveryStatus},
    )
