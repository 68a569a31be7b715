"""Random coffee with the database: the monthly run, its emails, opting in and out, the page."""

import datetime as dt
import random

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.coffee.models import CoffeePairing
from members.coffee.services import coffee_run_month, coffee_set_opt_in, months_before
from members.coffee.tasks import coffee_pair_monthly
from members.directory.enums import Visibility
from members.directory.models import Profile
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)
URL = "/me/coffee/"


def opted_in(n, **kwargs):
    regions = list(Region)
    return [
        ProfileFactory(coffee_opt_in=True, region=regions[i % len(regions)], **kwargs)
        for i in range(n)
    ]


def paired_ids(month) -> list[int]:
    return [
        uid
        for pair in CoffeePairing.objects.filter(month=month).values_list("member_a", "member_b")
        for uid in pair
    ]


def run(month=MARCH, seed=1, capture=None):
    if capture is None:
        return coffee_run_month(month=month, rng=random.Random(seed))
    with capture(execute=True):
        return coffee_run_month(month=month, rng=random.Random(seed))


def test_running_twice_in_a_month_pairs_nobody_twice(django_capture_on_commit_callbacks):
    profiles = opted_in(7)
    first = run(capture=django_capture_on_commit_callbacks)
    assert len(first) == 3
    second = run(month=dt.date(2026, 3, 20), seed=2, capture=django_capture_on_commit_callbacks)
    assert second == []
    ids = paired_ids(MARCH)
    assert len(ids) == len(set(ids)) == 6
    # One introduction per person paired, however many runs.
    recipients = list(
        OutboxEmail.objects.filter(kind="coffee_introduction").values_list("recipient", flat=True)
    )
    paired_emails = sorted(p.user.email for p in profiles if p.user_id in ids)
    assert sorted(recipients) == paired_emails


def test_a_second_run_pairs_people_who_joined_since():
    opted_in(3)
    assert len(run()) == 1
    opted_in(1)
    second = run(seed=5)
    assert len(second) == 1
    ids = paired_ids(MARCH)
    assert len(ids) == len(set(ids)) == 4


def test_database_refuses_a_second_pairing_in_a_month():
    a, b, c = (p.user for p in opted_in(3))
    low, mid, high = sorted([a, b, c], key=lambda u: u.pk)
    CoffeePairing.objects.create(month=MARCH, member_a=low, member_b=mid)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoffeePairing.objects.create(month=MARCH, member_a=low, member_b=high)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoffeePairing.objects.create(month=MARCH, member_a=high, member_b=low)


def test_pairs_do_not_repeat_within_six_months():
    opted_in(2)
    first = run(month=MARCH)
    assert len(first) == 1
    for months in range(1, 7):
        later = dt.date(2026, 3 + months, 1)
        assert run(month=later) == [], later
    assert len(run(month=dt.date(2026, 10, 1))) == 1


def test_months_before_crosses_years():
    assert months_before(dt.date(2026, 3, 1), 6) == dt.date(2025, 9, 1)


def test_only_opted_in_active_members_are_paired():
    opted_in(2)
    ProfileFactory(coffee_opt_in=False)
    not_a_member = ProfileFactory(coffee_opt_in=True, user=UserFactory())
    gone = ProfileFactory(coffee_opt_in=True)
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    run()
    ids = paired_ids(MARCH)
    assert len(ids) == 2
    assert not_a_member.user_id not in ids
    assert gone.user_id not in ids


def test_opting_out_excludes_you_from_the_next_run():
    leaver, *_ = opted_in(4)
    coffee_set_opt_in(user=leaver.user, opt_in=False, actor=leaver.user)
    run()
    ids = paired_ids(MARCH)
    assert leaver.user_id not in ids
    assert len(ids) == 2
    assert AuditEntry.objects.filter(action="coffee.opt_out").count() == 1


def test_opting_in_creates_a_hidden_entry_if_needed():
    person = UserFactory(roles=[Role.MEMBER])
    coffee_set_opt_in(user=person, opt_in=True, actor=person)
    profile = Profile.objects.get(user=person)
    assert profile.coffee_opt_in
    assert profile.visibility == Visibility.HIDDEN


def test_introduction_names_the_other_person_and_links_only_published_entries(
    django_capture_on_commit_callbacks,
):
    shown = ProfileFactory(
        coffee_opt_in=True,
        visibility=Visibility.MEMBERS,
        user__full_name="Amara Okafor",
        user__email="amara@example.org",
        job_title="Ward manager",
        organisation="Eastbrook Hospital",
        region=Region.WALES,
    )
    hidden = ProfileFactory(
        coffee_opt_in=True,
        visibility=Visibility.HIDDEN,
        user__full_name="Tom Reilly",
        user__email="tom@example.org",
        region=Region.OXFORD,
    )
    run(capture=django_capture_on_commit_callbacks)
    to_tom = OutboxEmail.objects.get(recipient="tom@example.org")
    to_amara = OutboxEmail.objects.get(recipient="amara@example.org")
    assert "Amara Okafor" in to_tom.subject
    assert "Amara Okafor (Ward manager, Eastbrook Hospital)" in to_tom.body_text
    assert f"/directory/{shown.slug}/" in to_tom.body_text
    assert f"/directory/{shown.slug}/" in to_tom.body_html
    assert "/me/coffee/" in to_tom.body_text
    assert "amara@example.org" not in to_tom.body_text + to_tom.body_html
    assert "Tom Reilly" in to_amara.body_text
    assert f"/directory/{hidden.slug}/" not in to_amara.body_text + to_amara.body_html
    assert "tom@example.org" not in to_amara.body_text + to_amara.body_html


def test_task_pairs_this_month_and_is_safe_to_run_twice():
    opted_in(4)
    assert coffee_pair_monthly.apply().get() == 2
    assert coffee_pair_monthly.apply().get() == 0
    assert CoffeePairing.objects.count() == 2


def test_run_is_audited():
    opted_in(3)
    run()
    entry = AuditEntry.objects.get(action="coffee.run")
    assert entry.data == {"month": "2026-03-01", "pairs": 1, "unpaired": 1}


# The page --------------------------------------------------------------------------------------


def test_member_opts_in_and_out_on_the_page(client_for, member):
    client = client_for(member)
    page = client.get(URL).content.decode()
    assert "You are not taking part" in page
    response = client.post(URL, {"opt_in": "yes"}, follow=True)
    assert "You will be paired for random coffee from next month" in response.content.decode()
    assert Profile.objects.get(user=member).coffee_opt_in
    client.post(URL, {"opt_in": "no"})
    assert not Profile.objects.get(user=member).coffee_opt_in


def test_page_shows_an_error_for_no_choice(client_for, member):
    response = client_for(member).post(URL, {})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_page_lists_pairings_newest_first_linking_only_visible_entries(client_for):
    me = ProfileFactory(coffee_opt_in=True, user__full_name="Me Myself")
    published = ProfileFactory(visibility=Visibility.MEMBERS, user__full_name="Published Person")
    hidden = ProfileFactory(visibility=Visibility.HIDDEN, user__full_name="Hidden Person")
    for month, other in ((dt.date(2026, 1, 1), published), (dt.date(2026, 2, 1), hidden)):
        a, b = sorted([me.user, other.user], key=lambda u: u.pk)
        CoffeePairing.objects.create(month=month, member_a=a, member_b=b)
    html = client_for(me.user).get(URL).content.decode()
    assert html.index("February 2026") < html.index("January 2026")
    assert f'href="/directory/{published.slug}/"' in html
    assert f"/directory/{hidden.slug}/" not in html
    assert "Hidden Person" in html


def test_page_query_count_does_not_grow_with_pairings(client_for):
    me = ProfileFactory(coffee_opt_in=True, visibility=Visibility.PUBLIC)
    client = client_for(me.user)
    months = iter(dt.date(2020 + i // 12, i % 12 + 1, 1) for i in range(100))

    def add(n):
        for _ in range(n):
            other = ProfileFactory(visibility=Visibility.PUBLIC)
            a, b = sorted([me.user, other.user], key=lambda u: u.pk)
            CoffeePairing.objects.create(month=next(months), member_a=a, member_b=b)

    add(1)
    assert_constant_queries(lambda: client.get(URL), add, many=10)


def pair(one, other, month):
    a, b = sorted([one.user, other.user], key=lambda u: u.pk)
    return CoffeePairing.objects.create(month=month, member_a=a, member_b=b)


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def test_partners_with_hidden_entries_can_message_each_other(client_for):
    me = ProfileFactory(visibility=Visibility.HIDDEN, user__email="me@example.org")
    partner = ProfileFactory(
        visibility=Visibility.HIDDEN, user__full_name="Tom Reilly", user__email="tom@example.org"
    )
    pairing = pair(me, partner, this_month())
    client = client_for(me.user)
    page = client.get(URL).content.decode()
    message_url = f"/me/coffee/{pairing.pk}/message/"
    assert f'href="{message_url}"' in page
    assert "Send Tom Reilly a message" in client.get(message_url).content.decode()
    response = client.post(
        message_url, {"subject": "Coffee?", "body": "Shall we talk on Tuesday?"}, follow=True
    )
    assert "Your message has been sent to Tom Reilly" in response.content.decode()
    assert "they can reply with “Send a message” on their random coffee page" in (
        response.content.decode()
    )
    email = OutboxEmail.objects.get(kind="member_contact")
    assert email.recipient == "tom@example.org"
    assert "Shall we talk on Tuesday?" in email.body_text
    assert "me@example.org" not in email.body_text + email.body_html + email.reply_to


def test_only_the_pair_may_message_and_only_for_six_months(client_for):
    me, partner, outsider = ProfileFactory(), ProfileFactory(), ProfileFactory()
    recent = pair(me, partner, this_month())
    old = pair(me, partner, months_before(this_month(), 6))
    assert client_for(outsider.user).get(f"/me/coffee/{recent.pk}/message/").status_code == 404
    client = client_for(me.user)
    assert client.get(f"/me/coffee/{recent.pk}/message/").status_code == 200
    assert client.get(f"/me/coffee/{old.pk}/message/").status_code == 404
    assert f"/me/coffee/{old.pk}/message/" not in client.get(URL).content.decode()


def test_coffee_messages_share_the_contact_rate_limit(client_for):
    me, partner = ProfileFactory(), ProfileFactory()
    url = f"/me/coffee/{pair(me, partner, this_month()).pk}/message/"
    client = client_for(me.user)
    for _ in range(5):
        client.post(url, {"subject": "Hello", "body": "Hello again"})
    response = client.post(url, {"subject": "Hello", "body": "Hello again"})
    assert response.status_code == 200
    assert "You can send up to 5 messages" in response.content.decode()
    assert OutboxEmail.objects.filter(kind="member_contact").count() == 5


def test_introduction_links_to_the_message_page(django_capture_on_commit_callbacks):
    ProfileFactory(coffee_opt_in=True, user__email="a@example.org", region=Region.WALES)
    ProfileFactory(coffee_opt_in=True, user__email="b@example.org", region=Region.OXFORD)
    run(capture=django_capture_on_commit_callbacks)
    pairing = CoffeePairing.objects.get()
    for email in OutboxEmail.objects.filter(kind="coffee_introduction"):
        assert f"/me/coffee/{pairing.pk}/message/" in email.body_text
        assert f"/me/coffee/{pairing.pk}/message/" in email.body_html
