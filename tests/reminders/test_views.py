import datetime as dt

import pytest
from django.utils import timezone

from qcommunity.reminders.models import SentReminder
from qcommunity.reminders.services import reminders_send_due
from tests.factories.members import ProfileFactory
from tests.querycount import assert_constant_queries
from tests.reminders.helpers import editors, issue_scheduled

pytestmark = pytest.mark.django_db

URL = "/staff/reminders/"
YEAR = dt.timedelta(days=365)
DAY = dt.timedelta(days=1)


def profile_due_in(delta: dt.timedelta, **kwargs):
    return ProfileFactory(confirmed_at=timezone.now() - YEAR + delta, **kwargs)


def test_page_lists_upcoming_reminders_soonest_first(client_for, staff_admin):
    later = profile_due_in(20 * DAY, user__full_name="Later Person", user__preferred_name="")
    sooner = profile_due_in(3 * DAY, user__full_name="Sooner Person", user__preferred_name="")
    profile_due_in(40 * DAY, user__full_name="Too Far Off", user__preferred_name="")

    html = client_for(staff_admin).get(URL).content.decode()

    assert "<h2>Coming up in the next 30 days</h2>" in html
    assert html.index("Sooner Person") < html.index("Later Person")
    assert "Too Far Off" not in html
    assert f"Directory entry of {sooner.user}" in html
    assert later.user.email in html
    assert html.count("Directory entry not confirmed for a year") == 2 + 1  # rows + filter option


def test_sent_reminders_leave_the_upcoming_list_and_show_as_sent(client_for, staff_admin):
    profile = profile_due_in(-DAY, user__full_name="Already Reminded", user__preferred_name="")
    reminders_send_due()

    html = client_for(staff_admin).get(URL).content.decode()

    assert "No reminders are due in the next 30 days." in html
    assert "Already Reminded" in html
    assert profile.user.email in html
    assert "<h2>Sent</h2>" in html
    # The email is queued; the outbox sends it once the transaction commits.
    assert '<td class="nhsuk-table__cell">Queued</td>' in html


def test_sent_reminders_filter_by_kind(client_for, staff_admin):
    profile_due_in(-DAY, user__full_name="Entry Owner", user__preferred_name="")
    editors(1)[0].__class__.objects.filter(roles__role="editor").update(
        full_name="Edna Editor", preferred_name=""
    )
    issue_scheduled(dt.timedelta(0)).__class__.objects.update(
        scheduled_for=timezone.now() + dt.timedelta(hours=2)
    )
    reminders_send_due()
    client = client_for(staff_admin)

    directory = client.get(URL, {"kind": "members.directory_confirm"}).content.decode()
    newsletter = client.get(URL, {"kind": "newsletters.issue_not_approved"}).content.decode()

    assert SentReminder.objects.count() == 2
    sent_part = directory.split("<h2>Sent</h2>")[1]
    assert "Entry Owner" in sent_part
    assert "Edna Editor" not in sent_part
    sent_part = newsletter.split("<h2>Sent</h2>")[1]
    assert "Edna Editor" in sent_part
    assert "Entry Owner" not in sent_part


def test_page_runs_the_same_queries_for_one_and_many_reminders(client_for, staff_admin):
    client = client_for(staff_admin)
    editors(1)
    issue_scheduled(dt.timedelta(0)).__class__.objects.update(
        scheduled_for=timezone.now() + dt.timedelta(days=3)
    )
    profile_due_in(-DAY)
    reminders_send_due()
    profile_due_in(5 * DAY)

    def get():
        assert client.get(URL).status_code == 200

    def add_rows(n):
        for i in range(n):
            profile_due_in(-DAY - i * dt.timedelta(minutes=1))
            profile_due_in(2 * DAY + i * dt.timedelta(minutes=1))
        editors(2)
        reminders_send_due()
        assert SentReminder.objects.count() > n

    get()
    assert_constant_queries(get, add_rows, many=12)


def test_page_is_hidden_from_members(client_for, member):
    assert client_for(member).get(URL).status_code == 404
