"""The staff report on a round (issue 5 item 6): totals, acceptance rate and the mix of
applications with charts and tables; the decisions CSV; the round's audit trail, and that
every status change and score submission leaves an audit row."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from members.joining.enums import ApplicationStatus
from members.joining.models import Application
from members.joining.selectors import round_audit_entries, round_report, round_totals
from members.joining.services import (
    application_decide,
    application_withdraw,
    round_close,
    round_release_decisions,
    round_transition,
)
from members.panels.services import round_panel_create, round_panel_member_add
from qcommunity.audit.models import AuditEntry
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.models import Assignment, Review
from tests.factories.accounts import UserFactory
from tests.factories.joining import complete_draft, make_round
from tests.factories.panels import (
    panel_in_review,
    send_to_review,
    staff_user,
    submit_review,
    submitted_application,
    two_factor_user,
)
from tests.factories.release import decided_round, move_release_to_the_past
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staff_user()


def _panel(staff, round_, region):
    panel = round_panel_create(actor=staff, round_=round_, region=region)
    for i in range(2):
        person = two_factor_user(full_name=f"{region} reviewer {i}")
        round_panel_member_add(actor=staff, panel=panel, user=person, organisation="Elsewhere")
    chair = two_factor_user(full_name=f"{region} chair")
    round_panel_member_add(actor=staff, panel=panel, user=chair, role=PanelRole.CHAIR)
    return panel, chair


def _review_all(application, values=((3, 2, 1), (2, 2, 0)), recommendations=None):
    assignments = Assignment.objects.filter(subject_id=application.pk).order_by("id")
    recommendations = recommendations or ["support", "oppose"]
    for assignment, scores, recommendation in zip(
        assignments, values, recommendations, strict=True
    ):
        submit_review(assignment, list(scores), recommendation)


@pytest.fixture
def built(staff):
    """A round open to Wessex and Wales: a draft; one application withdrawn after submitting;
    one submitted and not yet sent to a panel; two Wessex applications decided (accepted,
    not yet) and one Wales application reviewed but undecided."""
    round_ = make_round(staff, regions=(Region.WESSEX, Region.WALES))
    accepted = submitted_application(
        round_,
        Region.WESSEX,
        organisation="Trust A",
        organisation_type=OrganisationType.ACUTE,
        role_types=[RoleType.MANAGER],
    )
    not_yet = submitted_application(
        round_,
        Region.WESSEX,
        organisation="Trust B",
        organisation_type=OrganisationType.PRIMARY_CARE,
        role_types=[RoleType.MANAGER, RoleType.RESEARCHER],
    )
    undecided = submitted_application(
        round_,
        Region.WALES,
        organisation="Trust C",
        organisation_type=OrganisationType.ACUTE,
        role_types=[RoleType.FRONTLINE],
    )
    waiting = submitted_application(
        round_, Region.WESSEX, organisation="Trust D",
        organisation_type=OrganisationType.ACUTE, role_types=[RoleType.PATIENT_LEADER],
    )  # fmt: skip
    withdrawn = submitted_application(round_, Region.WESSEX, organisation="Trust E")
    application_withdraw(actor=withdrawn.applicant, application=withdrawn)
    draft = complete_draft(UserFactory(), round_)
    round_close(actor=staff, round_=round_)
    wessex, wessex_chair = _panel(staff, round_, Region.WESSEX)
    wales, _ = _panel(staff, round_, Region.WALES)
    round_transition(actor=staff, round_=round_, action="start_review")
    send_to_review(staff, wessex, [accepted, not_yet])
    send_to_review(staff, wales, [undecided])
    _review_all(accepted)
    _review_all(not_yet, values=((1, 1, 1), (0, 1, 2)), recommendations=["oppose", "oppose"])
    _review_all(undecided, values=((2, 2, 2), (3, 3, 3)), recommendations=["support", "unsure"])
    application_decide(actor=wessex_chair, application=accepted, accept=True, rationale="Clear")
    application_decide(
        actor=wessex_chair, application=not_yet, accept=False,
        rationale="Not enough evidence", feedback="Tell us more about your work",
    )  # fmt: skip
    return {
        "round": round_,
        "accepted": accepted,
        "not_yet": not_yet,
        "undecided": undecided,
        "waiting": waiting,
        "withdrawn": withdrawn,
        "draft": draft,
        "staff": staff,
    }


def rows_of(report, key) -> dict[str, tuple[int, int, int, int]]:
    breakdown = next(b for b in report.breakdowns if b.key == key)
    return {row.label: (row.count, *row.parts) for row in breakdown.rows}


# The figures ------------------------------------------------------------------------------------


def test_totals_count_each_status(built):
    totals = round_totals(built["round"])
    assert (
        totals.drafts,
        totals.submitted,
        totals.withdrawn,
        totals.in_review,
        totals.accepted,
        totals.not_yet,
    ) == (1, 1, 1, 1, 1, 1)
    assert totals.received == 4
    assert totals.decided == 2
    assert totals.acceptance_rate == 0.5
    assert totals.acceptance_percent == 50


def test_mix_is_split_by_decision(built):
    report = round_report(built["round"])
    # (received, accepted, not yet, undecided); drafts and withdrawals are not in the mix.
    assert rows_of(report, "region") == {"Wales": (1, 0, 0, 1), "Wessex": (3, 1, 1, 1)}
    assert rows_of(report, "nation") == {"England": (3, 1, 1, 1), "Wales": (1, 0, 0, 1)}
    roles = rows_of(report, "role-type")
    assert roles["Manager"] == (2, 1, 1, 0)
    assert roles["Researcher"] == (1, 0, 1, 0)
    assert roles["Frontline staff"] == (1, 0, 0, 1)
    assert roles["Patient leader"] == (1, 0, 0, 1)
    assert roles["Educator"] == (0, 0, 0, 0)
    organisations = rows_of(report, "organisation-type")
    assert organisations["Acute (hospital) care"] == (3, 1, 0, 2)
    assert organisations["Primary care"] == (1, 0, 1, 0)
    assert sum(row[0] for row in organisations.values()) == 4


def test_acceptance_rate_with_nothing_decided(staff, client_for):
    round_ = make_round(staff)
    submitted_application(round_)
    totals = round_totals(round_)
    assert totals.decided == 0
    assert totals.acceptance_rate is None
    html = client_for(staff).get(reverse("members-staff:round-report", args=[round_.pk]))
    assert "no decisions have been recorded" in html.content.decode()


def test_report_page_shows_rate_charts_and_tables_with_the_same_figures(built, client_for):
    url = reverse("members-staff:round-report", args=[built["round"].pk])
    html = client_for(built["staff"]).get(url).content.decode()
    assert 'data-rate="50"' in html
    assert "1 of the 2 applications with a decision was accepted" in html
    assert "a share of applications with a decision" in html
    assert "can be counted in more than one row" in html
    for key in ("region", "nation", "role-type", "organisation-type"):
        svg = re.search(rf'<svg[^>]*aria-labelledby="chart-{key}-title".*?</svg>', html, re.S)
        assert svg, key
        bars = re.findall(
            r'data-label="([^"]*)" data-count="(\d+)" data-parts="(\d+),(\d+),(\d+)"',
            svg.group(0),
        )
        table = re.search(rf'<table[^>]*data-breakdown="{key}".*?</table>', html, re.S)
        cells = re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", table.group(0), re.S)
        assert bars
        assert [tuple(bar) for bar in bars] == [
            tuple(cells[i : i + 5]) for i in range(0, len(cells), 5)
        ], key
    assert "split into accepted, not yet and undecided" in html
    # The links to the other two pages.
    assert reverse("members-staff:round-applications-csv", args=[built["round"].pk]) in html
    assert reverse("members-staff:round-audit", args=[built["round"].pk]) in html


def test_round_page_links_to_the_reports(staff, client_for):
    round_ = make_round(staff)
    html = client_for(staff).get(reverse("members-staff:round-detail", args=[round_.pk]))
    for name in ("round-report", "round-applications-csv", "round-audit"):
        assert reverse(f"members-staff:{name}", args=[round_.pk]) in html.content.decode()


# The decisions CSV ------------------------------------------------------------------------------


def download(client, round_) -> list[dict[str, str]]:
    response = client.get(reverse("members-staff:round-applications-csv", args=[round_.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_row_per_submitted_application_with_scores(built, client_for):
    rows = download(client_for(built["staff"]), built["round"])
    by_reference = {row["Reference"]: row for row in rows}
    # Drafts are left out; an application withdrawn after submitting stays in.
    assert set(by_reference) == {
        built[k].reference for k in ("accepted", "not_yet", "undecided", "waiting", "withdrawn")
    }
    accepted = by_reference[built["accepted"].reference]
    assert accepted["Region"] == "Wessex"
    assert accepted["Nation"] == "England"
    assert accepted["Organisation type"] == "Acute (hospital) care"
    assert accepted["Role types"] == "Manager"
    assert accepted["Status"] == "Accepted"
    assert accepted["Decision"] == "Accepted"
    assert accepted["Sent in"] != ""
    assert accepted["Decided"] != ""
    assert accepted["Released to the applicant"] == "No"
    assert accepted["Released"] == ""
    assert accepted["Withdrawn"] == ""
    means = [v for k, v in accepted.items() if k.startswith("Mean score: ") and k[12].isdigit()]
    assert means == ["2.5", "2.0", "0.5"]
    assert accepted["Mean score: all criteria"] == "1.7"  # (3+2+1+2+2+0) / 6
    assert accepted["Reviews submitted"] == "2"
    assert accepted["Recommendation: Recommend"] == "1"
    assert accepted["Recommendation: Do not recommend"] == "1"
    assert accepted["Recommendation: Unsure: discuss at panel"] == "0"
    wales = by_reference[built["undecided"].reference]
    assert (wales["Nation"], wales["Status"], wales["Decided"]) == ("Wales", "Being reviewed", "")
    assert wales["Decision"] == ""
    assert by_reference[built["not_yet"].reference]["Decision"] == "Not yet"
    assert wales["Mean score: all criteria"] == "2.5"
    waiting = by_reference[built["waiting"].reference]
    assert (waiting["Mean score: all criteria"], waiting["Reviews submitted"]) == ("", "0")
    assert by_reference[built["withdrawn"].reference]["Status"] == "Withdrawn"
    assert by_reference[built["withdrawn"].reference]["Withdrawn"] != ""


def test_csv_names_no_applicant(built, client_for):
    response = client_for(built["staff"]).get(
        reverse("members-staff:round-applications-csv", args=[built["round"].pk])
    )
    text = b"".join(response.streaming_content).decode()
    applicant = built["accepted"].applicant
    assert "@" not in text
    assert applicant.full_name not in text
    assert "Trust A" not in text
    assert "Improvement lead" not in text


def test_csv_cells_cannot_run_as_formulas(built, client_for):
    # A stored value outside today's choices is written as it is, so it must be guarded.
    Application.objects.filter(pk=built["waiting"].pk).update(role_types=["=HYPERLINK(1)"])
    rows = download(client_for(built["staff"]), built["round"])
    row = next(r for r in rows if r["Reference"] == built["waiting"].reference)
    assert row["Role types"] == "'=HYPERLINK(1)"


# What the privacy notice ("Selecting members and running Q Exchange") lets staff download.
ALLOWED_COLUMNS = [
    "Reference",
    "Region",
    "Nation",
    "Organisation type",
    "Role types",
    "Status",
    "Decision",
    "Released to the applicant",
    "Sent in",
    "Decided",
    "Released",
    "Withdrawn",
    "Mean score: 1. Commitment to collaborative improvement",
    "Mean score: 2. Experience of improvement across boundaries",
    "Mean score: 3. Understanding of how to improve",
    "Mean score: all criteria",
    "Reviews submitted",
    "Recommendation: Recommend",
    "Recommendation: Unsure: discuss at panel",
    "Recommendation: Do not recommend",
]


def raw_csv(client, round_, params=None) -> bytes:
    url = reverse("members-staff:round-applications-csv", args=[round_.pk])
    return b"".join(client.get(url, params or {}).streaming_content)


def test_csv_has_exactly_the_columns_the_privacy_notice_allows(built, client_for):
    text = raw_csv(client_for(built["staff"]), built["round"]).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == ALLOWED_COLUMNS


def test_privacy_notice_tells_applicants_what_staff_download(client):
    html = client.get(reverse("core:privacy")).content.decode()
    assert "Selecting members and running Q Exchange" in html
    assert "reference number, region, type of organisation, role types" in html
    assert "never has your name, email address, organisation or answers" in html


def test_csv_holds_no_names_addresses_answers_or_reviewers(built, client_for):
    text = raw_csv(client_for(built["staff"]), built["round"]).decode("utf-8-sig")
    reviewers = [
        m.user for a in Assignment.objects.select_related("panel") for m in a.panel.members.all()
    ]
    people = [built[k].applicant for k in ("accepted", "not_yet", "undecided", "waiting")]
    for person in [*people, *reviewers, built["staff"]]:
        assert person.email not in text
        assert person.full_name not in text
    assert "@" not in text
    assert "reviewer" not in text.lower()
    for words in ("Clear", "Not enough evidence", "Tell us more about your work", "Elsewhere"):
        assert words not in text
    for answer in built["accepted"].answers.all():
        assert answer.text not in text


def test_csv_is_utf8_with_a_byte_order_mark(built, client_for):
    data = raw_csv(client_for(built["staff"]), built["round"])
    assert data.startswith(b"\xef\xbb\xbfReference,Region,")
    assert data.count(b"\xef\xbb\xbf") == 1


def test_csv_shows_released_decisions_as_released(staff, client_for):
    setup = decided_round(staff, accepted=1, not_yet=1)
    move_release_to_the_past(staff, setup.round)
    round_release_decisions(round_=setup.round)
    rows = download(client_for(staff), setup.round)
    assert [(r["Decision"], r["Released to the applicant"]) for r in rows] == [
        ("Accepted", "Yes"),
        ("Not yet", "Yes"),
    ]
    assert all(r["Released"] for r in rows)


def test_csv_filters_by_region_and_status_named_in_the_file(built, client_for):
    client = client_for(built["staff"])
    url = reverse("members-staff:round-applications-csv", args=[built["round"].pk])
    response = client.get(url, {"region": "wessex", "status": "accepted"})
    stamp = timezone.localdate().isoformat()
    name = slugify(built["round"].name)
    assert response["Content-Disposition"] == (
        f'attachment; filename="q-round-{built["round"].pk}-{name}-applications'
        f'-region-wessex-status-accepted-{stamp}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    assert [r["Reference"] for r in rows] == [built["accepted"].reference]
    wales = download_with(client, built["round"], {"region": "wales"})
    assert [r["Reference"] for r in wales] == [built["undecided"].reference]
    withdrawn = download_with(client, built["round"], {"status": "withdrawn"})
    assert [r["Reference"] for r in withdrawn] == [built["withdrawn"].reference]
    entry = AuditEntry.objects.filter(action="join_round.export_applications").earliest("id")
    assert entry.data == {"filters": {"region": "wessex", "status": "accepted"}, "rows": 1}


def test_csv_ignores_regions_outside_the_round_drafts_and_unknown_values(built, client_for):
    client = client_for(built["staff"])
    for params in ({"region": "london"}, {"status": "draft"}, {"status": "nope", "region": ""}):
        rows = download_with(client, built["round"], params)
        assert len(rows) == 5, params
    response = client.get(
        reverse("members-staff:round-applications-csv", args=[built["round"].pk]),
        {"region": "london"},
    )
    assert "london" not in response["Content-Disposition"]


def download_with(client, round_, params) -> list[dict[str, str]]:
    url = reverse("members-staff:round-applications-csv", args=[round_.pk])
    return list(csv.DictReader(io.StringIO(b"".join(client.get(url, params)).decode("utf-8-sig"))))


def _form(html: str, action: str) -> dict[str, list[str]]:
    """The GET form posting to `action` on a page: its selects and their option values."""
    form = re.search(
        rf'<form method="get" action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S
    )
    assert form, action
    return {
        name: re.findall(r'<option value="([^"]*)"', body)
        for name, body in re.findall(
            r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', form.group(1), re.S
        )
    }


def test_round_page_links_to_the_download_and_offers_its_filters(built, client_for):
    client = client_for(built["staff"])
    round_ = built["round"]
    html = client.get(reverse("members-staff:round-detail", args=[round_.pk])).content.decode()
    url = reverse("members-staff:round-applications-csv", args=[round_.pk])
    link = re.search(rf'<a href="({re.escape(url)})">([^<]*)</a>', html)
    assert link.group(2) == "Download every application and decision as a spreadsheet (CSV)"
    assert len(download_with(client, round_, {})) == 5
    selects = _form(html, url)
    assert selects == {
        "region": ["", *round_.regions],
        "status": ["", "submitted", "in_review", "accepted", "not_yet", "withdrawn"],
    }
    # Submitting the form as a browser would: every select, one left at "any".
    rows = download_with(client, round_, {"region": "wessex", "status": ""})
    assert sorted(r["Reference"] for r in rows) == sorted(
        built[k].reference for k in ("accepted", "not_yet", "waiting", "withdrawn")
    )


def test_csv_download_is_audited_with_who_and_how_many_rows(built, client_for):
    download(client_for(built["staff"]), built["round"])
    entry = AuditEntry.objects.get(action="join_round.export_applications")
    assert entry.actor == built["staff"]
    assert entry.actor_label == built["staff"].email
    assert entry.target_id == str(built["round"].pk)
    assert entry.data == {"filters": {}, "rows": 5}


# Every status change and score is in the audit log ----------------------------------------------


def test_every_application_status_change_has_an_audit_row(built):
    round_ = built["round"]
    for application in Application.objects.filter(round=round_, submitted_at__isnull=False):
        moves = [
            (e.data["from"], e.data["to"])
            for e in AuditEntry.objects.filter(
                target_id=str(application.pk), action__startswith="application."
            )
            .exclude(action__in=["application.create", "application.save_draft"])
            .order_by("created_at", "id")
        ]
        path = [ApplicationStatus.DRAFT] + [to for _, to in moves]
        assert [f for f, _ in moves] == path[:-1], application.reference
        assert path[-1] == application.status, application.reference


def test_every_assignment_and_score_has_an_audit_row(built):
    round_ = built["round"]
    assignments = Assignment.objects.filter(
        subject_id__in=Application.objects.filter(round=round_).values("pk")
    )
    assert assignments.count() == 6
    for assignment in assignments:
        actions = set(
            AuditEntry.objects.filter(
                target_type__model="assignment", target_id=str(assignment.pk)
            ).values_list("action", flat=True)
        )
        # Given out by the distribution, then submitted.
        assert actions == {"scoring_assignment.create", "scoring_assignment.submit"}
    for review in Review.objects.filter(assignment__in=assignments):
        entry = AuditEntry.objects.get(target_type__model="review", target_id=str(review.pk))
        assert entry.action == "scoring_review.submit"
        assert sorted(map(int, entry.data["scores"].values())) == sorted(
            review.scores.values_list("value", flat=True)
        )


# The audit trail --------------------------------------------------------------------------------


def audit_rows(client, round_, **params) -> list[str]:
    response = client.get(reverse("members-staff:round-audit", args=[round_.pk]), params)
    assert response.status_code == 200
    return re.findall(r'<tr class="nhsuk-table__row" data-action="([^"]+)"', response.text)


def test_audit_trail_lists_status_changes_and_scores_of_this_round_only(built, client_for):
    other = make_round(built["staff"], name="Another round")
    client = client_for(built["staff"])
    actions = audit_rows(client, built["round"], kind="status")
    assert {
        "join_round.close",
        "join_round.start_review",
        "application.submit",
        "application.withdraw",
        "application.start_review",
        "application.accept",
        "application.not_yet",
        "scoring_assignment.submit",
    } <= set(actions)
    assert all(
        "from" in e.data and "to" in e.data
        for e in round_audit_entries(built["round"], kind="status")
    )
    reviews = client.get(
        reverse("members-staff:round-audit", args=[built["round"].pk]), {"kind": "review"}
    ).text
    assert re.findall(r'data-action="([^"]+)"', reviews) == ["scoring_review.submit"] * 6
    assert "1. Commitment to collaborative improvement: 3" in reviews
    assert f"Application: {built['accepted'].reference}" in reviews
    assert "Recommendation: Do not recommend" in reviews
    entries = round_audit_entries(built["round"])
    assert not entries.filter(target_type__model="round", target_id=str(other.pk)).exists()
    assert entries.filter(action="join_round.create").count() == 1


def test_audit_trail_filters_by_kind(built, client_for):
    client = client_for(built["staff"])
    applications = set(audit_rows(client, built["round"], kind="application"))
    assert applications
    assert all(a.startswith("application.") for a in applications)
    panels = set(audit_rows(client, built["round"], kind="panel"))
    assert panels == {
        "scoring_panel.create",
        "scoring_panel.member_add",
        "scoring_panel.distribute",
    }
    rounds = set(audit_rows(client, built["round"], kind="round"))
    assert "join_round.open" in rounds
    assert "scoring_scheme.lock" in rounds
    everything = audit_rows(client, built["round"], kind="not-a-kind")
    assert len(everything) == 50


def test_audit_trail_is_newest_first_and_paginates(built, client_for):
    client = client_for(built["staff"])
    total = round_audit_entries(built["round"]).count()
    assert total > 50
    first = audit_rows(client, built["round"])
    second = audit_rows(client, built["round"], page=2)
    assert len(first) == 50
    assert len(second) == min(total - 50, 50)
    assert first[0] == "application.not_yet"  # the last thing done
    html = client.get(reverse("members-staff:round-audit", args=[built["round"].pk])).text
    assert f"Showing 1 to 50 of {total} entries" in html
    assert 'class="nhsuk-pagination' in html


# Query counts -----------------------------------------------------------------------------------


@pytest.fixture
def growing(staff):
    """A round in review with one reviewed and decided application, and more held back for
    `add` to send to review, review and decide."""
    setup = panel_in_review(staff, applications=1, reviewers=2, held_back=12)
    for application in setup.applications:
        _review_all(application)
        application_decide(
            actor=setup.chair, application=application, accept=True, rationale="Clear"
        )

    def add(n):
        moved = send_to_review(staff, setup.panel, setup.held_back[:n])
        del setup.held_back[:n]
        for i, application in enumerate(moved):
            _review_all(application)
            if i % 2:
                application_decide(
                    actor=setup.chair, application=application, accept=True, rationale="Good"
                )

    return setup, add


def test_report_page_query_count_is_constant(growing, client_for, staff):
    setup, add = growing
    client = client_for(staff)
    url = reverse("members-staff:round-report", args=[setup.round.pk])
    assert_constant_queries(lambda: client.get(url), add, many=4)


def test_csv_query_count_is_constant(growing, client_for, staff):
    setup, add = growing
    client = client_for(staff)
    url = reverse("members-staff:round-applications-csv", args=[setup.round.pk])
    assert_constant_queries(lambda: b"".join(client.get(url).streaming_content), add, many=4)
    region = {"region": setup.panel.region, "status": "accepted"}
    assert_constant_queries(
        lambda: b"".join(client.get(url, region).streaming_content), add, many=4
    )


def test_audit_page_query_count_is_constant(growing, client_for, staff):
    setup, add = growing
    client = client_for(staff)
    url = reverse("members-staff:round-audit", args=[setup.round.pk])
    assert_constant_queries(lambda: client.get(url), add, many=4)
    assert_constant_queries(lambda: client.get(url, {"kind": "review"}), add, many=4)


def test_report_selector_runs_four_queries(growing):
    setup, add = growing
    assert assert_constant_queries(lambda: round_report(setup.round), add, many=4) == 4


def test_pages_are_for_staff_who_manage_rounds(built, client_for):
    chair = Assignment.objects.filter(subject_id=built["accepted"].pk).first().panel.members.last()
    client = client_for(chair.user)
    for name in ("round-report", "round-applications-csv", "round-audit"):
        response = client.get(reverse(f"members-staff:{name}", args=[built["round"].pk]))
        assert response.status_code == 404, name
    assert not AuditEntry.objects.filter(action="join_round.export_applications").exists()
