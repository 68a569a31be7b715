"""Objects the reminder tests need, made through the factories and the models' own managers."""

import datetime as dt

from qcommunity.accounts.enums import Role
from qcommunity.newsletters.issues.enums import IssueStatus
from qcommunity.newsletters.issues.models import Issue
from qcommunity.newsletters.subscriptions.models import Newsletter
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
YEAR = dt.timedelta(days=365)


def profile_confirmed(ago: dt.timedelta, **kwargs):
    return ProfileFactory(confirmed_at=NOW - ago, **kwargs)


def editors(count: int = 2):
    return UserFactory.create_batch(count, roles=[Role.EDITOR])


def issue_scheduled(
    in_: dt.timedelta, status: str = IssueStatus.DRAFT, title: str = "Winter issue"
) -> Issue:
    newsletter, _ = Newsletter.objects.get_or_create(
        slug="community",
        defaults={"name": "Community newsletter", "list_id": "community.newsletters.q.example"},
    )
    return Issue.objects.create(
        newsletter=newsletter,
        title=title,
        slug=f"issue-{Issue.objects.count() + 1}",
        status=status,
        scheduled_for=NOW + in_,
    )
