"""Staff download of an Exchange round's proposals, votes and outcomes: the columns the privacy
notice allows and nothing else (a ballot is secret), the filters of the round's staff page in
the file name, formula-safe cells, the audit row, staff only, and a fixed number of queries."""

import csv
import datetime as dt
import io
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from django.utils import timezone

from exchange.comments.services import comment_hide, comment_post
from exchange.decisions.services import proposal_decide
from exchange.proposals.enums import Stage, TeamRole
from exchange.proposals.models import Proposal, TeamMember
from exchange.proposals.services import proposal_refresh_search
from exchange.voting.services import ballot_cast, support_add
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.core.taxonomy import Region
from tests.conftest import TOTP_SECRET
from tests.exchange.voting.test_voting_services import move_window
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

COLUMNS = [
    "Title",
    "Stage",
    "Theme",
    "Regions",
    "Team lead",
    "Team size",
    "Supporters",
    "Comments",
    "Votes",
    "Shortlisted",
    "Shortlisted on",
    "Funding decision",
    "Decided on",
    "Proposal page",
]
DAY = dt.timedelta(days=1)


def member(name: str):
    return UserFactory(roles=[Role.MEMBER], full_name=name)


def moderator():
    user = UserFactory(roles=[Role.MEMBER, Role.EXCHANGE_MODERATOR], full_name="Mo Derator")
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def staff():
    admin = UserFactory(roles=[Role.STAFF_ADMIN], full_name="Stella Staff")
    TOTP.activate(admin, TOTP_SECRET)
    return admin


@pytest.fixture
def built():
    """A round whose voting has closed: in theme 1 "Safety huddles" (shortlisted, then funded;
    Wessex; a team of three with a co-author still invited; two supporters; two comments shown
    and one hidden) and "Falls" (not funded; Wales); in theme 2 "Discharge" (shortlisted,
    undecided) and "Sleep" (a proposal); an idea and a withdrawn proposal in theme 1. Three
    members voted: two for each theme's two choices."""
    round_ = make_exchange_round(choices_per_theme=2)
    theme1, theme2 = round_.themes.all()
    lead = member("Lena Lead")
    made = {
        "safety": make_proposal(round_, lead=lead, theme=theme1, stage=Stage.SHORTLISTED),
        "falls": make_proposal(round_, lead=member("Frank Falls"), theme=theme1),
        "discharge": make_proposal(
            round_, lead=member("Dina Discharge"), theme=theme2, stage=Stage.SHORTLISTED
        ),
        "sleep": make_proposal(round_, lead=member("Sid Sleep"), theme=theme2),
        "idea": make_proposal(round_, lead=member("Ida Idea"), theme=theme1, stage=Stage.IDEA),
        "withdrawn": make_proposal(
            round_, lead=member("Will Drawn"), theme=theme1, stage=Stage.WITHDRAWN
        ),
    }
    titles = {
        "safety": "Safety huddles that spread",
        "falls": "Falls prevention at home",
        "discharge": "Discharge before noon",
        "sleep": "Sleep on the wards",
        "idea": "An idea about rotas",
        "withdrawn": "A withdrawn plan",
    }
    for key, title in titles.items():
        Proposal.objects.filter(pk=made[key].pk).update(title=title)
    proposal_refresh_search(proposal_ids=[p.pk for p in made.values()])
    Proposal.objects.filter(pk=made["safety"].pk).update(regions=[Region.WESSEX, Region.WALES])
    Proposal.objects.filter(pk=made["falls"].pk).update(regions=[Region.WALES])
    safety = made["safety"]
    TeamMember.objects.create(
        proposal=safety, user=member("Cora Author"), role=TeamRole.CO_AUTHOR, position=2,
        invited_at=timezone.now(), accepted_at=timezone.now(),
    )  # fmt: skip
    TeamMember.objects.create(
        proposal=safety, user=member("Pat Pending"), role=TeamRole.CO_AUTHOR, position=3,
        invited_at=timezone.now(),
    )  # fmt: skip
    TeamMember.objects.create(
        proposal=safety, name="Nora Named", role_line="Ward sister", position=4
    )
    for name in ("Sue Porter", "Sam Porter"):
        support_add(actor=member(name), proposal=safety)
    when = round_.comments_close_at - DAY
    comment_post(actor=member("Cy Commenter"), proposal=safety, body="Lovely idea", now=when)
    comment_post(actor=member("Cy Other"), proposal=safety, body="How will it spread?", now=when)
    rude = comment_post(actor=member("Rude Person"), proposal=safety, body="Rubbish", now=when)
    mod = moderator()
    comment_hide(actor=mod, comment=rude, reason="Not kind")
    voters = [member(f"Vera Voter {n}") for n in range(3)]
    votes = [
        {made["safety"].pk, made["falls"].pk, made["discharge"].pk, made["sleep"].pk},
        {made["safety"].pk, made["falls"].pk, made["discharge"].pk, made["sleep"].pk},
        {made["safety"].pk, made["falls"].pk, made["discharge"].pk, made["sleep"].pk},
    ]
    for voter, chosen in zip(voters, votes, strict=True):
        ballot_cast(actor=voter, round_=round_, proposal_ids=chosen)
    move_window(round_, when="after")
    proposal_decide(actor=mod, proposal=safety, action="fund", reason="Strong plan to spread")
    proposal_decide(
        actor=mod, proposal=made["falls"], action="not_fund", reason="Too close to last year"
    )
    return {"round": round_, "moderator": mod, "voters": voters, "lead": lead, **made}


def csv_url(round_) -> str:
    return reverse("exchange-staff:round-proposals-csv", args=[round_.pk])


def download(client, round_, params=None) -> tuple[object, str]:
    response = client.get(csv_url(round_), params or {})
    assert response.status_code == 200
    return response, b"".join(response.streaming_content).decode("utf-8-sig")


def rows_of(text: str) -> dict[str, dict[str, str]]:
    return {row["Title"]: row for row in csv.DictReader(io.StringIO(text))}


def test_csv_has_exactly_the_columns_the_privacy_notice_allows(built, staff, client_for):
    _, text = download(client_for(staff), built["round"])
    assert next(csv.reader(io.StringIO(text))) == COLUMNS


def test_csv_has_one_row_per_proposal_with_counts_votes_and_outcomes(built, staff, client_for):
    response, text = download(client_for(staff), built["round"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    rows = rows_of(text)
    assert len(rows) == 6
    safety = rows["Safety huddles that spread"]
    today = timezone.localdate()
    assert safety == {
        "Title": "Safety huddles that spread",
        "Stage": "Funded",
        "Theme": "Theme 1",
        "Regions": "Wessex; Wales",
        "Team lead": "Lena Lead",
        "Team size": "3",  # the lead, the co-author who accepted, the named person
        "Supporters": "2",
        "Comments": "2",  # the hidden one is not counted
        "Votes": "3",
        "Shortlisted": "Yes",
        "Shortlisted on": safety["Shortlisted on"],
        "Funding decision": "Funded",
        "Decided on": safety["Decided on"],
        "Proposal page": safety["Proposal page"],
    }
    assert safety["Decided on"].endswith(str(today.year))
    assert safety["Shortlisted on"]
    assert safety["Proposal page"].endswith(f"/exchange/proposals/{built['safety'].slug}/")
    falls = rows["Falls prevention at home"]
    assert (falls["Stage"], falls["Funding decision"], falls["Shortlisted"]) == (
        "Not funded",
        "Not funded",
        "No",
    )
    assert (falls["Votes"], falls["Regions"], falls["Team size"]) == ("3", "Wales", "1")
    discharge = rows["Discharge before noon"]
    assert (discharge["Stage"], discharge["Shortlisted"], discharge["Funding decision"]) == (
        "Shortlisted",
        "Yes",
        "",
    )
    assert discharge["Decided on"] == ""
    # Ideas and withdrawn proposals were not on the ballot: no count, not zero.
    assert rows["An idea about rotas"]["Votes"] == ""
    assert rows["A withdrawn plan"]["Stage"] == "Withdrawn"
    assert rows["A withdrawn plan"]["Votes"] == ""


def test_votes_are_left_out_while_voting_is_open(staff, client_for):
    round_ = make_exchange_round(choices_per_theme=1)
    theme1, theme2 = round_.themes.all()
    first = make_proposal(round_, lead=member("Lena Lead"), theme=theme1)
    second = make_proposal(round_, lead=member("Lena Lead"), theme=theme2)
    ballot_cast(actor=member("Vera Voter"), round_=round_, proposal_ids={first.pk, second.pk})
    _, text = download(client_for(staff), round_)
    assert [row["Votes"] for row in rows_of(text).values()] == ["", ""]
    move_window(round_, when="after")
    _, text = download(client_for(staff), round_)
    assert [row["Votes"] for row in rows_of(text).values()] == ["1", "1"]


def test_csv_never_names_voters_supporters_commenters_or_holds_addresses(built, staff, client_for):
    _, text = download(client_for(staff), built["round"])
    assert "@" not in text
    assert "Vera Voter" not in text
    for name in ("Sue Porter", "Sam Porter", "Cy Commenter", "Cy Other", "Rude Person"):
        assert name not in text
    for name in ("Cora Author", "Pat Pending", "Nora Named", "Mo Derator", "Stella Staff"):
        assert name not in text
    for words in ("Lovely idea", "Rubbish", "Not kind", "Strong plan", "Too close to last"):
        assert words not in text
    for voter in built["voters"]:
        assert voter.email not in text
    assert built["lead"].email not in text


def test_csv_cells_cannot_run_as_formulas(built, staff, client_for):
    Proposal.objects.filter(pk=built["sleep"].pk).update(
        title='=HYPERLINK("http://evil.example","Sleep")'
    )
    lead = built["sleep"].lead
    lead.full_name = "@SUM(1+1)"
    lead.save(update_fields=["full_name"])
    Proposal.objects.filter(pk=built["discharge"].pk).update(title="+1 discharge")
    _, text = download(client_for(staff), built["round"])
    rows = rows_of(text)
    sleep = rows['\'=HYPERLINK("http://evil.example","Sleep")']
    assert sleep["Team lead"] == "'@SUM(1+1)"
    assert "'+1 discharge" in rows


WELSH = "Cysgu\u2019n dda ar y ward: Si\u00e2n"


def test_csv_is_utf8_with_a_byte_order_mark(built, staff, client_for):
    Proposal.objects.filter(pk=built["sleep"].pk).update(title=WELSH)
    data = b"".join(client_for(staff).get(csv_url(built["round"])).streaming_content)
    assert data.startswith(b"\xef\xbb\xbfTitle,Stage,")
    assert WELSH.encode() in data


def test_filters_narrow_the_rows_and_name_the_file(built, staff, client_for):
    client = client_for(staff)
    round_ = built["round"]
    theme1 = round_.themes.first()
    response, text = download(
        client, round_, {"stage": "funded", "theme": theme1.pk, "region": "wessex", "q": "safety"}
    )
    assert list(rows_of(text)) == ["Safety huddles that spread"]
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="exchange-{round_.year}-proposals-stage-funded-theme-theme-1'
        f'-region-wessex-q-safety-{stamp}.csv"'
    )
    entry = AuditEntry.objects.get(action="exchange_round.export_proposals")
    assert entry.actor == staff
    assert entry.target_id == str(round_.pk)
    assert entry.data == {
        "filters": {"stage": "funded", "theme": "Theme 1", "region": "wessex", "q": "safety"},
        "rows": 1,
    }
    assert list(rows_of(download(client, round_, {"region": "wales"})[1])) == [
        "Safety huddles that spread",
        "Falls prevention at home",
    ]
    assert list(rows_of(download(client, round_, {"stage": "withdrawn"})[1])) == [
        "A withdrawn plan"
    ]
    theme2 = list(rows_of(download(client, round_, {"theme": round_.themes.last().pk})[1]))
    assert theme2 == ["Discharge before noon", "Sleep on the wards"]


def test_unknown_filters_are_ignored_and_left_out_of_the_name(built, staff, client_for):
    client = client_for(staff)
    other_theme = make_exchange_round().themes.first()
    response, text = download(
        client,
        built["round"],
        {"stage": "nope", "theme": other_theme.pk, "region": "atlantis", "q": "   "},
    )
    assert len(rows_of(text)) == 6
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="exchange-{built["round"].year}-proposals-{stamp}.csv"'
    )
    assert AuditEntry.objects.get(action="exchange_round.export_proposals").data == {
        "filters": {},
        "rows": 6,
    }


def test_only_staff_download_and_no_one_else_is_audited(built, client_for, client):
    url = csv_url(built["round"])
    assert client.get(url).status_code == 302  # to sign in
    for person in (built["moderator"], built["voters"][0], built["lead"]):
        assert client_for(person).get(url).status_code == 404
        assert client_for(person).get(reverse(
            "exchange-staff:round-export", args=[built["round"].pk]
        )).status_code == 404  # fmt: skip
    assert not AuditEntry.objects.filter(action="exchange_round.export_proposals").exists()


def test_a_round_that_does_not_exist_is_not_found(staff, client_for):
    client = client_for(staff)
    assert client.get(reverse("exchange-staff:round-proposals-csv", args=[987654])).status_code == (
        404
    )
    assert client.get(reverse("exchange-staff:round-export", args=[987654])).status_code == 404


def test_query_count_is_the_same_for_one_proposal_and_many(staff, client_for):
    round_ = make_exchange_round(choices_per_theme=1)
    theme = round_.themes.first()
    make_proposal(round_, lead=member("First Lead"), theme=theme)
    client = client_for(staff)

    def add(n):
        for i in range(n):
            proposal = make_proposal(round_, lead=member(f"Lead {i}"), theme=theme)
            support_add(actor=member(f"Supporter {i}"), proposal=proposal)
            TeamMember.objects.create(proposal=proposal, name=f"Named {i}", position=2)

    def fetch(params=None):
        return lambda: b"".join(client.get(csv_url(round_), params or {}).streaming_content)

    assert_constant_queries(fetch(), add, many=8)
    assert_constant_queries(fetch({"theme": theme.pk, "q": "test", "stage": "proposal"}), add)


# Through the pages, as staff reach it ----------------------------------------------------------


def _selects(form_html: str) -> dict[str, list[str]]:
    return {
        name: re.findall(r'<option value="([^"]*)"', body)
        for name, body in re.findall(
            r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', form_html, re.S
        )
    }


def test_round_staff_page_links_to_the_download_and_to_the_choice(built, staff, client_for):
    client = client_for(staff)
    round_ = built["round"]
    page = client.get(reverse("exchange-staff:round-edit", args=[round_.pk])).content.decode()
    links = {text: href for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', page)}
    href = links["Download every proposal with its votes and outcome (CSV)"]
    assert href == csv_url(round_)
    response = client.get(href)
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="exchange-{round_.year}-proposals-'
    )
    assert len(rows_of(b"".join(response.streaming_content).decode("utf-8-sig"))) == 6

    choice = client.get(links["Choose which proposals to download"]).content.decode()
    form = re.search(
        rf'<form method="get" action="{re.escape(csv_url(round_))}"[^>]*>(.*?)</form>',
        choice,
        re.S,
    )
    assert form
    selects = _selects(form.group(1))
    assert selects["stage"] == ["", *Stage.values]
    assert selects["theme"] == ["", *(str(t.pk) for t in round_.themes.all())]
    assert selects["region"][:3] == ["", "scotland", "wales"]
    assert 'name="q"' in form.group(1)
    # The form as a browser sends it: every field, the ones left alone empty.
    _, text = download(client, round_, {"stage": "shortlisted", "theme": "", "region": "", "q": ""})
    assert list(rows_of(text)) == ["Discharge before noon"]


def test_choice_page_shows_filters_from_its_address_as_chosen(built, staff, client_for):
    client = client_for(staff)
    url = reverse("exchange-staff:round-export", args=[built["round"].pk])
    html = client.get(url, {"stage": "funded", "q": "huddles"}).content.decode()
    assert re.search(r'<option value="funded"\s+selected', html)
    assert 'value="huddles"' in html


def test_privacy_notice_says_staff_download_proposals_with_vote_totals_only(client):
    html = client.get(reverse("core:privacy")).content.decode()
    assert "For a round of Q Exchange" in html
    assert "it never shows who voted for what" in html
