"""Reviewers on the joining rounds' panels are told when applications are given to them: once
per sharing out (with how many), and when someone else's review is handed to them (staff
reassigned it, or its reviewer declared a conflict), the way they chose for "Applications given
to you to review". Messages name applications by reference only."""

import pytest
from django.conf import settings

from members.panels.kind import APPLICATION_PANELS
from members.panels.services import (
    round_panel_member_add,
)
from qcommunity.notifications.models import DigestItem
from qcommunity.notifications.services import notification_preferences_set
from qcommunity.outbox.models import OutboxEmail
from qcommunity.scoring.services import workspace_declare_conflict, workspace_reassign
from tests.factories.panels import panel_in_review, staff_user, two_factor_user
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def notifications():
    return OutboxEmail.objects.filter(kind="notification")


def test_each_reviewer_is_told_once_how_many_applications_they_were_given():
    staff = staff_user()
    setup = panel_in_review(staff, applications=3, reviewers=2)
    assert notifications().count() == 2
    panel_url = f"{settings.SITE_URL}/panels/{setup.panel.pk}/"
    for reviewer in setup.reviewers:
        email = notifications().get(recipient=reviewer.email)
        assert email.subject == "3 applications to join Q given to you to review"
        assert "3 applications to join Q have been given to you to review" in email.body_text
        assert f"Read more: {panel_url}" in email.body_text
        for application in setup.applications:
            assert application.applicant.full_name not in email.body_text
    assert not notifications().filter(recipient=setup.chair.email).exists()


def test_a_reviewer_who_turned_it_off_is_not_told_and_daily_waits_for_the_summary():
    staff = staff_user()
    off, daily = two_factor_user(full_name="Off"), two_factor_user(full_name="Daily")
    notification_preferences_set(user=off, choices={"panel_assignment": "off"}, actor=off)
    notification_preferences_set(user=daily, choices={"panel_assignment": "daily"}, actor=daily)
    setup = panel_in_review(staff, applications=1, reviewers=0)
    for person in (off, daily):
        round_panel_member_add(actor=staff, panel=setup.panel, user=person, organisation="X")
    from members.panels.services import application_assignments_distribute

    application_assignments_distribute(actor=staff, panel=setup.panel)
    assert not notifications().exists()
    item = DigestItem.objects.get()
    assert (item.user_id, item.subject) == (
        daily.pk,
        "1 application to join Q given to you to review",
    )


def test_sharing_out_runs_the_same_queries_however_many_applications():
    def distribute_counting(applications: int) -> int:
        staff = staff_user()
        setup = panel_in_review(staff, applications=0, reviewers=2, held_back=applications)
        from members.panels.services import application_assignments_distribute

        queries, _ = count_queries(
            lambda: application_assignments_distribute(
                actor=staff, panel=setup.panel, applications=setup.held_back
            )
        )
        return queries

    distribute_counting(2)  # warm up one-off lookups
    assert distribute_counting(2) == distribute_counting(12)


def test_a_review_handed_over_is_told_to_the_new_reviewer_only():
    staff = staff_user()
    setup = panel_in_review(staff, applications=1, reviewers=4)
    application = setup.applications[0]
    first, second = setup.panel.assignments.order_by("id")
    free, spare = [
        r for r in setup.reviewers if r.pk not in {first.reviewer_id, second.reviewer_id}
    ]
    before = set(notifications().values_list("pk", flat=True))

    moved = workspace_declare_conflict(
        APPLICATION_PANELS, actor=first.reviewer, assignment=first, reason="I know them"
    )
    assert moved.reviewer_id in {free.pk, spare.pk}
    if moved.reviewer_id == spare.pk:
        free, spare = spare, free
    [email] = notifications().exclude(pk__in=before)
    assert email.recipient == free.email
    assert email.subject == "An application to join Q given to you to review"
    assert f"The review of application {application.reference}" in email.body_text
    assert f"Read more: {settings.SITE_URL}/panels/assignments/{moved.pk}/" in email.body_text

    before = set(notifications().values_list("pk", flat=True))
    again = workspace_reassign(APPLICATION_PANELS, actor=staff, assignment=second, to_user=spare)
    [email] = notifications().exclude(pk__in=before)
    assert email.recipient == spare.email
    assert f"/panels/assignments/{again.pk}/" in email.body_text
