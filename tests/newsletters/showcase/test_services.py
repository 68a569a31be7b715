import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from qcommunity.audit.models import AuditEntry
from qcommunity.newsletters.showcase import services as showcase_services
from qcommunity.newsletters.showcase.enums import ShowcaseStatus
from qcommunity.newsletters.showcase.services import ShowcaseError
from qcommunity.outbox.models import OutboxEmail
from tests.factories.newsletters import ShowcaseItemFactory, editor_user, png_bytes

pytestmark = pytest.mark.django_db


def test_a_member_submits_work(member):
    item = showcase_services.showcase_submit(
        actor=member,
        title="Shorter waits in clinic",
        summary="We changed how we book.",
        link="https://example.org/waits",
    )
    assert (item.status, item.submitted_by) == (ShowcaseStatus.SUBMITTED, member)
    assert AuditEntry.objects.filter(action="showcase.submit", target_id=str(item.pk)).exists()


def test_submitting_needs_the_member_role(user):
    with pytest.raises(ShowcaseError):
        showcase_services.showcase_submit(
            actor=user, title="x", summary="y", link="https://example.org"
        )


def test_the_link_must_use_https(member):
    with pytest.raises(ValidationError) as error:
        showcase_services.showcase_submit(
            actor=member, title="x", summary="y", link="http://example.org"
        )
    assert error.value.message_dict == {"link": ["Enter a web address that starts with https://"]}


def test_an_image_needs_a_description(member):
    with pytest.raises(ValidationError) as error:
        showcase_services.showcase_submit(
            actor=member, title="x", summary="y", link="https://example.org",
            image=ContentFile(png_bytes(), name="a.png"),
        )  # fmt: skip
    assert "image_alt" in error.value.message_dict


def test_submissions_are_limited_per_day(member):
    for n in range(showcase_services.SHOWCASE_SUBMISSIONS_PER_DAY):
        showcase_services.showcase_submit(
            actor=member, title=f"t{n}", summary="s", link="https://e.org"
        )
    with pytest.raises(ShowcaseError, match="up to 5"):
        showcase_services.showcase_submit(
            actor=member, title="one more", summary="s", link="https://e.org"
        )


def test_approve_emails_the_member_and_is_audited():
    editor = editor_user()
    item = ShowcaseItemFactory()
    item = showcase_services.showcase_approve(actor=editor, item=item)
    assert (item.status, item.decided_by) == (ShowcaseStatus.APPROVED, editor)
    email = OutboxEmail.objects.get(kind="notification")
    assert email.recipient == item.submitted_by.email
    assert email.subject == f"Your showcase submission is approved: {item.title}"
    assert f"/me/showcase/{item.pk}/" in email.body_text
    entry = AuditEntry.objects.get(action="showcase.approve")
    assert entry.data == {"from": "submitted", "to": "approved"}


def test_return_needs_a_reason_and_sends_it_to_the_member():
    editor = editor_user()
    item = ShowcaseItemFactory(title="Falls & huddles")
    with pytest.raises(ValidationError):
        showcase_services.showcase_return(actor=editor, item=item, reason="  ")
    item = showcase_services.showcase_return(
        actor=editor, item=item, reason="Please add your results."
    )
    assert (item.status, item.return_reason) == (
        ShowcaseStatus.RETURNED,
        "Please add your results.",
    )
    email = OutboxEmail.objects.get(kind="notification")
    assert email.recipient == item.submitted_by.email
    assert email.subject == "Your showcase submission needs changes: Falls & huddles"
    assert "Please add your results." in email.body_text
    assert "Please add your results." in email.body_html
    entry = AuditEntry.objects.get(action="showcase.return")
    assert entry.data["reason"] == "Please add your results."


def test_members_cannot_approve(member):
    item = ShowcaseItemFactory()
    with pytest.raises(ShowcaseError):
        showcase_services.showcase_approve(actor=member, item=item)


def test_a_returned_item_can_be_changed_and_sent_again_by_its_owner_only(member):
    editor = editor_user()
    item = ShowcaseItemFactory(submitted_by=member)
    showcase_services.showcase_return(actor=editor, item=item, reason="Add results")
    other = ShowcaseItemFactory().submitted_by
    with pytest.raises(ShowcaseError, match="your own"):
        showcase_services.showcase_resubmit(
            actor=other, item=item, title="t", summary="s", link="https://e.org"
        )
    item = showcase_services.showcase_resubmit(
        actor=member, item=item, title="Now with results", summary="s", link="https://e.org"
    )
    assert (item.status, item.title) == (ShowcaseStatus.SUBMITTED, "Now with results")


def test_an_approved_item_cannot_be_approved_again():
    editor = editor_user()
    item = showcase_services.showcase_approve(actor=editor, item=ShowcaseItemFactory())
    with pytest.raises(ShowcaseError, match="approved"):
        showcase_services.showcase_approve(actor=editor, item=item)
    assert OutboxEmail.objects.filter(kind="notification").count() == 1
