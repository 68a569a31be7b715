import pytest
from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.core.demo import seed_accounts
from qcommunity.newsletters.demo.issues import seed_newsletter_content
from qcommunity.newsletters.issues.enums import IssueStatus
from qcommunity.newsletters.issues.models import Issue
from qcommunity.newsletters.issues.render import issue_render_email, merge_fields_unknown
from qcommunity.newsletters.showcase.enums import ShowcaseStatus
from qcommunity.newsletters.showcase.models import ShowcaseItem

pytestmark = pytest.mark.django_db


def test_demo_content_covers_every_state_and_is_idempotent():
    seed_accounts()
    assert seed_newsletter_content() == 5
    assert seed_newsletter_content() == 0
    statuses = sorted(Issue.objects.values_list("status", flat=True))
    assert statuses == sorted([IssueStatus.SENT] * 3 + [IssueStatus.SCHEDULED, IssueStatus.DRAFT])
    assert set(ShowcaseItem.objects.values_list("status", flat=True)) == set(ShowcaseStatus.values)
    for issue in Issue.objects.all():
        assert merge_fields_unknown(issue.intro) == []
        assert "{{" not in issue_render_email(issue)["body_text"]


def test_the_approved_showcase_items_have_pictures_with_descriptions_in_the_scheduled_issue(
    client, client_for
):
    seed_accounts()
    seed_newsletter_content()
    with_image = ShowcaseItem.objects.exclude(image="")
    assert with_image.count() == 2
    assert not with_image.exclude(status=ShowcaseStatus.APPROVED).exists()
    assert not with_image.filter(image_alt="").exists()
    scheduled = Issue.objects.get(status=IssueStatus.SCHEDULED)
    showcased = scheduled.sections.exclude(showcase_item=None)
    assert set(showcased.values_list("showcase_item", flat=True)) == set(
        with_image.values_list("pk", flat=True)
    )
    # Put forward by members and approved by the editor through the services (audited).
    for item in with_image:
        assert item.submitted_by.has_role(Role.MEMBER)
        assert item.decided_by.has_role(Role.EDITOR)
        approved = AuditEntry.objects.filter(action="showcase.approve", target_id=str(item.pk))
        assert approved.exists()
        image_path = reverse("newsletters:showcase-image", args=[item.pk])
        response = client.get(image_path)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"  # re-encoded as any upload is
        # The editor's review page shows the picture with its description.
        editor = item.decided_by
        page = client_for(editor).get(reverse("newsletters-staff:showcase-review", args=[item.pk]))
        assert image_path in page.content.decode()
        assert item.image_alt in page.content.decode()
    files = sorted(ShowcaseItem.objects.exclude(image="").values_list("image", flat=True))
    seed_newsletter_content()
    assert sorted(ShowcaseItem.objects.exclude(image="").values_list("image", flat=True)) == files
