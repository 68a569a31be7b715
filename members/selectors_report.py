"""Reads for the staff report on a round of selection: totals, the acceptance rate, the mix of
applications by region, nation, role type and organisation type (each split by decision), the
rows of the decisions CSV, and the round's audit trail.

Everything is counted in SQL (conditional aggregates and GROUP BY), so each read runs a fixed
number of queries whatever the number of applications. Decisions not yet released are
counted: these pages are for staff only."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Q, QuerySet

from qcommunity.audit.describe import FORMER_MEMBER
from qcommunity.audit.models import AuditEntry
from qcommunity.audit.selectors import audit_entries_for_targets
from qcommunity.core.formatting import uk_datetime
from qcommunity.core.taxonomy import REGION_NATION, Nation, OrganisationType, Region, RoleType
from qcommunity.scoring.enums import Recommendation
from qcommunity.scoring.models import (
    Assignment,
    Criterion,
    CriterionScore,
    Panel,
    Review,
    Scheme,
)

from .enums_joining import ApplicationStatus
from .export import safe_cell
from .insights import NOT_GIVEN, Breakdown, Row, Series
from .models_joining import Application, Round

# Applications in the mix: sent to Q and not withdrawn (drafts and withdrawals are in the
# totals only).
RECEIVED = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.NOT_YET,
)
# Each bar of the report's charts is split by decision. Fills: NHS blue, NHS pink and NHS mid
# grey, each 3:1 or more against the page background; the chart leaves gaps between parts.
DECISION_SERIES = (
    Series("Accepted", "#005eb8"),
    Series("Not yet", "#ae2573"),
    Series("Undecided", "#768692"),
)
NOUN = "applications"
COUNT_HEADING = "Applications"


@dataclass(frozen=True)
class RoundTotals:
    drafts: int
    submitted: int  # submitted and waiting to be sent to a panel
    withdrawn: int
    in_review: int
    accepted: int
    not_yet: int

    @property
    def received(self) -> int:
        """Applications sent to Q and not withdrawn."""
        return self.submitted + self.in_review + self.accepted + self.not_yet

    @property
    def decided(self) -> int:
        return self.accepted + self.not_yet

    @property
    def undecided(self) -> int:
        return self.submitted + self.in_review

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted as a share of the applications with a decision (accepted or not yet);
        None while nothing is decided."""
        return self.accepted / self.decided if self.decided else None

    @property
    def acceptance_percent(self) -> int | None:
        rate = self.acceptance_rate
        return None if rate is None else round(rate * 100)


@dataclass(frozen=True)
class RoundReport:
    totals: RoundTotals
    breakdowns: list[Breakdown]


DECISION_FILTERS = {
    "received": Q(status__in=RECEIVED),
    "accepted": Q(status=ApplicationStatus.ACCEPTED),
    "not_yet": Q(status=ApplicationStatus.NOT_YET),
}


def _decision_counts(where: Q | None = None, suffix: str = "") -> dict:
    """Applications received, accepted and not yet (of those matching `where`), as
    conditional counts named received<suffix>, accepted<suffix>, not_yet<suffix>."""
    return {
        f"{name}{suffix}": Count("id", filter=condition & where if where else condition)
        for name, condition in DECISION_FILTERS.items()
    }


def _row(label: str, received: int, accepted: int, not_yet: int) -> Row:
    return Row(label, received, (accepted, not_yet, received - accepted - not_yet))


def round_totals(round_: Round) -> RoundTotals:
    """How many applications the round has in each status. One query."""
    counts = Application.objects.filter(round_id=round_.pk).aggregate(
        drafts=Count("id", filter=Q(status=ApplicationStatus.DRAFT)),
        submitted=Count("id", filter=Q(status=ApplicationStatus.SUBMITTED)),
        withdrawn=Count("id", filter=Q(status=ApplicationStatus.WITHDRAWN)),
        in_review=Count("id", filter=Q(status=ApplicationStatus.IN_REVIEW)),
        accepted=Count("id", filter=Q(status=ApplicationStatus.ACCEPTED)),
        not_yet=Count("id", filter=Q(status=ApplicationStatus.NOT_YET)),
    )
    return RoundTotals(**counts)


def _received(round_: Round) -> QuerySet[Application]:
    return Application.objects.filter(round_id=round_.pk, status__in=RECEIVED).order_by()


def _grouped(round_: Round, column: str) -> dict[str, tuple[int, int, int]]:
    return {
        row[column]: (row["received"], row["accepted"], row["not_yet"])
        for row in _received(round_).values(column).annotate(**_decision_counts())
    }


def _rows(counts: dict[str, tuple[int, int, int]], choices) -> list[Row]:
    counts = dict(counts)
    rows = [_row(label, *counts.pop(value, (0, 0, 0))) for value, label in choices]
    if counts:  # applications that have not said (or hold a value no longer offered)
        rows.append(_row(NOT_GIVEN, *(sum(c[i] for c in counts.values()) for i in range(3))))
    return rows


def round_report(round_: Round) -> RoundReport:
    """The totals and the four breakdowns of the round's received applications, each row
    split into accepted, not yet and undecided. Four queries."""
    totals = round_totals(round_)
    by_region = _grouped(round_, "region")
    regions = [(value, label) for value, label in Region.choices if value in round_.regions]
    by_nation: dict[str, list[int]] = {}
    for region, counts in by_region.items():
        nation = REGION_NATION.get(region, Nation.ENGLAND) if region else ""
        into = by_nation.setdefault(nation, [0, 0, 0])
        for i, n in enumerate(counts):
            into[i] += n
    round_nations = {REGION_NATION.get(r, Nation.ENGLAND) for r in round_.regions}
    nations = [(value, label) for value, label in Nation.choices if value in round_nations]
    roles = _received(round_).aggregate(
        **{
            key: count
            for value in RoleType.values
            for key, count in _decision_counts(Q(role_types__contains=[value]), f"_{value}").items()
        }
    )
    by_org = _grouped(round_, "organisation_type")
    received = totals.received
    return RoundReport(
        totals=totals,
        breakdowns=[
            Breakdown(
                "region", "Applications by region", "Region",
                _rows(by_region, regions), received, NOUN, DECISION_SERIES,
            ),
            Breakdown(
                "nation", "Applications by nation", "Nation",
                _rows({k: tuple(v) for k, v in by_nation.items()}, nations), received, NOUN,
                DECISION_SERIES,
            ),
            Breakdown(
                "role-type", "Applications by role type", "Role type",
                [
                    _row(label, *(roles[f"{name}_{value}"] for name in DECISION_FILTERS))
                    for value, label in RoleType.choices
                ],
                received, NOUN, DECISION_SERIES,
                note="An applicant can choose more than one role type, so an application can "
                "be counted in more than one row and the rows can add up to more than the "
                "number of applications.",
            ),
            Breakdown(
                "organisation-type", "Applications by organisation type", "Organisation type",
                _rows(by_org, OrganisationType.choices), received, NOUN, DECISION_SERIES,
            ),
        ],
    )  # fmt: skip


# The decisions CSV --------------------------------------------------------------------------

RECOMMENDATION_LABELS = dict(Recommendation.choices)


def round_criteria(round_: Round) -> list[Criterion]:
    return list(Criterion.objects.filter(scheme_id=round_.scheme_id).order_by("position"))


def _round_reviews(round_: Round) -> QuerySet[Review]:
    """Submitted reviews of the round's applications on the round's panels."""
    return Review.objects.filter(
        assignment__subject_type=ContentType.objects.get_for_model(Application),
        assignment__panel__owner_type=ContentType.objects.get_for_model(Round),
        assignment__panel__owner_id=round_.pk,
    )


def _mean(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def decisions_csv_header(criteria: list[Criterion]) -> list[str]:
    return [
        "Reference",
        "Region",
        "Nation",
        "Organisation type",
        "Role types",
        "Status",
        "Submitted",
        "Decided",
        "Released to the applicant",
        *(f"Mean score: {c.position}. {c.title}" for c in criteria),
        "Mean score: all criteria",
        "Reviews submitted",
        *(f"Recommendation: {label}" for label in RECOMMENDATION_LABELS.values()),
    ]


def round_decision_applications(round_: Round) -> QuerySet[Application]:
    """The round's applications that were ever submitted (withdrawn ones too), by reference."""
    return Application.objects.filter(round_id=round_.pk, submitted_at__isnull=False).order_by(
        "reference", "id"
    )


def round_decision_rows(round_: Round, criteria: list[Criterion]) -> Iterator[list[str]]:
    """The decisions CSV: the header, then one row per submitted application with its mean
    score on each criterion and overall (the mean of every criterion score it was given) and
    how many reviewers made each recommendation. Nothing that names the applicant: staff find
    the person from the reference. Cells are made safe to open in a spreadsheet. Four queries
    besides the criteria, whatever the number of applications."""
    reviews = _round_reviews(round_)
    scores = CriterionScore.objects.filter(review__in=reviews).order_by()
    subject = "review__assignment__subject_id"
    by_criterion = {
        (row[subject], row["criterion_id"]): row["mean"]
        for row in scores.values(subject, "criterion_id").annotate(mean=Avg("value"))
    }
    overall = {
        row[subject]: row["mean"] for row in scores.values(subject).annotate(mean=Avg("value"))
    }
    recommendations: dict[int, dict[str, int]] = {}
    for row in (
        reviews.order_by()
        .values("assignment__subject_id", "recommendation")
        .annotate(n=Count("id"))
    ):
        recommendations.setdefault(row["assignment__subject_id"], {})[row["recommendation"]] = row[
            "n"
        ]
    role_labels = dict(RoleType.choices)
    nation_labels = dict(Nation.choices)
    yield decisions_csv_header(criteria)
    for a in round_decision_applications(round_).iterator(chunk_size=500):
        counts = recommendations.get(a.pk, {})
        nation = REGION_NATION.get(a.region, Nation.ENGLAND) if a.region else ""
        row = [
            a.reference,
            a.get_region_display(),
            nation_labels.get(nation, ""),
            a.get_organisation_type_display(),
            "; ".join(str(role_labels.get(r, r)) for r in a.role_types),
            a.get_status_display(),
            uk_datetime(a.submitted_at) if a.submitted_at else "",
            uk_datetime(a.decided_at) if a.decided_at else "",
            uk_datetime(a.released_at) if a.released_at else "",
            *(_mean(by_criterion.get((a.pk, c.pk))) for c in criteria),
            _mean(overall.get(a.pk)),
            str(sum(counts.values())),
            *(str(counts.get(value, 0)) for value in RECOMMENDATION_LABELS),
        ]
        yield [safe_cell(cell) for cell in row]


# The audit trail ---------------------------------------------------------------------------

AUDIT_KINDS = {
    "round": "The round, its criteria and downloads",
    "application": "Applications",
    "panel": "Panels and their members",
    "assignment": "Review assignments",
    "review": "Reviews and scores",
}
STATUS_CHANGES = "status"
AUDIT_KIND_CHOICES = [*AUDIT_KINDS.items(), (STATUS_CHANGES, "Status changes only")]


def _audit_targets(round_: Round) -> dict[str, list[tuple[type, object]]]:
    """What the round's audit trail is about, by kind: (model, ids) pairs, the ids a subquery
    where they are many."""
    application_type = ContentType.objects.get_for_model(Application)
    panels = Panel.objects.filter(
        owner_type=ContentType.objects.get_for_model(Round), owner_id=round_.pk
    )
    assignments = Assignment.objects.filter(
        panel__in=panels.values("pk"), subject_type=application_type
    )
    return {
        "round": [(Round, [round_.pk]), (Scheme, [round_.scheme_id])],
        "application": [(Application, Application.objects.filter(round_id=round_.pk))],
        "panel": [(Panel, panels)],
        "assignment": [(Assignment, assignments)],
        "review": [(Review, Review.objects.filter(assignment__in=assignments.values("pk")))],
    }


def round_audit_names(
    round_: Round, entries: list[AuditEntry]
) -> tuple[dict[int, str], dict[int, str]]:
    """What the ids in `entries`' details stand for: the round's applications (by "subject")
    as their references, and people (by "reviewer" or "user") as their email addresses ("Former
    member" once the account is deleted). Two
    queries, whatever the number of entries."""
    subjects, people = set(), set()
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        if isinstance(data.get("subject"), int):
            subjects.add(data["subject"])
        people.update(data[k] for k in ("reviewer", "user") if isinstance(data.get(k), int))
    applications = {
        pk: reference or f"Draft application {pk}"
        for pk, reference in Application.objects.filter(
            round_id=round_.pk, pk__in=subjects
        ).values_list("pk", "reference")
    }
    emails = {
        pk: FORMER_MEMBER if deleted_at else email
        for pk, email, deleted_at in get_user_model()
        .objects.filter(pk__in=people)
        .values_list("pk", "email", "deleted_at")
    }
    return applications, emails


def round_audit_entries(round_: Round, *, kind: str = "") -> QuerySet[AuditEntry]:
    """Every audit entry about the round, its criteria and scale, its applications, its
    panels, their assignments and reviews (with the scores), newest first. `kind` narrows it
    to one of `AUDIT_KINDS`, or to status changes (entries with a from and to status)."""
    targets = _audit_targets(round_)
    if kind in AUDIT_KINDS:
        return audit_entries_for_targets(targets[kind])
    entries = audit_entries_for_targets([pair for pairs in targets.values() for pair in pairs])
    if kind == STATUS_CHANGES:
        entries = entries.filter(data__has_keys=["from", "to"])
    return entries
