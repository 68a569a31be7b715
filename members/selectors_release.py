"""Reads for releasing decisions: which rounds are due, how far a round's decisions have got,
when a "not yet" applicant may apply again, and a new member's first steps on the home page.

Nothing here reads scores, reviews or reviewer names: what the applicant sees is the decision,
the chair's feedback and dates."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from qcommunity.audit.models import AuditEntry
from qcommunity.core.formatting import uk_date, uk_datetime
from qcommunity.notifications.models import NotificationPreference

from .enums import Visibility
from .enums_joining import UNDECIDED_STATUSES, ApplicationStatus, RoundStatus
from .models import Profile
from .models_joining import REGION_LABELS, Application, Round

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
                "me:profile-edit",
                published,
            ),
            FirstStep(
                "photo",
                "Add a photo or say what you are working on",
                "Either helps other members recognise you and know what to ask you about.",
                "me:profile-edit",
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
