import pytest

from qcommunity.core.demo import seed_accounts
from qcommunity.newsletters.compose_enums import ShowcaseStatus
from qcommunity.newsletters.demo_compose import seed_newsletter_content
from qcommunity.newsletters.enums import IssueStatus
from qcommunity.newsletters.models import Issue, ShowcaseItem
from qcommunity.newsletters.render import issue_render_email, merge_fields_unknown

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
