"""Query counts of the applicant's pages: the same for one row as for many."""

import pytest
from django.urls import reverse

from members.joining.enums import Phase
from members.joining.services import application_create, application_submit
from qcommunity.core.taxonomy import Region
from qcommunity.scoring.services import CriterionSpec
from tests.factories.joining import complete_draft, make_round
from tests.querycount import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db


def test_application_list_queries_do_not_grow_with_applications(client_for, user, staff_admin):
    client = client_for(user)
    first = complete_draft(user, make_round(staff_admin, name="Round 0"))
    application_submit(actor=user, application=first)

    def add(n):
        for i in range(n):
            application_create(actor=user, round_=make_round(staff_admin, name=f"Round {i + 1}"))

    url = reverse("members:application-list")
    assert_constant_queries(lambda: client.get(url), add, many=6)
    assert client.get(url).content.decode().count('class="nhsuk-tag ') == 7


def _criteria(n):
    return [
        CriterionSpec(f"Criterion {i}", f"About {i}.", "Guidance.", "- Example", 250)
        for i in range(n)
    ]


@pytest.mark.parametrize("page", ["application-edit", "application-check", "application-detail"])
def test_application_pages_queries_do_not_grow_with_criteria(client_for, user, staff_admin, page):
    """One criterion or many, with answers to each, the pages make the same queries."""
    client = client_for(user)
    counts = []
    for n in (1, 8):
        round_ = make_round(staff_admin, name=f"{n} criteria", criteria=_criteria(n))
        application = complete_draft(user, round_)
        url = reverse(f"members:{page}", kwargs={"pk": application.pk})
        client.get(url)  # warm up
        counts.append(count_queries(lambda url=url: client.get(url))[0])
    assert counts[0] == counts[1], counts


def test_autosave_queries_do_not_grow_with_criteria(client_for, user, staff_admin):
    client = client_for(user)
    counts = []
    for n in (1, 8):
        round_ = make_round(staff_admin, name=f"{n} criteria", criteria=_criteria(n))
        application = complete_draft(user, round_)
        url = reverse("members:application-edit", kwargs={"pk": application.pk})
        data = {"job_title": "Nurse"}
        client.post(url, data, headers={"HX-Request": "true"})
        counts.append(
            count_queries(
                lambda url=url, data=data: client.post(url, data, headers={"HX-Request": "true"})
            )[0]
        )
    assert counts[0] == counts[1], counts


def test_join_and_eligibility_pages_queries_do_not_grow_with_rounds(client, staff_admin):
    make_round(staff_admin, name="Round 0")
    make_round(staff_admin, name="Alumni 0", phase=Phase.ALUMNI, courses=[("Course", "Provider")])

    def add(n):
        for i in range(n):
            make_round(staff_admin, name=f"Round {i + 1}", regions=(Region.OXFORD,))
            make_round(
                staff_admin,
                name=f"Alumni {i + 1}",
                phase=Phase.ALUMNI,
                courses=[(f"Course {i}", "Provider")],
            )

    landing = reverse("members:join")
    eligibility = reverse("members:eligibility") + "?region=wessex&course=none"
    assert_constant_queries(lambda: client.get(landing), lambda n: None, many=0)
    assert_constant_queries(lambda: (client.get(landing), client.get(eligibility)), add, many=4)
