"""Reminders the newsletters part registers with the reminders engine (qcommunity.reminders)."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.reminders.registry import Due, register

from .enums import IssueStatus
from .models import Issue


@register(
    key="newsletters.issue_not_approved",
    description="Scheduled newsletter issue not approved yet",
    template="reminder_newsletter_issue_approve",
    lead=dt.timedelta(hours=24),
    grace=dt.timedelta(hours=1),
)
def scheduled_issues_not_approved(*, since: dt.datetime, until: dt.datetime):
    """An issue with a date to go out that is still a draft: every editor is reminded 24 hours
    before that date. Approving it (or clearing the date) stops the reminder."""
    issues = list(
        Issue.objects.filter(
            status=IssueStatus.DRAFT,
            scheduled_for__isnull=False,
            scheduled_for__gte=since,
            scheduled_for__lte=until,
        )
        .select_related("newsletter")
        .order_by("scheduled_for", "id")
    )
    if not issues:
        return
    editors = list(
        User.objects.filter(is_active=True, roles__role=Role.EDITOR).order_by("id").distinct()
    )
    for issue in issues:
        for editor in editors:
            yield Due(
                obj=issue,
                recipient=editor,
                due_date=issue.scheduled_for,
                context={
                    "issue": issue,
                    "newsletter_name": issue.newsletter.name,
                    "sign_in_url": settings.SITE_URL
                    + reverse("newsletters-staff:issue-detail", args=[issue.pk]),
                },
            )
