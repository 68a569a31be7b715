"""`/directory/`: search, filters, sorting, pagination and the htmx partial, through the page."""

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from members.directory.cache import directory_changed
from members.directory.enums import Visibility
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from tests.factories.members import ProfileFactory, approach, offer, topic
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = "/directory/"


def public(name: str, **fields):
    return ProfileFactory(visibility=Visibility.PUBLIC, user__full_name=name, **fields)


def names(response) -> list[str]:
    """Names on the result cards, in page order."""
    assert response.status_code == 200
    body = response.content.decode()
    return re.findall(r'<a class="nhsuk-card__link" href="/directory/[^"]+/">([^<]+)</a>', body)


def count_text(response) -> str:
    body = response.content.decode()
    found = re.search(r'<h2 id="directory-count"[^>]*>([^<]*)</h2>', body)
    assert found, "page has no result count"
    return found.group(1).strip()


def get(client, **params):
    return client.get(URL, params, HTTP_ACCEPT="text/html")


def test_directory_lists_entries_by_name_with_card_details(client):
    public("Zara Young", job_title="Nurse consultant", organisation="Eastshire Trust")
    public("Amir Ali", region=Region.SCOTLAND, topics=[topic("Sepsis")])
    response = get(client)
    assert names(response) == ["Amir Ali", "Zara Young"]
    body = response.content.decode()
    assert "Nurse consultant, Eastshire Trust" in body
    assert ">Scotland</p>" in body
    assert '<strong class="nhsuk-tag nhsuk-tag--white">Sepsis</strong>' in body
    assert count_text(response) == "2 members found"


def test_result_count_is_singular_for_one_entry(client):
    public("Amir Ali")
    assert count_text(get(client)) == "1 member found"


def test_search_finds_john_smith_despite_typos(client):
    public("John Smith")
    public("Ravi Patel")
    response = get(client, q="Jonh Smiht")
    assert names(response) == ["John Smith"]
    assert 'value="Jonh Smiht"' in response.content.decode()


def test_search_ranks_better_matches_first_by_default(client):
    public("Ana Lopez", job_title="Sepsis lead", working_on="Sepsis screening in sepsis units")
    public("Ben Ode", working_on="Some work on sepsis")
    public("Cal Dee", working_on="Falls")
    response = get(client, q="sepsis")
    assert names(response) == ["Ana Lopez", "Ben Ode"]
    assert 'value="relevance" selected' in response.content.decode()


def test_filters_combine_and_within_or_across(client):
    sepsis, falls = topic("Sepsis"), topic("Dementia")
    public("A Wessex Sepsis", region=Region.WESSEX, topics=[sepsis])
    public("B Oxford Dementia", region=Region.OXFORD, topics=[falls])
    public("C Wessex Dementia", region=Region.WESSEX, topics=[falls])
    public("D Scotland Sepsis", region=Region.SCOTLAND, topics=[sepsis])
    # OR within a group
    assert names(get(client, region=["wessex", "oxford"])) == [
        "A Wessex Sepsis",
        "B Oxford Dementia",
        "C Wessex Dementia",
    ]
    # AND across groups
    assert names(get(client, region=["wessex", "oxford"], topic=["sepsis"])) == ["A Wessex Sepsis"]
    # several ticked terms do not repeat an entry
    assert names(get(client, topic=["sepsis", "dementia"])) == [
        "A Wessex Sepsis",
        "B Oxford Dementia",
        "C Wessex Dementia",
        "D Scotland Sepsis",
    ]


def test_each_filter_narrows_the_list(client):
    target = public(
        "Target Person",
        region=Region.WALES,
        organisation_type=OrganisationType.UNIVERSITY,
        role_types=[RoleType.RESEARCHER, RoleType.EDUCATOR],
        topics=[topic("Sepsis")],
        approaches=[approach("Experience-based co-design")],
        offers=[offer("Mentoring")],
    )
    public("Other Person", organisation_type=OrganisationType.ACUTE)
    cases = {
        "region": "wales",
        "nation": "wales",
        "role_type": "educator",
        "organisation_type": "university",
        "topic": "sepsis",
        "approach": target.approaches.get().slug,
        "offer": target.offers.get().slug,
    }
    for name, value in cases.items():
        assert names(get(client, **{name: value})) == ["Target Person"], name


def test_role_type_filter_matches_any_ticked_role(client):
    public("A Frontline", role_types=[RoleType.FRONTLINE])
    public("B Manager Researcher", role_types=[RoleType.MANAGER, RoleType.RESEARCHER])
    public("C Educator", role_types=[RoleType.EDUCATOR])
    assert names(get(client, role_type=["frontline", "researcher"])) == [
        "A Frontline",
        "B Manager Researcher",
    ]


def test_url_round_trips_the_search_and_filters(client):
    public("Amir Ali", region=Region.WESSEX, topics=[topic("Sepsis")])
    query = urlencode(
        {"q": "Amir", "region": ["wessex", "oxford"], "topic": "sepsis", "sort": "recent"},
        doseq=True,
    )
    body = client.get(f"{URL}?{query}").content.decode()
    assert 'value="Amir"' in body
    for name, value in [("region", "wessex"), ("region", "oxford"), ("topic", "sepsis")]:
        assert re.search(rf'name="{name}" type="checkbox" value="{value}" checked>', body), value
    assert not re.search(r'name="region" type="checkbox" value="wales" checked', body)
    assert 'value="recent" selected' in body
    # the groups with a ticked box are open, so the choice is visible
    assert body.count("<details") - body.count("open>") == 5


def test_pagination_links_keep_the_filters(client):
    for i in range(23):
        public(f"Person {i:02d}", region=Region.WESSEX)
    first = get(client, region="wessex")
    assert len(names(first)) == 20
    assert "Showing 1 to 20 of 23 members" in first.content.decode()
    assert 'href="?region=wessex&amp;page=2"' in first.content.decode()
    second = get(client, region="wessex", page="2")
    assert names(second) == ["Person 20", "Person 21", "Person 22"]
    assert count_text(second) == "23 members found"


@pytest.mark.parametrize("page", ["0", "99", "abc", "-1", "1.5"])
def test_odd_page_numbers_show_a_page_not_an_error(client, page):
    public("Amir Ali")
    assert names(get(client, page=page)) == ["Amir Ali"]


def test_sort_by_name_and_recently_joined(client):
    now = timezone.now()
    public("Bea Old", published_at=now - dt.timedelta(days=300))
    public("Cai New", published_at=now - dt.timedelta(days=1))
    public("Abi Middle", published_at=now - dt.timedelta(days=30))
    assert names(get(client, sort="name")) == ["Abi Middle", "Bea Old", "Cai New"]
    assert names(get(client, sort="recent")) == ["Cai New", "Abi Middle", "Bea Old"]
    # best match means nothing without search words: name order
    assert names(get(client, sort="relevance")) == ["Abi Middle", "Bea Old", "Cai New"]


@pytest.mark.parametrize(
    "params",
    [
        {"region": "atlantis"},
        {"nation": "mars"},
        {"role_type": "wizard"},
        {"organisation_type": "<script>"},
        {"topic": "no-such-topic"},
        {"approach": "'; DROP TABLE members_profile; --"},
        {"offer": "x" * 5000},
        {"sort": "shoe-size"},
        {"q": "nul\x00byte"},
        {"q": "a & | ! :* ( )"},
        {"q": "x" * 2000},
        {"region": ["atlantis"] * 200},
    ],
)
def test_unknown_filter_values_are_ignored(client, params):
    public("Amir Ali")
    response = get(client, **params)
    assert response.status_code == 200
    if "q" not in params:
        assert names(response) == ["Amir Ali"]
    assert "There is a problem" not in response.content.decode()


def test_unknown_value_beside_a_known_one_keeps_the_known_one(client):
    public("A Wessex", region=Region.WESSEX)
    public("B Oxford", region=Region.OXFORD)
    response = get(client, region=["wessex", "atlantis"], topic=["bogus"])
    assert names(response) == ["A Wessex"]
    assert 'value="atlantis"' not in response.content.decode()


def test_htmx_request_gets_only_the_results_and_the_count(client):
    public("Amir Ali")
    response = client.get(URL, {"q": "Amir"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "<form" not in body
    assert names(response) == ["Amir Ali"]
    assert '<h2 id="directory-count" hx-swap-oob="innerHTML">1 member found</h2>' in body
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client):
    response = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_page_has_a_form_that_works_with_and_without_htmx(client):
    body = get(client).content.decode()
    form = re.search(r"<form[^>]*>", body).group(0)
    assert 'method="get"' in form
    assert 'action="/directory/"' in form
    assert 'hx-get="/directory/"' in form
    assert 'hx-target="#directory-results"' in form
    assert 'hx-push-url="true"' in form
    assert "change" in form
    assert "keyup" in form
    assert "Apply filters" in body
    assert 'id="directory-count" class="nhsuk-heading-m" aria-live="polite"' in body
    assert "<script>" not in body  # CSP: no inline script


def test_empty_state_gives_advice(client):
    response = get(client, q="nobody-matches-this")
    assert count_text(response) == "0 members found"
    body = response.content.decode()
    assert "check the spelling" in body
    assert "remove some filters" in body
    assert "Sign in</a> to see those entries too" in body


def test_directory_is_in_the_navigation_and_current_on_its_pages(client):
    home = client.get("/").content.decode()
    assert 'href="/directory/"' in home
    directory = get(client).content.decode()
    current = 'href="/directory/" aria-current="page"'
    assert current in directory
    assert current not in home


def test_query_count_is_the_same_for_one_and_fifty_results(client):
    sepsis, dementia = topic("Sepsis"), topic("Dementia")
    public("Only One", topics=[sepsis, dementia], offers=[offer("Mentoring")])

    def add(n):
        for i in range(n):
            public(f"Many {i}", topics=[sepsis, dementia] if i % 2 else [sepsis])

    assert_constant_queries(uncached(lambda: get(client)), add, many=49)


def test_query_count_is_the_same_with_search_and_filters(client, member):
    client.force_login(member)
    sepsis = topic("Sepsis")
    public("Sam Sepsis", region=Region.WESSEX, topics=[sepsis], working_on="sepsis")

    def add(n):
        for i in range(n):
            ProfileFactory(
                visibility=Visibility.MEMBERS,
                user__full_name=f"Many {i}",
                region=Region.WESSEX,
                topics=[sepsis],
                working_on="sepsis",
            )

    assert_constant_queries(
        uncached(lambda: get(client, q="sepsis", region="wessex", topic="sepsis", page="1")),
        add,
        many=49,
    )


def test_htmx_partial_query_count_is_constant(client):
    public("Only One", topics=[topic("Sepsis")])

    def add(n):
        for i in range(n):
            public(f"Many {i}", topics=[topic("Sepsis")])

    assert_constant_queries(uncached(lambda: client.get(URL, HTTP_HX_REQUEST="true")), add, many=49)


def uncached(action):
    """The action with the directory's result cache made stale first, so what is counted is
    the work of computing a page (members.directory.cache)."""

    def run():
        directory_changed()
        return action()

    return run
