"""Browsing Q Exchange: `/exchange/` lists rounds (current first, then past, then future) with
their counts; `/exchange/<year>/` shows the round and its proposals as cards filtered by theme,
stage, topic, region and full-text search, with visible-comment and supporter counts, paging and
an empty state; `/exchange/<year>/feed/` is an Atom feed. Unpublished rounds answer 404 to all
but staff, and each page costs the same queries with 1 and with 50 proposals."""

import datetime as dt
import re
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from exchange.browse.selectors import round_groups_for_viewer
from exchange.comments.models import Comment
from exchange.proposals.enums import Stage
from exchange.proposals.models import Proposal
from exchange.proposals.services import proposal_refresh_search
from exchange.rounds.models import Round
from exchange.voting.models import Support
from qcommunity.accounts.enums import Role
from qcommunity.core.formatting import uk_date
from qcommunity.core.taxonomy import Region
from tests.factories.accounts import UserFactory
from tests.factories.exchange import announce_decisions, make_exchange_round, make_proposal
from tests.factories.members import topic
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
ATOM = "{http://www.w3.org/2005/Atom}"
CARD_LINK = r'class="nhsuk-card__link" href="/exchange/proposals/[^"]+/">([^<]+)</a>'
FIVE_TOPICS = ("Dementia", "Diabetes", "Sepsis", "Mental health", "Patient safety")


@pytest.fixture
def lead(db):
    return UserFactory(roles=[Role.MEMBER], full_name="Priya Lead")


def detail(round_, **query):
    return reverse("exchange:round-detail", kwargs={"year": round_.year}), query


def get_detail(client, round_, **query):
    url, query = detail(round_, **query)
    return client.get(url, query)


def titles(response) -> list[str]:
    """The titles of the cards on the page, in order (escaped as in the HTML)."""
    html = response.content.decode()
    return re.findall(CARD_LINK, html)


def make(round_, lead, title, **fields):
    proposal = make_proposal(round_, lead=lead, stage=fields.pop("stage", Stage.PROPOSAL))
    Proposal.objects.filter(pk=proposal.pk).update(title=title, **fields)
    proposal.refresh_from_db()
    return proposal


def comment(proposal, *, hidden=False):
    now = timezone.now()
    return Comment.objects.create(
        proposal=proposal, author=UserFactory(), body="Hello", body_html="<p>Hello</p>",
        hidden_at=now if hidden else None, hidden_reason="Abuse" if hidden else "",
    )  # fmt: skip


# /exchange/ ------------------------------------------------------------------------------------


def _shift(round_: Round, days: int) -> Round:
    fields = ("opens_at", "proposals_close_at", "comments_close_at", "voting_opens_at",
              "voting_closes_at", "decisions_at")  # fmt: skip
    for name in fields:
        setattr(round_, name, getattr(round_, name) + days * DAY)
    round_.save()
    return round_


def test_rounds_are_grouped_current_past_and_future(client, lead):
    current = make_exchange_round(year=2026)
    past = _shift(make_exchange_round(year=2024), -400)
    future = _shift(make_exchange_round(year=2027, voting_open=False), 300)
    hidden = make_exchange_round(year=2028)
    Round.objects.filter(pk=hidden.pk).update(published_at=None)
    make_proposal(current, lead=lead)
    make_proposal(current, lead=lead, stage=Stage.IDEA)
    make_proposal(current, lead=lead, stage=Stage.WITHDRAWN)
    make_proposal(past, lead=lead, stage=Stage.FUNDED)

    groups = round_groups_for_viewer(UserFactory())
    assert [r.year for r in groups.current] == [2026]
    assert [r.year for r in groups.past] == [2024]
    assert [r.year for r in groups.future] == [2027]
    assert (groups.current[0].proposal_count, groups.current[0].idea_count) == (2, 1)
    assert groups.past[0].funded_count == 1

    html = client.get(reverse("exchange:round-list")).content.decode()
    assert html.index(current.name) < html.index(past.name) < html.index(future.name)
    assert "2 ideas and proposals, 1 still an idea" in html
    assert "Voting is open until" in html
    assert "Decisions were announced on" in html
    assert f"Ideas open on {uk_date(future.opens_at)}." in html
    assert "1 idea or proposal, 1 funded" in html
    assert hidden.name not in html


def test_every_page_links_to_q_exchange_and_staff_find_the_rounds(client, staff_admin):
    html = client.get("/").content.decode()
    assert 'href="/exchange/"' in html
    client.force_login(staff_admin)
    assert 'href="/staff/exchange/rounds/"' in client.get("/staff/").content.decode()


def test_staff_see_unpublished_rounds_marked(client, staff_admin):
    hidden = make_exchange_round(year=2029)
    Round.objects.filter(pk=hidden.pk).update(published_at=None)
    client.force_login(staff_admin)
    html = client.get(reverse("exchange:round-list")).content.decode()
    assert hidden.name in html
    assert "Not published" in html


def test_no_rounds_shows_an_empty_state(client):
    html = client.get(reverse("exchange:round-list")).content.decode()
    assert "There are no Q Exchange rounds yet" in html


def test_the_round_list_costs_the_same_queries_with_1_and_50_rounds_of_proposals(client, lead):
    round_ = make_exchange_round()
    make_proposal(round_, lead=lead)

    def add(n):
        other = make_exchange_round()
        for _ in range(n):
            make_proposal(round_, lead=lead)
            make_proposal(other, lead=lead, stage=Stage.FUNDED)

    assert_constant_queries(lambda: client.get(reverse("exchange:round-list")), add, many=50)


# /exchange/<year>/ -----------------------------------------------------------------------------


def test_the_round_page_shows_introduction_dates_themes_and_cards(client, lead):
    round_ = make_exchange_round()
    Round.objects.filter(pk=round_.pk).update(introduction="Welcome to **this year**")
    proposal = make(round_, lead, "Frailty at home", summary="Keeping people well at home.")
    comment(proposal)
    comment(proposal)
    comment(proposal, hidden=True)
    for _ in range(3):
        Support.objects.create(proposal=proposal, user=UserFactory(roles=[Role.MEMBER]))

    response = get_detail(client, round_)
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("<strong>this year</strong>", "Key dates", "Ideas open", "Voting closes",
                 "Decisions announced", "£30,000", "Theme 1", "How can we improve with theme 2?",
                 "Frailty at home", "Keeping people well at home.", "Led by Priya Lead",
                 "2 comments", "3 supporters", "nhsuk-tag--blue",
                 f'href="/exchange/proposals/{proposal.slug}/"'):  # fmt: skip
        assert text in html, text
    feed_url = reverse("exchange:round-feed", kwargs={"year": round_.year})
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{feed_url}"' in html


def test_filters_by_theme_stage_topic_and_region(client, lead):
    round_ = make_exchange_round(themes=2)
    first, second = round_.themes.all()
    a = make(round_, lead, "Alpha", theme=first, regions=[Region.YORKSHIRE_HUMBER])
    b = make(round_, lead, "Bravo", theme=second, stage=Stage.IDEA, regions=[Region.SOUTH_LONDON])
    c = make(round_, lead, "Charlie", theme=second, stage=Stage.FUNDED)
    make(round_, lead, "Delta", theme=first, stage=Stage.WITHDRAWN)
    a.topics.add(topic("Mental health"))
    b.topics.add(topic("Mental health"), topic("Dementia"))
    c.topics.add(topic("Dementia"))
    announce_decisions(round_)  # Charlie's funding is public

    assert titles(get_detail(client, round_)) == ["Charlie", "Bravo", "Alpha"]
    assert titles(get_detail(client, round_, theme=str(second.pk))) == ["Charlie", "Bravo"]
    assert titles(get_detail(client, round_, stage=["idea", "funded"])) == ["Charlie", "Bravo"]
    assert titles(get_detail(client, round_, stage="withdrawn")) == ["Delta"]
    assert titles(get_detail(client, round_, topic="mental-health")) == ["Bravo", "Alpha"]
    # Two chosen topics still list a proposal with both once.
    assert titles(get_detail(client, round_, topic=["mental-health", "dementia"])) == [
        "Charlie", "Bravo", "Alpha",
    ]  # fmt: skip
    assert titles(get_detail(client, round_, region=Region.SOUTH_LONDON)) == ["Bravo"]
    assert titles(get_detail(client, round_, theme=str(first.pk), region=Region.SOUTH_LONDON)) == []
    # Unknown values are dropped, not errors: a stale link still works.
    assert titles(get_detail(client, round_, stage="nonsense", theme="999999")) == [
        "Charlie", "Bravo", "Alpha",
    ]  # fmt: skip


def test_the_theme_filter_offers_only_this_rounds_themes(client, lead):
    round_ = make_exchange_round()
    other = make_exchange_round()
    make(other, lead, "Elsewhere")
    response = get_detail(client, round_, theme=str(other.themes.first().pk))
    assert titles(response) == []  # dropped as unknown, and the list is this round's only
    html = response.content.decode()
    assert f'value="{other.themes.first().pk}"' not in html


def test_text_search_uses_websearch_syntax_and_ranks_titles_first(client, lead):
    round_ = make_exchange_round()
    a = make(round_, lead, "Sepsis screening in emergency care", summary="Faster screening.")
    b = make(round_, lead, "Community choirs", summary="Singing for lung health and sepsis.")
    c = make(round_, lead, "Hospital food", summary="Better menus.")
    proposal_refresh_search(proposal_ids=[a.pk, b.pk, c.pk])

    assert titles(get_detail(client, round_, q="sepsis")) == [a.title, b.title]
    assert titles(get_detail(client, round_, q="sepsis -choirs")) == [a.title]
    assert titles(get_detail(client, round_, q='"lung health"')) == [b.title]
    assert titles(get_detail(client, round_, q="menus or choirs")) == [b.title, c.title] or \
        titles(get_detail(client, round_, q="menus or choirs")) == [c.title, b.title]  # fmt: skip
    response = get_detail(client, round_, q="unicorns")
    assert titles(response) == []
    html = response.content.decode()
    assert "No ideas or proposals match your search" in html
    assert "Clear search and filters" in html


def test_a_round_with_no_proposals_shows_an_empty_state(client):
    round_ = make_exchange_round()
    html = get_detail(client, round_).content.decode()
    assert "No ideas have been posted to this round yet" in html
    assert "0 ideas and proposals found" in html


def test_cards_are_paged_24_at_a_time(client, lead):
    round_ = make_exchange_round()
    for n in range(30):
        make(round_, lead, f"Proposal {n:02}", created_at=timezone.now() - n * DAY)
    first = get_detail(client, round_)
    assert len(titles(first)) == 24
    assert titles(first)[0] == "Proposal 00"
    second = get_detail(client, round_, page="2")
    assert titles(second) == [f"Proposal {n:02}" for n in range(24, 30)]
    html = second.content.decode()
    assert "Showing 25 to 30 of 30" in html
    # Paging keeps the filters in the links.
    html = get_detail(client, round_, stage="proposal").content.decode()
    assert "stage=proposal&amp;page=2" in html


def test_unpublished_rounds_are_not_found_except_for_staff(client, lead, staff_admin):
    round_ = make_exchange_round()
    Round.objects.filter(pk=round_.pk).update(published_at=None)
    feed = reverse("exchange:round-feed", kwargs={"year": round_.year})
    assert get_detail(client, round_).status_code == 404
    assert client.get(feed).status_code == 404
    client.force_login(lead)
    assert get_detail(client, round_).status_code == 404
    client.force_login(staff_admin)
    assert get_detail(client, round_).status_code == 200
    assert client.get(feed).status_code == 200


def test_a_year_without_a_round_is_not_found(client):
    assert client.get("/exchange/1999/").status_code == 404


def test_the_round_page_costs_the_same_queries_with_1_and_50_proposals(client, lead, settings):
    settings.EXCHANGE_PAGE_CACHE = False  # the work of a page, not a visitor's cached copy
    round_ = make_exchange_round()
    make(round_, lead, "First").topics.add(topic("Dementia"))

    def add(n):
        for i in range(n):
            p = make(round_, lead, f"More {i}", regions=[Region.SOUTH_LONDON])
            p.topics.add(topic(FIVE_TOPICS[i % 5]))
            comment(p)
            Support.objects.create(proposal=p, user=UserFactory(roles=[Role.MEMBER]))

    url, _ = detail(round_)
    assert_constant_queries(lambda: client.get(url), add, many=50)


def test_filtered_and_searched_pages_cost_the_same_queries_too(client, lead, settings):
    settings.EXCHANGE_PAGE_CACHE = False
    round_ = make_exchange_round()
    first = make(round_, lead, "Frailty first", regions=[Region.SOUTH_LONDON])
    proposal_refresh_search(proposal_ids=[first.pk])
    url, _ = detail(round_)
    query = {"q": "frailty", "stage": ["proposal", "idea"], "region": Region.SOUTH_LONDON}

    def add(n):
        made = [make(round_, lead, f"Frailty {i}", regions=[Region.SOUTH_LONDON]) for i in range(n)]
        ids = [p.pk for p in made]
        proposal_refresh_search(proposal_ids=ids)

    assert_constant_queries(lambda: client.get(url, query), add, many=50)


# The feed --------------------------------------------------------------------------------------


def test_the_feed_is_atom_with_the_rounds_new_proposals(client, lead):
    round_ = make_exchange_round()
    older = make(round_, lead, "Older idea", stage=Stage.IDEA,
                 created_at=timezone.now() - 3 * DAY)  # fmt: skip
    newer = make(round_, lead, "Newer <proposal> & co")
    make(round_, lead, "Withdrawn one", stage=Stage.WITHDRAWN)
    make(make_exchange_round(), lead, "Another round's")

    response = client.get(reverse("exchange:round-feed", kwargs={"year": round_.year}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # valid XML, or this raises
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == f"New proposals and updates in {round_.name}"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [newer.title, older.title]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href").endswith(f"/exchange/proposals/{newer.slug}/")
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Priya Lead"
    assert first.findtext(f"{ATOM}summary") == newer.summary
    assert {c.get("term") for c in first.findall(f"{ATOM}category")} == {"Theme 1", "Proposal"}


def test_explain_uses_indexes_for_the_round_list_query(lead):
    """With 2,000 proposals in a round, the cards' page query reads through indexes, not by
    scanning every comment and support row once per proposal."""
    from django.core.paginator import Paginator

    from exchange.browse.filters import ProposalBrowseFilter
    from exchange.browse.selectors import (
        proposal_cards,
        round_proposals,
        round_topics,
        with_card_counts,
    )

    round_ = make_exchange_round()
    theme = round_.themes.first()
    now = timezone.now()
    Proposal.objects.bulk_create(
        Proposal(round=round_, theme=theme, slug=f"bulk-{n}", title=f"Bulk {n}", summary="S",
                 stage=Stage.PROPOSAL, lead=lead, developed_at=now,
                 created_at=now - n * dt.timedelta(minutes=1))
        for n in range(2000)
    )  # fmt: skip
    proposals = list(Proposal.objects.filter(round=round_))
    readers = [UserFactory() for _ in range(3)]
    Comment.objects.bulk_create(
        Comment(proposal=p, author=u, body="Hi", body_html="<p>Hi</p>")
        for p in proposals
        for u in readers
    )
    Support.objects.bulk_create(Support(proposal=p, user=u) for p in proposals for u in readers)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE exchange_proposal, exchange_comment, exchange_support")
    filterset = ProposalBrowseFilter({}, queryset=round_proposals(round_), round_=round_,
                                     topics=round_topics(round_))  # fmt: skip
    page = Paginator(proposal_cards(filterset.qs), 24).get_page(40)
    plan = page.object_list.explain()
    assert "exchange_prop_round_new_idx" in plan, plan
    assert "Seq Scan on exchange_proposal" not in plan, plan  # small tables may be scanned
    ids = [p.pk for p in page.object_list]
    plan = with_card_counts(Proposal.objects.filter(pk__in=ids)).explain()
    assert "Seq Scan on exchange_comment" not in plan, plan
    assert "Seq Scan on exchange_support" not in plan, plan
