"""Demo newsletter content for local development: past issues in the archive, a draft and a
scheduled issue, reusable blocks, and member showcase submissions in every status. The two
approved submissions, in the scheduled issue, each have a picture with its description: they are
put forward and approved through the showcase services, as a member and an editor would.
Everything here is invented. Idempotent (keyed by slugs, names and titles); refuses production
settings."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.core.demo import refuse_in_production

from ..issues.enums import IssueStatus, SectionKind
from ..issues.models import Issue, IssueSection, ReusableBlock
from ..showcase.enums import ShowcaseStatus
from ..showcase.images import showcase_image_prepare
from ..showcase.models import ShowcaseItem
from ..showcase.services import showcase_approve, showcase_submit
from ..subscriptions.models import Newsletter

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

# Pictures for showcase items, by title: (description, the monthly counts its run chart shows).
SHOWCASE_IMAGES = {
    "A ten-minute safety huddle on a surgical ward": (
        "A run chart of falls on the ward each month: about nine a month before the huddles "
        "began, about six a month after.",
        (9, 10, 8, 9, 11, 9, 7, 6, 6, 5, 6, 6),
    ),
    "Patients co-design a calmer discharge lounge": (
        "A run chart of the average wait in minutes for take-home prescriptions: from about "
        "110 minutes down to about 70 after the lounge was changed.",
        (112, 108, 115, 110, 104, 96, 84, 75, 72, 70, 68, 71),
    ),
}


def showcase_picture(values: tuple[int, ...]) -> bytes:
    """A simple run chart (PNG): monthly points joined by a line, with the median of the first
    half dashed across, drawn for the demo."""
    width, height, margin = 640, 360, 40
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.line((margin, margin, margin, height - margin), fill=(66, 84, 98), width=2)
    draw.line(
        (margin, height - margin, width - margin, height - margin), fill=(66, 84, 98), width=2
    )
    top, low = max(values) * 1.1, min(values) * 0.8
    step = (width - 2 * margin) / (len(values) - 1)

    def y(value: float) -> float:
        return height - margin - (value - low) / (top - low) * (height - 2 * margin)

    points = [(margin + n * step, y(v)) for n, v in enumerate(values)]
    draw.line(points, fill=(0, 94, 184), width=3)
    for x, y_ in points:
        draw.ellipse((x - 5, y_ - 5, x + 5, y_ + 5), fill=(0, 94, 184))
    first = sorted(values[: len(values) // 2])
    median = y(first[len(first) // 2])
    for x in range(margin, width - margin, 16):
        draw.line((x, median, x + 8, median), fill=(237, 139, 0), width=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _showcase_with_image(*, member, editor, title, summary, link, status) -> ShowcaseItem | None:
    """An item with a picture, put forward by `member` and approved by `editor` through the
    compose services (the approval email goes to the outbox, as it would)."""
    if member is None or editor is None or status != ShowcaseStatus.APPROVED:
        return None
    description, values = SHOWCASE_IMAGES[title]
    upload = SimpleUploadedFile("run-chart.png", showcase_picture(values), content_type="image/png")
    item = showcase_submit(
        actor=member,
        title=title,
        summary=summary,
        link=link,
        image=showcase_image_prepare(upload),
        image_alt=description,
    )
    return showcase_approve(actor=editor, item=item)


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
        member = members[n % len(members)] if members else None
        item = ShowcaseItem.objects.filter(title=title).first()
        if item is None and title in SHOWCASE_IMAGES:
            item = _showcase_with_image(
                member=member, editor=editor, title=title, summary=summary, link=link,
                status=status,
            )  # fmt: skip
        if item is not None:
            items.append(item)
            continue
        item, _ = ShowcaseItem.objects.get_or_create(
            title=title,
            defaults={
                "submitted_by": member,
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
