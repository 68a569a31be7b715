"""Writes for the member showcase: a member puts work forward, editors approve it or return it
with a reason, the member changes it and sends it back. Statuses change only through the
workflow `SHOWCASE` (table in `enums`); every service takes the acting user, runs in one
transaction and writes an audit row."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import ServiceError, require_perm
from qcommunity.core.workflow import Move, Workflow
from qcommunity.notifications.services import notify

from . import rules  # noqa: F401 (registers the permissions the services check)
from .enums import SHOWCASE_TRANSITIONS
from .models import ShowcaseItem
from .notifications import SHOWCASE_DECISION

SHOWCASE_SUBMISSIONS_PER_DAY = 5


class ShowcaseError(ServiceError):
    """A showcase service refused (see `ServiceError`)."""


def _require_perm(actor, perm: str) -> None:
    require_perm(actor, perm, error=ShowcaseError)


def _check_link(link: str) -> None:
    if not link.lower().startswith("https://"):
        raise ValidationError({"link": "Enter a web address that starts with https://"})


def _check_image_alt(image, image_alt: str) -> None:
    if image and not image_alt.strip():
        raise ValidationError({"image_alt": "Describe the image for people who cannot see it"})


@transaction.atomic
def showcase_submit(
    *, actor, title: str, summary: str, link: str, image=None, image_alt: str = ""
) -> ShowcaseItem:
    """A member puts their work forward. `image` must already be checked and re-encoded
    (`images.showcase_image_prepare`). At most `SHOWCASE_SUBMISSIONS_PER_DAY` a day."""
    _require_perm(actor, "newsletters.submit_showcase")
    since = timezone.now() - dt.timedelta(days=1)
    if ShowcaseItem.objects.filter(submitted_by=actor, created_at__gt=since).count() >= (
        SHOWCASE_SUBMISSIONS_PER_DAY
    ):
        raise ShowcaseError(
            f"You can put forward up to {SHOWCASE_SUBMISSIONS_PER_DAY} pieces of work a day. "
            "Try again tomorrow."
        )
    _check_link(link)
    _check_image_alt(image, image_alt)
    item = ShowcaseItem(
        submitted_by=actor, title=title, summary=summary, link=link,
        image_alt=image_alt.strip() if image else "",
    )  # fmt: skip
    item.full_clean(exclude=["image"])
    if image:
        item.image.save(image.name, image, save=False)
    item.save()
    audit_record(actor=actor, action="showcase.submit", target=item)
    return item


def _showcase_lock(item: ShowcaseItem) -> ShowcaseItem:
    return (
        ShowcaseItem.objects.select_for_update(of=("self",))
        .select_related("submitted_by")
        .get(pk=item.pk)
    )


# Every status change of a showcase item: the table is `enums.SHOWCASE_TRANSITIONS`.
SHOWCASE = Workflow(
    model=ShowcaseItem,
    field="status",
    transitions=SHOWCASE_TRANSITIONS,
    audit="showcase",
    error=ShowcaseError,
    noun="submission",
    lock=_showcase_lock,
)


@SHOWCASE.effect("approve", "return")
def _showcase_decide(move: Move) -> None:
    """An editor's decision, with the reason for a return."""
    reason = move.params.get("reason", "")
    move.set(decided_by=move.actor, decided_at=move.now, return_reason=reason)
    if reason:
        move.data["reason"] = reason


def _notify_owner(item: ShowcaseItem, *, subject: str, template: str, **context) -> None:
    """Tell the member who put the item forward, the way they chose for "Decisions on your
    showcase items" (straight away, in the daily summary, or not at all)."""
    owner = item.submitted_by
    if owner is None:
        return
    notify(
        user=owner,
        kind=SHOWCASE_DECISION,
        subject=subject,
        template=f"newsletters/notifications/{template}.txt",
        context={"title": item.title, **context},
        related=item,
        url=reverse("newsletters:item-detail", kwargs={"pk": item.pk}),
    )


@transaction.atomic
def showcase_approve(*, actor, item: ShowcaseItem) -> ShowcaseItem:
    """An editor approves a submission: it can go into issues, its image becomes public, and the
    member is told by email (through the outbox)."""
    item = SHOWCASE.move(actor=actor, obj=item, action="approve")
    _notify_owner(
        item,
        subject=f"Your showcase submission is approved: {item.title}",
        template="showcase_approved",
    )
    return item


@transaction.atomic
def showcase_return(*, actor, item: ShowcaseItem, reason: str) -> ShowcaseItem:
    """An editor sends a submission back with a reason, which the member gets by email."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for returning this submission"})
    item = SHOWCASE.move(actor=actor, obj=item, action="return", reason=reason)
    _notify_owner(
        item,
        subject=f"Your showcase submission needs changes: {item.title}",
        template="showcase_returned",
        reason=reason,
    )
    return item


@transaction.atomic
def showcase_resubmit(
    *, actor, item: ShowcaseItem, title: str, summary: str, link: str, image=None,
    image_alt: str = "", remove_image: bool = False,
) -> ShowcaseItem:  # fmt: skip
    """The member changes a submission that is waiting or was returned; it waits for review
    again. A replaced or removed image is deleted after the change commits."""
    _check_link(link)
    item = SHOWCASE.move(actor=actor, obj=item, action="resubmit")
    old_image = item.image.name
    if image:
        item.image.save(image.name, image, save=False)
    elif remove_image:
        item.image = ""
    _check_image_alt(item.image, image_alt)
    item.title, item.summary, item.link = title, summary, link
    item.image_alt = image_alt.strip() if item.image else ""
    item.full_clean(exclude=["image"])
    item.save(update_fields=["title", "summary", "link", "image", "image_alt", "updated_at"])
    if old_image and old_image != item.image.name:
        transaction.on_commit(lambda: default_storage.delete(old_image))
    return item
