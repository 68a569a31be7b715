"""Staff's random coffee page: who takes part with counts, this month's and last month's pairs,
and "Run a round now" behind a confirmation step, using the monthly run (audited, and safe to
repeat in a month). The introduction email describes the partner in words that suit any job
title."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from members.coffee.models import CoffeePairing
from members.coffee.services import coffee_partner_about
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory
from tests.html_checks import has_link
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

PAGE = "/staff/directory/coffee/"
RUN = "/staff/directory/coffee/run/"


@pytest.fixture
def staff_client(client, staff_admin):
    client.force_login(staff_admin)
    return client


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def last_month() -> dt.date:
    return (this_month() - dt.timedelta(days=1)).replace(day=1)


def pair(one, other, month):
    a, b = sorted([one.user, other.user], key=lambda u: u.pk)
    return CoffeePairing.objects.create(month=month, member_a=a, member_b=b)


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_routes_are_where_the_page_says():
    assert reverse("members-staff:coffee") == PAGE
    assert reverse("members-staff:coffee-run") == RUN


def test_the_staff_index_links_the_page(staff_client):
    assert has_link(staff_client.get(reverse("core-staff:index")), "Random coffee", PAGE)


def test_members_cannot_see_or_run_it(client):
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    assert client.get(PAGE).status_code == 404
    assert client.post(RUN).status_code == 404
    assert not AuditEntry.objects.filter(action="coffee.run").exists()


def test_the_page_shows_who_takes_part_with_counts_and_both_months_pairs(staff_client):
    amara = ProfileFactory(coffee_opt_in=True, user__full_name="Amara Okafor")
    tom = ProfileFactory(coffee_opt_in=True, user__full_name="Tom Reilly")
    waiting = ProfileFactory(coffee_opt_in=True, user__full_name="Wendy Wait")
    ProfileFactory(coffee_opt_in=False, user__full_name="Not Taking Part")
    earlier = ProfileFactory(coffee_opt_in=False, user__full_name="Old Partner")
    pair(amara, tom, this_month())
    pair(waiting, earlier, last_month())
    response = staff_client.get(PAGE)
    assert response.status_code == 200
    page = text(response)
    assert "3 members" in page  # taking part
    assert "1 pair" in page  # this month
    assert "Not Taking Part" not in page
    for name in ("Amara Okafor", "Tom Reilly", "Wendy Wait", "Old Partner"):
        assert name in page
    # Wendy is the only one waiting: nobody to pair her with, so no button.
    assert "Only one member is waiting" in page
    assert not has_link(response, "Run a round now", RUN)


@pytest.mark.parametrize(("n", "words"), [(0, "0 members"), (1, "1 member"), (2, "2 members")])
def test_the_counts_meet_their_nouns_in_the_right_number(staff_client, n, words):
    ProfileFactory.create_batch(n, coffee_opt_in=True)
    page = text(staff_client.get(PAGE))
    assert re.search(rf"Members taking part </dt> <dd[^>]*> {words} </dd>", page)


def test_run_a_round_now_asks_first_then_pairs_emails_and_audits_once_a_month(staff_client):
    ProfileFactory(coffee_opt_in=True, region=Region.WALES, user__email="a@example.org")
    ProfileFactory(coffee_opt_in=True, region=Region.OXFORD, user__email="b@example.org")
    page = staff_client.get(PAGE)
    assert has_link(page, "Run a round now", RUN)
    confirm = staff_client.get(RUN)
    assert confirm.status_code == 200
    assert "This pairs the 2 members who said yes" in text(confirm)
    assert not CoffeePairing.objects.exists()  # looking at the confirmation changes nothing

    response = staff_client.post(RUN, follow=True)
    assert "1 pair made, 0 people left unpaired" in text(response)
    assert CoffeePairing.objects.filter(month=this_month()).count() == 1
    assert OutboxEmail.objects.filter(kind="coffee_introduction").count() == 2
    entry = AuditEntry.objects.get(action="coffee.run")
    assert entry.actor_id == response.wsgi_request.user.pk
    assert entry.data["pairs"] == 1

    # Again in the same month: nobody new to pair, nobody paired twice, no more emails.
    again = staff_client.post(RUN, follow=True)
    assert "0 pairs made, 0 people left unpaired" in text(again)
    assert CoffeePairing.objects.count() == 1
    assert OutboxEmail.objects.filter(kind="coffee_introduction").count() == 2
    assert AuditEntry.objects.filter(action="coffee.run").count() == 2


def test_the_page_query_count_does_not_grow(staff_client):
    def add(n):
        for _ in range(n):
            one = ProfileFactory(coffee_opt_in=True)
            other = ProfileFactory(coffee_opt_in=True)
            pair(one, other, this_month())
            pair(ProfileFactory(), ProfileFactory(), last_month())

    add(1)
    assert_constant_queries(lambda: staff_client.get(PAGE), add, many=5)


@pytest.mark.parametrize(
    ("job", "organisation", "expected"),
    [
        ("Research fellow", "Leeds Trust", "Research fellow, Leeds Trust"),
        ("", "Leeds Trust", "Leeds Trust"),
        ("Research fellow", "", "Research fellow"),
        ("", "", ""),
    ],
)
def test_the_partner_is_described_in_brackets(job, organisation, expected):
    assert coffee_partner_about(job, organisation) == expected


def test_the_introduction_reads_well_with_a_job_title(staff_client):
    ProfileFactory(
        coffee_opt_in=True,
        region=Region.WALES,
        user__full_name="Sam Smith",
        job_title="Research fellow",
        organisation="Leeds Trust",
    )
    ProfileFactory(coffee_opt_in=True, region=Region.OXFORD, user__email="b@example.org")
    staff_client.post(RUN)
    email = OutboxEmail.objects.get(kind="coffee_introduction", recipient="b@example.org")
    assert "paired with Sam Smith (Research fellow, Leeds Trust) for a random coffee" in (
        email.body_text
    )
    assert "(Research fellow, Leeds Trust)" in email.body_html
    assert " is Research fellow" not in email.body_text + email.body_html
