"""Demo newsletter content for local development: past issues in the archive, a draft and a
scheduled issue, reusable blocks, and member showcase submissions in every status. Everything
here is invented. Idempotent (keyed by slugs, names and titles); refuses production settings."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.core.demo import refuse_in_production

from .compose_enums import SectionKind, ShowcaseStatus
from .enums import IssueStatus
from .models import Issue, IssueSection, Newsletter, ReusableBlock, ShowcaseItem

NEWSLETTER_SLUG = "community"  # seeded by migration 0002_subscribers

BLOCKS = {
    "How to get involved": (
        "Get involved",
        "- Join a conversation in an [improvement lab](https://q.example/labs/)\n"
        "- Put your own work forward for the member showcase from your account\n"
        "- Find people working on the same problem in the member directory",
    ),
    "Standard sign-off": (
        "",
        "Thank you for reading, {{ first_name }}. Reply to this email to tell us what you "
        "would like to see in the next issue.",
    ),
}

SHOWCASE = [
    # (title, summary, link, status, return reason)
    (
        "A ten-minute safety huddle on a surgical ward",
        "Nurses, healthcare assistants and the ward pharmacist meet for ten minutes at the start "
        "of each shift to name the patients most at risk of a fall. Over six months the ward "
        "recorded a third fewer falls, and staff say they feel able to raise worries earlier.",
        "https://example.org/showcase/safety-huddle",
        ShowcaseStatus.APPROVED,
        "",
    ),
    (
        "Patients co-design a calmer discharge lounge",
        "Working with people who had recently left hospital, a team rearranged the discharge "
        "lounge, added clear signs about medicines and transport, and cut the average wait for "
        "take-home prescriptions by forty minutes.",
        "https://example.org/showcase/discharge-lounge",
        ShowcaseStatus.APPROVED,
        "",
    ),
    (
        "Text reminders that halved missed physiotherapy appointments",
        "A community physiotherapy service tested a reminder sent two days before each "
        "appointment with a link to rebook. Missed appointments fell from 14% to 7% across "
        "three clinics, freeing time for people on the waiting list.",
        "https://example.org/showcase/text-reminders",
        ShowcaseStatus.SUBMITTED,
        "",
    ),
    (
        "Peer support for carers of people living with dementia",
        "Carers who had been through diagnosis now run a monthly drop-in at two GP surgeries. "
        "We measured how confident carers felt before and after their first three visits.",
        "https://example.org/showcase/carer-peer-support",
        ShowcaseStatus.SUBMITTED,
        "",
    ),
    (
        "Our new rota tool",
        "We built a rota tool.",
        "https://example.org/showcase/rota",
        ShowcaseStatus.RETURNED,
        "Thank you for sending this. Could you say what problem the tool solved, who used it, "
        "and what changed for staff or patients? Two or three sentences on each would help "
        "other members learn from it.",
    ),
]

PAST_ISSUES = [
    (
        "Winter pressures: what members are trying",
        "Hello {{ first_name }}. This issue gathers ideas members have tested to keep people "
        "well at home through the winter.",
        [("Learning from each other", "Three regional groups met in November to share what "
          "worked in their **virtual wards**. The notes are open to every member.")],
        120,
    ),
    (
        "Measuring what matters in community care",
        "Welcome to this issue of {{ newsletter_name }}.",
        [("Run charts without the fear", "A short guide from members in Wales on plotting "
          "weekly data and spotting a real shift rather than noise.")],
        60,
    ),
    (
        "Spring lab: reducing loneliness in later life",
        "Hello {{ first_name }}. Our spring lab opens for contributions this month.",
        [("How the lab works", "Share ideas, evidence and stories over eight weeks. We then "
          "test the most promising ideas with two local partners.")],
        20,
    ),
]  # fmt: skip


def _sections(issue: Issue, sections, blocks, showcase=()) -> None:
    if issue.sections.exists():
        return
    position = 0
    for heading, body in sections:
        position += 1
        IssueSection.objects.create(issue=issue, position=position, heading=heading, body=body)
    for item in showcase:
        position += 1
        IssueSection.objects.create(
            issue=issue, position=position, kind=SectionKind.SHOWCASE, showcase_item=item
        )
    for block in blocks:
        position += 1
        frozen = issue.status == IssueStatus.SENT
        IssueSection.objects.create(
            issue=issue,
            position=position,
            kind=SectionKind.BLOCK,
            block=block,
            heading=block.heading if frozen else "",
            body=block.body if frozen else "",
        )


@transaction.atomic
def seed_newsletter_content() -> int:
    """Create the demo newsletter content; returns how many issues were added."""
    refuse_in_production()
    now = timezone.now()
    newsletter, _ = Newsletter.objects.get_or_create(
        slug=NEWSLETTER_SLUG,
        defaults={
            "name": "Q community newsletter",
            "description": "News from across the Q community.",
            "list_id": "community.newsletters.community.q-community.example",
        },
    )
    editor = User.objects.filter(roles__role=Role.EDITOR).order_by("id").first()
    members = list(User.objects.filter(roles__role=Role.MEMBER).order_by("id")[:5])
    blocks = []
    for name, (heading, body) in BLOCKS.items():
        block, _ = ReusableBlock.objects.get_or_create(
            name=name, defaults={"heading": heading, "body": body, "updated_by": editor}
        )
        blocks.append(block)
    items = []
    for n, (title, summary, link, status, reason) in enumerate(SHOWCASE):
        item, _ = ShowcaseItem.objects.get_or_create(
            title=title,
            defaults={
                "submitted_by": members[n % len(members)] if members else None,
                "summary": summary,
                "link": link,
                "status": status,
                "return_reason": reason,
                "decided_by": editor if status != ShowcaseStatus.SUBMITTED else None,
                "decided_at": now if status != ShowcaseStatus.SUBMITTED else None,
            },
        )
        items.append(item)
    added = 0
    for title, intro, sections, days_ago in PAST_ISSUES:
        issue, created = Issue.objects.get_or_create(
            newsletter=newsletter,
            slug=title.lower().replace(":", "").replace(" ", "-")[:200],
            defaults={
                "title": title,
                "intro": intro,
                "status": IssueStatus.SENT,
                "sent_at": now - dt.timedelta(days=days_ago),
                "created_by": editor,
            },
        )
        added += created
        _sections(issue, sections, blocks)
    scheduled, created = Issue.objects.get_or_create(
        newsletter=newsletter,
        slug="member-showcase-special",
        defaults={
            "title": "Member showcase special",
            "intro": "Hello {{ first_name }}. This month, the work members asked us to share.",
            "status": IssueStatus.SCHEDULED,
            "scheduled_for": now + dt.timedelta(days=7),
            "created_by": editor,
        },
    )
    added += created
    _sections(scheduled, [], blocks, showcase=items[:2])
    draft, created = Issue.objects.get_or_create(
        newsletter=newsletter,
        slug="improvement-in-primary-care",
        defaults={
            "title": "Improvement in primary care",
            "intro": "A draft: stories from general practice teams.",
            "created_by": editor,
        },
    )
    added += created
    _sections(draft, [("Reception teams leading change", "To write.")], blocks[:1])
    return added
