"""Reads for joining Q: rounds and applications, then releasing decisions, then the staff
report on a round. Each selector owns its query shape and its permission scoping: applicants
reach only their own applications, panel members only their panel's region."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from qcommunity.audit.describe import FORMER_MEMBER
from qcommunity.audit.models import AuditEntry
from qcommunity.audit.selectors import audit_entries_for_targets
from qcommunity.core.formatting import uk_date, uk_datetime
from qcommunity.core.taxonomy import REGION_NATION, Nation, OrganisationType, Region, RoleType
from qcommunity.notifications.models import NotificationPreference
from qcommunity.scoring.enums import Recommendation
from qcommunity.scoring.models import (
    Assignment,
    Criterion,
    CriterionScore,
    Panel,
    Review,
    Scheme,
)

from ..directory.enums import Visibility
from ..directory.insights import NOT_GIVEN, Breakdown, Row, Series
from ..directory.models import Profile
from .enums import DECIDED_STATUSES, UNDECIDED_STATUSES, ApplicationStatus, RoundStatus
from .models import REGION_LABELS, Application, ApplicationAnswer, Round


def rounds_accepting(
    *, region: str | None = None, now: dt.datetime | None = None
) -> QuerySet[Round]:
    """Rounds taking applications now (open, between their dates), optionally for one region."""
    now = now or timezone.now()
    queryset = Round.objects.filter(status=RoundStatus.OPEN, opens_at__lte=now, closes_at__gt=now)
    if region:
        queryset = queryset.filter(regions__contains=[region])
    return queryset.order_by("closes_at", "id")


def round_list_for_staff(user=None) -> QuerySet[Round]:
    """Every round with its application counts, for the staff list (one query); for someone
    who is not a staff administrator, only the rounds they manage."""
    rounds = Round.objects.all()
    if user is not None and not user.has_perm("members.create_rounds"):
        rounds = rounds.filter(managers__user=user)
    return rounds.annotate(
        application_count=Count("applications", filter=~Q(applications__status="draft")),
        draft_count=Count("applications", filter=Q(applications__status="draft")),
    ).order_by("-opens_at", "-id")


def round_get_for_staff(pk: int) -> Round:
    return (
        Round.objects.select_related("scheme")
        .prefetch_related(
            Prefetch("scheme__criteria", queryset=Criterion.objects.order_by("position")),
            "scheme__scale_points",
            "eligible_courses",
        )
        .get(pk=pk)
    )


def applications_for_applicant(user) -> QuerySet[Application]:
    """The signed-in person's own applications, newest first."""
    return (
        Application.objects.filter(applicant_id=user.pk)
        .select_related("round")
        .order_by("-created_at", "-id")
    )


def application_get_for_applicant(*, user, pk: int) -> Application:
    """One of the person's own applications with its answers (DoesNotExist otherwise, which
    the view turns into 404)."""
    return (
        applications_for_applicant(user)
        .select_related("round__scheme", "course", "nomination_code")
        .prefetch_related(
            Prefetch("answers", queryset=ApplicationAnswer.objects.select_related("criterion")),
            Prefetch("round__scheme__criteria", queryset=Criterion.objects.order_by("position")),
        )
        .get(pk=pk)
    )


def application_status_for_applicant(application: Application) -> str:
    """What the applicant is told: a recorded decision stays "being reviewed" until it is
    released on the round's release date."""
    if application.status in DECIDED_STATUSES and (application.released_at is None):
        return ApplicationStatus.IN_REVIEW
    return application.status


def attach_applications(assignments) -> list[Assignment]:
    """Load the applications of `assignments` in one query and set `.application` on each."""
    assignments = list(assignments)
    applications = Application.objects.filter(
        pk__in={a.subject_id for a in assignments}
    ).select_related("round")
    by_id = {a.pk: a for a in applications}
    for assignment in assignments:
        assignment.application = by_id.get(assignment.subject_id)
    return assignments


def panel_applications(panel: Panel) -> QuerySet[Application]:
    """The applications a round's regional panel decides on."""
    return Application.objects.filter(
        round_id=panel.owner_id,
        region=panel.region,
        status__in=[
            ApplicationStatus.IN_REVIEW,
            ApplicationStatus.ACCEPTED,
            ApplicationStatus.NOT_YET,
        ],
    ).order_by("submitted_at", "id")


def rounds_opening_soon(*, now: dt.datetime | None = None) -> QuerySet[Round]:
    """Rounds published (so their dates and criteria are fixed) that have not opened yet,
    soonest first: the join page says when they open and to whom."""
    now = now or timezone.now()
    return Round.objects.filter(status=RoundStatus.OPEN, opens_at__gt=now).order_by(
        "opens_at", "id"
    )


def round_get_published(pk: int) -> Round:
    """A round applicants may see (published: not a draft), DoesNotExist otherwise."""
    return Round.objects.exclude(status=RoundStatus.DRAFT).get(pk=pk)


# Releasing decisions -----------------------------------------------------------------------------
#
# Reads for releasing decisions: which rounds are due, how far a round's decisions have got,
# when a "not yet" applicant may apply again, and a new member's first steps on the home page.
#
# Nothing here reads scores, reviews or reviewer names: what the applicant sees is the decision,
# the chair's feedback and dates.


# How long after acceptance a member's home page shows their first steps.
FIRST_STEPS_DAYS = 90


def rounds_release_due(now: dt.datetime | None = None) -> QuerySet[Round]:
    """Rounds whose decisions are all recorded and whose release date has come, oldest first."""
    now = now or timezone.now()
    return Round.objects.filter(status=RoundStatus.DECIDED, decisions_release_at__lte=now).order_by(
        "decisions_release_at", "id"
    )


@dataclass(frozen=True)
class DecisionCounts:
    undecided: int
    accepted: int
    not_yet: int
    released: int
    # When the decisions went out (the latest release of any of them), None before.
    released_at: dt.datetime | None = None

    @property
    def decided(self) -> int:
        return self.accepted + self.not_yet


def round_decision_counts(round_: Round) -> DecisionCounts:
    """How many of the round's applications wait for a decision and how many have one (one
    query). Drafts and withdrawn applications are not counted."""
    counts = Application.objects.filter(round_id=round_.pk).aggregate(
        undecided=Count("pk", filter=Q(status__in=UNDECIDED_STATUSES)),
        accepted=Count("pk", filter=Q(status=ApplicationStatus.ACCEPTED)),
        not_yet=Count("pk", filter=Q(status=ApplicationStatus.NOT_YET)),
        released=Count("pk", filter=Q(released_at__isnull=False)),
        released_at=Max("released_at"),
    )
    return DecisionCounts(**counts)


def round_release_actor_label(round_: Round) -> str | None:
    """Who released the round's decisions: the name of the staff member who released them
    early, or None when the scheduled release did (or they are not released). Two queries."""
    entry = (
        AuditEntry.objects.filter(
            action="join_round.release",
            target_type=ContentType.objects.get_for_model(Round),
            target_id=str(round_.pk),
        )
        .order_by("-created_at", "-id")
        .values("actor_id", "actor_label")
        .first()
    )
    if entry is None or entry["actor_id"] is None:
        return None
    person = get_user_model().objects.filter(pk=entry["actor_id"]).first()
    return (person.get_full_name() if person else "") or entry["actor_label"]


@dataclass(frozen=True)
class NextRound:
    """The next chance to apply for a region: a round open now, or one published to open."""

    round: Round
    open_now: bool
    region: str

    @property
    def region_label(self) -> str:
        return REGION_LABELS.get(self.region, self.region)


def next_round_for_region(
    region: str, *, now: dt.datetime | None = None, exclude_round_id: int | None = None
) -> NextRound | None:
    """The round that takes applications from `region` soonest: one accepting now (the one
    closing first), otherwise one published to open later (the one opening first). None when
    no round for the region is open or announced. One query."""
    now = now or timezone.now()
    queryset = Round.objects.filter(
        status=RoundStatus.OPEN, closes_at__gt=now, regions__contains=[region]
    )
    if exclude_round_id is not None:
        queryset = queryset.exclude(pk=exclude_round_id)
    rounds = list(queryset.order_by("opens_at", "id")[:20])
    accepting = sorted((r for r in rounds if r.opens_at <= now), key=lambda r: r.closes_at)
    if accepting:
        return NextRound(round=accepting[0], open_now=True, region=region)
    if rounds:
        return NextRound(round=rounds[0], open_now=False, region=region)
    return None


def apply_again_text(next_round: NextRound | None, region_label: str) -> str:
    """When a "not yet" applicant can apply again, in one honest sentence: a round open to
    their region now, one announced for later, or neither yet."""
    if next_round is None:
        where = f" for {region_label}" if region_label else ""
        return (
            f"You can apply again when the next round{where} opens. We will announce it in "
            "the Q newsletter."
        )
    round_ = next_round.round
    if next_round.open_now:
        return (
            f"{round_.name} is open to applicants in {next_round.region_label} now, until "
            f"{uk_datetime(round_.closes_at)}. You can apply again in it."
        )
    return (
        f"The next round for {next_round.region_label}, {round_.name}, opens on "
        f"{uk_date(round_.opens_at)}. You can apply again then."
    )


@dataclass(frozen=True)
class FirstStep:
    key: str
    title: str
    hint: str
    url_name: str
    done: bool


@dataclass(frozen=True)
class FirstSteps:
    accepted_on: dt.datetime
    steps: list[FirstStep]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)


def member_first_steps(user, now: dt.datetime | None = None) -> FirstSteps | None:
    """For a member whose acceptance was released in the last FIRST_STEPS_DAYS days, the steps
    to settle in and whether each is done; None for everyone else. One query: the latest
    released acceptance, with the directory entry's state and whether any notification choice
    has been saved."""
    if not user.is_authenticated:
        return None
    now = now or timezone.now()
    profile = Profile.objects.filter(user_id=OuterRef("applicant_id"))
    row = (
        Application.objects.filter(
            applicant_id=user.pk,
            status=ApplicationStatus.ACCEPTED,
            released_at__gt=now - dt.timedelta(days=FIRST_STEPS_DAYS),
            released_at__lte=now,
        )
        .annotate(
            profile_visibility=Subquery(profile.values("visibility")[:1]),
            profile_photo=Subquery(profile.values("photo")[:1]),
            profile_working_on=Subquery(profile.values("working_on")[:1]),
            has_preferences=Exists(
                NotificationPreference.objects.filter(user_id=OuterRef("applicant_id"))
            ),
        )
        .order_by("-released_at")
        .values(
            "released_at",
            "profile_visibility",
            "profile_photo",
            "profile_working_on",
            "has_preferences",
        )
        .first()
    )
    if row is None:
        return None
    published = row["profile_visibility"] not in (None, Visibility.HIDDEN)
    return FirstSteps(
        accepted_on=row["released_at"],
        steps=[
            FirstStep(
                "publish",
                "Publish your directory entry",
                "Your entry is hidden until you choose who can see it: Q members, or everyone.",
                "members:profile-edit",
                published,
            ),
            FirstStep(
                "photo",
                "Add a photo or say what you are working on",
                "Either helps other members recognise you and know what to ask you about.",
                "members:profile-edit",
                bool(row["profile_photo"] or row["profile_working_on"]),
            ),
            FirstStep(
                "notifications",
                "Choose your notification settings",
                "Decide which updates you get by email straight away, in a daily summary, or "
                "not at all.",
                "notifications:preferences",
                bool(row["has_preferences"]),
            ),
        ],
    )


# The staff report --------------------------------------------------------------------------------
#
# Reads for the staff report on a round of selection: totals, the acceptance rate, the mix of
# applications by region, nation, role type and organisation type (each split by decision), the
# rows of the decisions CSV, and the round's audit trail.
#
# Everything is counted in SQL (conditional aggregates and GROUP BY), so each read runs a fixed
# number of queries whatever the number of applications. Decisions not yet released are
# counted: these pages are for staff only.


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


# The applications CSV ---------------------------------------------------------------------------
#
# One row per application sent in, with only what the privacy notice ("Selecting members and
# running Q Exchange") tells applicants staff may download to run selection. Each column and why
# it is allowed:
#
# - Reference: how staff find the application on the site without the file naming anyone.
# - Region, Nation: the regional panel that selected it, and the nation the region is in.
# - Organisation type, Role types: the balance of the community selection looks at (the round's
#   report counts the same).
# - Status, Decision, Released to the applicant: where selection stands, the decision (accepted
#   or not yet) and whether it has been told to the applicant.
# - Sent in, Decided, Released, Withdrawn: the dates of those steps.
# - Mean score per criterion and overall, Reviews submitted, Recommendation counts: the panel's
#   assessment, averaged and counted across its reviewers so no reviewer is named or singled
#   out.
#
# Never in it: the applicant's name, email address, job title or organisation, their answers,
# the chair's rationale, the feedback written for them, any reviewer's name or comments, or
# who recorded the decision.

RECOMMENDATION_LABELS = dict(Recommendation.choices)
APPLICATION_EXPORT_COLUMNS = [
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
]


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


def round_export_header(criteria: list[Criterion]) -> list[str]:
    return [
        *APPLICATION_EXPORT_COLUMNS,
        *(f"Mean score: {c.position}. {c.title}" for c in criteria),
        "Mean score: all criteria",
        "Reviews submitted",
        *(f"Recommendation: {label}" for label in RECOMMENDATION_LABELS.values()),
    ]


def round_export_applications(round_: Round) -> QuerySet[Application]:
    """The round's applications that were ever sent in (withdrawn ones too), by reference:
    what `RoundApplicationExportFilter` narrows."""
    return Application.objects.filter(round_id=round_.pk, submitted_at__isnull=False).order_by(
        "reference", "id"
    )


def _when(value: dt.datetime | None) -> str:
    return uk_datetime(value) if value else ""


def round_export_rows(
    round_: Round, criteria: list[Criterion], applications: QuerySet[Application]
) -> Iterator[list[str]]:
    """One row per application of `applications` (from `round_export_applications`, maybe
    filtered) under `round_export_header(criteria)`: the columns above, its mean score on each
    criterion and overall (the mean of every criterion score it was given) and how many
    reviewers made each recommendation. Four queries besides the criteria, whatever the
    number of applications."""
    reviews = _round_reviews(round_).filter(
        assignment__subject_id__in=applications.order_by().values("pk")
    )
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
    fields = (
        "pk", "reference", "region", "organisation_type", "role_types", "status",
        "submitted_at", "decided_at", "released_at", "withdrawn_at",
    )  # fmt: skip
    for a in applications.only(*fields).iterator(chunk_size=500):
        counts = recommendations.get(a.pk, {})
        nation = REGION_NATION.get(a.region, Nation.ENGLAND) if a.region else ""
        decided = a.status in DECIDED_STATUSES
        yield [
            a.reference,
            a.get_region_display(),
            nation_labels.get(nation, ""),
            a.get_organisation_type_display(),
            "; ".join(str(role_labels.get(r, r)) for r in a.role_types),
            a.get_status_display(),
            a.get_status_display() if decided else "",
            "Yes" if decided and a.released_at else "No",
            _when(a.submitted_at),
            _when(a.decided_at) if decided else "",
            _when(a.released_at) if decided else "",
            _when(a.withdrawn_at),
            *(_mean(by_criterion.get((a.pk, c.pk))) for c in criteria),
            _mean(overall.get(a.pk)),
            str(sum(counts.values())),
            *(str(counts.get(value, 0)) for value in RECOMMENDATION_LABELS),
        ]


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


def draft_applications_open(user, now: dt.datetime) -> list[Application]:
    """`user`'s draft applications in rounds still taking applications, soonest closing first."""
    return list(
        Application.objects.filter(
            applicant_id=user.pk,
            status=ApplicationStatus.DRAFT,
            round__status=RoundStatus.OPEN,
            round__opens_at__lte=now,
            round__closes_at__gt=now,
        )
        .select_related("round")
        .order_by("round__closes_at", "pk")
    )


def rounds_with_unreleased_decisions() -> list[dict]:
    """Rounds whose panels are reviewing or whose decisions are recorded, with how many of
    their applications still wait for a decision (`to_record`) and how many decisions wait for
    release (`recorded`), in release order: `{"round": Round, "to_record": n, "recorded": n}`.
    One query."""
    rounds = (
        Round.objects.filter(status__in=[RoundStatus.REVIEWING, RoundStatus.DECIDED])
        .annotate(
            to_record=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.IN_REVIEW)
            ),
            recorded=Count(
                "applications",
                filter=Q(
                    applications__status__in=DECIDED_STATUSES,
                    applications__released_at__isnull=True,
                ),
            ),
        )
        .order_by("decisions_release_at", "id")
    )
    return [
        {"round": round_, "to_record": round_.to_record, "recorded": round_.recorded}
        for round_ in rounds
        if round_.to_record or round_.recorded
    ]
