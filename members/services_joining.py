"""Writes for joining Q: rounds, applications, and the membership wrapping of the scoring kit.

Every service takes the acting user (None: the system, e.g. a scheduled task), runs in one
transaction and writes an audit row. Round statuses change only in `round_transition` and
application statuses only in `application_transition`; both check the tables in
`enums_joining` and the permission rule each move names. Emails are outbox rows written in the
same transaction and sent after it commits."""

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import ServiceError, require_perm
from qcommunity.core.formatting import uk_date, uk_datetime
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from qcommunity.core.words import word_count
from qcommunity.core.workflow import Move, Transition, Workflow
from qcommunity.notifications.services import notify
from qcommunity.outbox.services import email_queue_template
from qcommunity.scoring import services as scoring
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.models import Assignment, Panel, PanelMember, Scheme
from qcommunity.scoring.services import CriterionSpec, Distribution, ScalePointSpec

from . import rules  # noqa: F401 (registers the permissions the services check)
from .enums_joining import (
    APPLICATION_TRANSITIONS,
    DECIDED_STATUSES,
    ROUND_TRANSITIONS,
    UNDECIDED_STATUSES,
    ApplicationStatus,
    Commitment,
    Phase,
    RoundStatus,
)
from .models_joining import Application, ApplicationAnswer, EligibleCourse, NominationCode, Round
from .notifications import PANEL_ASSIGNMENT


class JoiningError(ServiceError):
    """A joining service refused (see `ServiceError`); answers are named
    "answer_<criterion id>"."""


def _require_perm(actor, perm: str, obj=None) -> None:
    require_perm(actor, perm, obj, error=JoiningError)


# Rounds ----------------------------------------------------------------------------------------

ROUND_DATE_FIELDS = ("opens_at", "closes_at", "review_deadline", "decisions_release_at")


def _check_round_fields(*, phase, regions, dates: Mapping[str, dt.datetime], reviews_needed):
    errors = {}
    if phase not in Phase.values:
        errors["phase"] = "Choose the phase"
    if not regions:
        errors["regions"] = "Choose at least one region"
    elif set(regions) - set(Region.values):
        errors["regions"] = "Choose regions from the list"
    if reviews_needed is None or reviews_needed < 1:
        errors["reviews_needed"] = "Each application needs at least 1 review"
    if dates["opens_at"] >= dates["closes_at"]:
        errors["closes_at"] = "The closing date must be after the opening date"
    elif dates["closes_at"] > dates["review_deadline"]:
        errors["review_deadline"] = "The review deadline must be on or after the closing date"
    elif dates["review_deadline"] > dates["decisions_release_at"]:
        errors["decisions_release_at"] = (
            "Decisions must be released on or after the review deadline"
        )
    if errors:
        raise JoiningError(" ".join(errors.values()), errors)


def _sync_courses(round_: Round, courses: Sequence[tuple[str, str]], *, only_add: bool) -> None:
    wanted = {(name.strip(), provider.strip()) for name, provider in courses if name.strip()}
    existing = {(c.name, c.provider): c for c in round_.eligible_courses.all()}
    removed = [c for key, c in existing.items() if key not in wanted]
    if removed and only_add:
        raise JoiningError(
            "Courses cannot be taken off the list once the round has opened: people may "
            "already have chosen them.",
            {"courses": "Keep the courses already listed; you can add more"},
        )
    for course in removed:
        course.delete()
    EligibleCourse.objects.bulk_create(
        EligibleCourse(round=round_, name=name, provider=provider)
        for name, provider in sorted(wanted - set(existing))
    )


@transaction.atomic
def round_create(
    *,
    actor,
    name: str,
    phase: str,
    regions: Sequence[str],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    review_deadline: dt.datetime,
    decisions_release_at: dt.datetime,
    criteria: Sequence[CriterionSpec],
    scale: Sequence[ScalePointSpec],
    reviews_needed: int = 2,
    courses: Sequence[tuple[str, str]] = (),
) -> Round:
    """A draft round with its own scoring scheme (criteria and scale) and, for an alumni round,
    its eligible courses as (name, provider) pairs. Staff only."""
    _require_perm(actor, "members.manage_rounds")
    dates = dict(
        zip(
            ROUND_DATE_FIELDS,
            (opens_at, closes_at, review_deadline, decisions_release_at),
            strict=True,
        )
    )
    _check_round_fields(phase=phase, regions=regions, dates=dates, reviews_needed=reviews_needed)
    try:
        scheme = scoring.scheme_create(
            actor=actor, name=f"Criteria for {name}", criteria=criteria, scale=scale
        )
    except scoring.ScoringError as error:
        raise JoiningError(str(error), error.errors) from error
    round_ = Round(
        name=name,
        phase=phase,
        regions=sorted(set(regions)),
        scheme=scheme,
        reviews_needed=reviews_needed,
        created_by=actor,
        **dates,
    )
    round_.full_clean(exclude=["scheme"], validate_constraints=False)
    round_.save()
    _sync_courses(round_, courses, only_add=False)
    audit_record(
        actor=actor,
        action="join_round.create",
        target=round_,
        data={
            "phase": phase,
            "regions": round_.regions,
            **{k: v.isoformat() for k, v in dates.items()},
        },
    )
    return round_


def _same_content(scheme: Scheme, criteria, scale) -> bool:
    current_criteria = [
        CriterionSpec(c.title, c.description, c.guidance, c.examples, c.word_limit)
        for c in scheme.criteria.all()
    ]
    current_scale = [
        ScalePointSpec(p.value, p.label, p.descriptor) for p in scheme.scale_points.all()
    ]
    return current_criteria == list(criteria) and current_scale == list(scale)


@transaction.atomic
def round_update(
    *,
    actor,
    round_: Round,
    name: str,
    phase: str,
    regions: Sequence[str],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    review_deadline: dt.datetime,
    decisions_release_at: dt.datetime,
    reviews_needed: int,
    criteria: Sequence[CriterionSpec] | None = None,
    scale: Sequence[ScalePointSpec] | None = None,
    courses: Sequence[tuple[str, str]] | None = None,
) -> Round:
    """Change a round. Rules, so that nothing unfair happens once applicants can see it:
    - dates can always move (in order); each change is audited with the old and new values;
    - criteria and scale change only while the round is a draft (the scheme locks when the
      round opens); passing the same content again is not a change;
    - once open: the phase cannot change, regions can be added but not removed, courses can be
      added but not removed; reviews needed can change until panels start reviewing.
    `criteria`, `scale` and `courses` None leave them as they are."""
    _require_perm(actor, "members.manage_rounds")
    round_ = Round.objects.select_for_update().select_related("scheme").get(pk=round_.pk)
    dates = dict(
        zip(
            ROUND_DATE_FIELDS,
            (opens_at, closes_at, review_deadline, decisions_release_at),
            strict=True,
        )
    )
    _check_round_fields(phase=phase, regions=regions, dates=dates, reviews_needed=reviews_needed)
    published = round_.status != RoundStatus.DRAFT
    errors = {}
    if published and phase != round_.phase:
        errors["phase"] = "The phase cannot change after the round has opened"
    if published and set(round_.regions) - set(regions):
        errors["regions"] = "Regions cannot be taken off a round after it has opened"
    if round_.status in {RoundStatus.REVIEWING, RoundStatus.DECIDED, RoundStatus.RELEASED} and (
        reviews_needed != round_.reviews_needed
    ):
        errors["reviews_needed"] = "The number of reviews cannot change once panels have started"
    if errors:
        raise JoiningError(" ".join(errors.values()), errors)
    if criteria is not None or scale is not None:
        criteria = list(criteria) if criteria is not None else None
        scheme = round_.scheme
        if criteria is None:
            criteria = [
                CriterionSpec(c.title, c.description, c.guidance, c.examples, c.word_limit)
                for c in scheme.criteria.all()
            ]
        if scale is None:
            scale = [
                ScalePointSpec(p.value, p.label, p.descriptor) for p in scheme.scale_points.all()
            ]
        if not _same_content(scheme, criteria, scale):
            try:
                scoring.scheme_set_content(
                    actor=actor, scheme=scheme, criteria=criteria, scale=scale
                )
            except scoring.ScoringError as error:
                raise JoiningError(str(error), error.errors or {"criteria": str(error)}) from error
    if courses is not None:
        _sync_courses(round_, courses, only_add=published)
    changes = {}
    for name_, value in {
        "name": name,
        "phase": phase,
        "regions": sorted(set(regions)),
        "reviews_needed": reviews_needed,
        **dates,
    }.items():
        old = getattr(round_, name_)
        if old != value:
            changes[name_] = {"from": _jsonable(old), "to": _jsonable(value)}
            setattr(round_, name_, value)
    if changes:
        round_.updated_at = timezone.now()
        round_.full_clean(exclude=["scheme"], validate_constraints=False)
        round_.save(update_fields=[*changes, "updated_at"])
        if "reviews_needed" in changes:
            Panel.objects.filter(
                owner_type=ContentType.objects.get_for_model(Round), owner_id=round_.pk
            ).update(reviews_needed=round_.reviews_needed)
    audit_record(actor=actor, action="join_round.update", target=round_, data=changes)
    return round_


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _round_lock(round_: Round) -> Round:
    return Round.objects.select_for_update().get(pk=round_.pk)


# Every status change of a round: the table is `enums_joining.ROUND_TRANSITIONS`.
ROUNDS = Workflow(
    model=Round,
    field="status",
    transitions=ROUND_TRANSITIONS,
    audit="join_round",
    error=JoiningError,
    noun="round",
    lock=_round_lock,
)


@ROUNDS.effect("open")
def _round_open(move: Move) -> None:
    """Opening locks the scheme's criteria and scale."""
    scoring.scheme_lock(actor=move.actor, scheme=move.obj.scheme)


@ROUNDS.effect("close")
def _round_close(move: Move) -> None:
    """The system closes a round only from its closing date. Staff may close early: that moves
    `closes_at` to now (audited with the old and new dates), so every page shows when the round
    really closed; a round that never reached its opening date closes the moment it could
    have opened."""
    round_ = move.obj
    if move.now >= round_.closes_at:
        return
    if move.actor is None:
        raise JoiningError("The round closes on its closing date.")
    closed_at = min(round_.closes_at, max(move.now, round_.opens_at + dt.timedelta(minutes=1)))
    move.data["closes_at"] = {"from": round_.closes_at.isoformat(), "to": closed_at.isoformat()}
    move.set(closes_at=closed_at)


@ROUNDS.effect("mark_decided")
def _round_mark_decided(move: Move) -> None:
    """Refused while any application is still submitted or in review."""
    undecided = move.obj.applications.filter(status__in=UNDECIDED_STATUSES).count()
    if undecided:
        raise JoiningError(
            ngettext(
                "%(num)d application is still waiting for a decision.",
                "%(num)d applications are still waiting for a decision.",
                undecided,
            )
            % {"num": undecided}
            + " Ask the panel chairs to record a decision for every application first."
        )


@ROUNDS.effect("release")
def _round_release(move: Move) -> None:
    """Taken only through `services_release` (by the scheduled task, or by staff releasing
    now, which moves the release date to now first), never before `decisions_release_at`."""
    if move.now < move.obj.decisions_release_at:
        raise JoiningError("Decisions cannot be released before the release date.")


def round_transition(*, actor, round_: Round, action: str, now: dt.datetime | None = None) -> Round:
    """Move a round by `action` through `ROUNDS` (the rules are its effects above; staff moves
    need `members.manage_rounds`; the system closes, starts review and releases)."""
    return ROUNDS.move(actor=actor, obj=round_, action=action, now=now)


def round_open(*, actor, round_: Round) -> Round:
    """Publish the round and lock its criteria and scale. It accepts applications between its
    opening and closing dates."""
    return round_transition(actor=actor, round_=round_, action="open")


def round_close(*, actor, round_: Round) -> Round:
    """Stop accepting applications (staff early, or the scheduled task at `closes_at`)."""
    return round_transition(actor=actor, round_=round_, action="close")


# Panels of a round -----------------------------------------------------------------------------


def _round_type() -> ContentType:
    return ContentType.objects.get_for_model(Round)


@transaction.atomic
def round_panel_create(*, actor, round_: Round, region: str, name: str = "") -> Panel:
    """The panel that reviews the round's applications from `region`."""
    if region not in round_.regions:
        raise JoiningError(
            "This round is not open to that region.", {"region": "Choose a region of this round"}
        )
    label = dict(Region.choices)[region]
    try:
        return scoring.panel_create(
            actor=actor,
            scheme=round_.scheme,
            owner=round_,
            name=name or f"{label} panel",
            region=region,
            reviews_needed=round_.reviews_needed,
        )
    except scoring.ScoringError as error:
        raise JoiningError(str(error), error.errors) from error


def round_panels(round_: Round):
    return Panel.objects.filter(owner_type=_round_type(), owner_id=round_.pk)


@transaction.atomic
def round_panel_member_add(
    *, actor, panel: Panel, user, role: str = PanelRole.REVIEWER, organisation: str | None = None
) -> PanelMember:
    """Put someone on a round's panel. Their organisation (for excluding applications from it)
    defaults to the one on their directory entry."""
    if organisation is None:
        profile = getattr(user, "profile", None)
        organisation = profile.organisation if profile is not None else ""
    return scoring.panel_member_add(
        actor=actor, panel=panel, user=user, role=role, organisation=organisation
    )


def organisation_key(name: str | None) -> str:
    """Organisation names compared case-insensitively, trimmed, inner spaces collapsed."""
    return re.sub(r"\s+", " ", (name or "").strip()).casefold()


def membership_exclusion(
    panel: Panel, application_ids: Collection[int]
) -> Callable[[int, int], bool]:
    """Pairs never assigned: a reviewer and an application from the same organisation (declared
    conflicts are kept out by the kit itself). Two queries, however many pairs are asked."""
    reviewer_orgs = {}
    for member in panel.members.select_related("user__profile"):
        org = member.organisation
        if not org:
            profile = getattr(member.user, "profile", None)
            org = profile.organisation if profile is not None else ""
        reviewer_orgs[member.user_id] = organisation_key(org)
    application_orgs = {
        pk: organisation_key(org)
        for pk, org in Application.objects.filter(pk__in=application_ids).values_list(
            "pk", "organisation"
        )
    }

    def excluded(reviewer_id: int, application_id: int) -> bool:
        mine = reviewer_orgs.get(reviewer_id, "")
        return bool(mine) and mine == application_orgs.get(application_id)

    return excluded


@transaction.atomic
def application_assignments_distribute(
    *, actor, panel: Panel, applications: Sequence[Application] | None = None, rng=None
) -> Distribution:
    """Give the panel's applications (default: the round's applications in review from the
    panel's region) to its reviewers evenly, never to a reviewer from the applicant's
    organisation or one who declared a conflict. Each reviewer who got new applications is
    told once, with how many, as they chose for PANEL_ASSIGNMENT (sent only if this commits)."""
    if applications is None:
        applications = list(
            Application.objects.filter(
                round_id=panel.owner_id, region=panel.region, status=ApplicationStatus.IN_REVIEW
            ).order_by("submitted_at", "id")
        )
    exclusion = membership_exclusion(panel, [a.pk for a in applications])
    result = scoring.assignments_distribute(
        actor=actor, panel=panel, subjects=applications, excluded=exclusion, rng=rng
    )
    url = reverse("panels:panel-detail", kwargs={"pk": panel.pk})
    round_ = None
    for reviewer, count in scoring.reviewers_given(result.created):
        round_ = round_ or Round.objects.get(pk=panel.owner_id)
        notify(
            user=reviewer,
            kind=PANEL_ASSIGNMENT,
            subject=ngettext(
                "%(num)d application to join Q given to you to review",
                "%(num)d applications to join Q given to you to review",
                count,
            )
            % {"num": count},
            template="panels/notifications/review_assignment.txt",
            context={"count": count, "panel": panel, "round": round_},
            related=panel,
            url=url,
        )
    return result


def _notify_review_handed_over(new: Assignment | None) -> None:
    """The reviewer who takes over someone else's review (staff reassigned it, or the reviewer
    declared a conflict) is told, naming the application by its reference only."""
    if new is None:
        return
    notify(
        user=new.reviewer,
        kind=PANEL_ASSIGNMENT,
        subject="An application to join Q given to you to review",
        template="panels/notifications/review_handed_over.txt",
        context={"application": Application.objects.get(pk=new.subject_id), "panel": new.panel},
        related=new,
        url=reverse("panels:assignment-detail", kwargs={"pk": new.pk}),
    )


@transaction.atomic
def application_assignment_declare_conflict(
    *, actor, assignment: Assignment, reason: str
) -> Assignment | None:
    """The reviewer declares a conflict; the application goes to the least-loaded other
    eligible reviewer (never one from the applicant's organisation), who is told."""
    exclusion = membership_exclusion(assignment.panel, [assignment.subject_id])
    try:
        new = scoring.assignment_declare_conflict(
            actor=actor, assignment=assignment, reason=reason, excluded=exclusion
        )
    except scoring.ScoringError as error:
        raise JoiningError(str(error), error.errors) from error
    _notify_review_handed_over(new)
    return new


@transaction.atomic
def application_assignment_reassign(*, actor, assignment: Assignment, to_user) -> Assignment:
    """Staff give an unfinished review to another reviewer of the panel (not one from the
    applicant's organisation, not one who declared a conflict), who is told."""
    exclusion = membership_exclusion(assignment.panel, [assignment.subject_id])
    try:
        new = scoring.assignment_reassign(
            actor=actor, assignment=assignment, to_user=to_user, excluded=exclusion
        )
    except scoring.ScoringError as error:
        raise JoiningError(str(error), error.errors) from error
    _notify_review_handed_over(new)
    return new


@transaction.atomic
def round_start_review(*, actor, round_: Round) -> dict[str, Distribution]:
    """After closing: every submitted application goes to review and to its region's panel.
    Refused when a region with applications has no panel. Returns each region's distribution."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    panels = {p.region: p for p in round_panels(round_)}
    submitted = list(
        Application.objects.filter(round=round_, status=ApplicationStatus.SUBMITTED).order_by(
            "submitted_at", "id"
        )
    )
    missing = sorted({a.region for a in submitted} - set(panels))
    if missing:
        labels = ", ".join(dict(Region.choices)[r] for r in missing)
        raise JoiningError(f"Set up a panel for {labels} first.")
    round_transition(actor=actor, round_=round_, action="start_review")
    for application in submitted:
        application_transition(actor=actor, application=application, action="start_review")
    return {
        region: application_assignments_distribute(
            actor=actor, panel=panel, applications=[a for a in submitted if a.region == region]
        )
        for region, panel in panels.items()
    }


# Applications ----------------------------------------------------------------------------------


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "round__scheme", "applicant", "course", "nomination_code")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_create(*, actor, round_: Round, region: str = "") -> Application:
    """Start a draft application in `round` for the signed-in `actor`. One application per
    person per round (a clear message if they already have one, whatever its status); the round
    must be accepting applications and, when `region` is given, open to it."""
    _require_perm(actor, "members.apply_to_join")
    if Application.objects.filter(round=round_, applicant=actor).exists():
        raise JoiningError(
            "You already have an application in this round. You can carry on with it, or see "
            "its status, from your applications page."
        )
    if not round_.is_accepting():
        raise JoiningError("This round is not open for applications.")
    if region and not round_.is_open_to_region(region):
        raise JoiningError(
            "This round is not open to your region yet.", {"region": "Choose your region"}
        )
    application = Application(round=round_, applicant=actor, region=region)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        raise JoiningError("You already have an application in this round.") from error
    audit_record(
        actor=actor, action="application.create", target=application, data={"round": round_.pk}
    )
    return application


@dataclass
class DraftSaved:
    """What `application_save_draft` kept, and what it could not or what blocks submitting:
    `problems` maps field names to messages (answers over their limit are saved all the same)."""

    application: Application
    problems: dict[str, str] = field(default_factory=dict)


FACT_FIELDS = (
    "job_title",
    "organisation",
    "organisation_type",
    "role_types",
    "region",
    "course",
    "course_year",
    "nomination_code",
)


def _clean_fact(application: Application, name: str, value: Any) -> tuple[Any, str]:
    """The value to store for one profile fact, or a problem message (value then unused)."""
    if name in {"job_title", "organisation"}:
        return re.sub(r"\s+", " ", (value or "").strip()), ""
    if name == "organisation_type":
        ok = not value or value in OrganisationType.values
        return value or "", "" if ok else "Choose the type of organisation from the list"
    if name == "region":
        ok = not value or value in Region.values
        return value or "", "" if ok else "Choose your region from the list"
    if name == "role_types":
        chosen = sorted(set(value or ()))
        ok = not set(chosen) - set(RoleType.values)
        return chosen, "" if ok else "Choose what describes your role from the list"
    if name == "course":
        course = value
        if isinstance(value, int | str):
            course = application.round.eligible_courses.filter(pk=value).first() if value else None
        if course is not None and course.round_id != application.round_id:
            course = None
        return course, ""
    if name == "course_year":
        year = int(value) if value else None
        if year is not None and not (1950 <= year <= timezone.now().year):
            return None, "Enter the year you finished the course, for example 2024"
        return year, ""
    if name == "nomination_code":
        code = value
        if isinstance(value, str):
            typed = value.strip().upper()
            code = NominationCode.objects.filter(round=application.round, code=typed).first()
            if typed and code is None:
                return None, "Enter the nomination code you were given, for example QF-7K2D"
        used = (
            code is not None
            and Application.objects.filter(nomination_code=code)
            .exclude(pk=application.pk)
            .exclude(status=ApplicationStatus.WITHDRAWN)
            .exists()
        )
        return code, "This nomination code has already been used" if used else ""
    raise ValueError(f"Unknown application field: {name}")


def _set_facts(application: Application, facts: Mapping[str, Any], problems: dict) -> list[str]:
    changed = []
    for name, value in facts.items():
        cleaned, problem = _clean_fact(application, name, value)
        if problem:
            problems[name] = problem
        elif getattr(application, name) != cleaned:
            setattr(application, name, cleaned)
            changed.append(name)
    return changed


def _set_commitments(application: Application, accepted: Collection[str], now) -> bool:
    accepted = [c for c in Commitment.values if c in set(accepted)]
    kept = {entry["commitment"]: entry for entry in application.commitments}
    new = [
        kept.get(c)
        or {"commitment": c, "wording": Commitment(c).label, "accepted_at": now.isoformat()}
        for c in accepted
    ]
    if new != application.commitments:
        application.commitments = new
        return True
    return False


@transaction.atomic
def application_save_draft(
    *,
    actor,
    application: Application,
    facts: Mapping[str, Any] | None = None,
    answers: Mapping[int, str] | None = None,
    commitments: Collection[str] | None = None,
) -> DraftSaved:
    """Save what the applicant has written so far (the autosave and the save button). Only the
    keys given change: `facts` (names in FACT_FIELDS; a course as an EligibleCourse or its id,
    a nomination code as the text typed), `answers` (criterion id -> text), `commitments` (the
    Commitment values accepted now; the wording and time are recorded).
    Nothing written is refused for its length: an answer over its word limit is saved and
    reported in `problems`, and blocks submitting. A value that is not a valid choice (or an
    unknown nomination code) is not stored and is reported. Only the applicant, only a draft."""
    application = _lock_application(application)
    _require_perm(actor, "members.change_own_application", application)
    if not application.is_editable:
        raise JoiningError(
            f"This application is {application.get_status_display().lower()}, so it cannot be "
            "changed."
        )
    now = timezone.now()
    problems: dict[str, str] = {}
    changed = _set_facts(application, facts or {}, problems)
    if commitments is not None and _set_commitments(application, commitments, now):
        changed.append("commitments")
    if answers:
        criteria = {c.pk: c for c in application.round.scheme.criteria.all()}
        existing = {a.criterion_id: a for a in application.answers.all()}
        for criterion_id, typed in answers.items():
            criterion = criteria.get(int(criterion_id))
            if criterion is None:
                continue
            text = (typed or "").strip()
            answer = existing.get(criterion.pk)
            if answer is None:
                answer = ApplicationAnswer(application=application, criterion=criterion)
            elif answer.text == text:
                continue
            answer.text, answer.words, answer.updated_at = text, word_count(text), now
            answer.save()
    application.updated_at = now
    application.save(update_fields=[*changed, "updated_at"])
    problems.update(application_over_limit_problems(application))
    if changed or answers:
        audit_record(
            actor=actor,
            action="application.save_draft",
            target=application,
            data={"fields": changed, "answers": sorted(map(int, answers or {}))},
        )
    return DraftSaved(application=application, problems=problems)


def application_over_limit_problems(application: Application) -> dict[str, str]:
    """Answers over their word limit (saved all the same), keyed by form field, from the
    application's (prefetched) answers and its round's criteria."""
    problems = {}
    answers = {a.criterion_id: a for a in application.answers.all()}
    for criterion in application.round.scheme.criteria.all():
        answer = answers.get(criterion.pk)
        if criterion.word_limit and answer and answer.words > criterion.word_limit:
            over = answer.words - criterion.word_limit
            problems[f"answer_{criterion.pk}"] = (
                f"Your answer to \u201c{criterion.title}\u201d is "
                + ngettext("%(num)d word", "%(num)d words", over) % {"num": over}
                + f" over the limit of {criterion.word_limit}. "
                "It is saved; shorten it before you submit."
            )
    return problems


def application_submit_problems(
    application: Application, now: dt.datetime | None = None
) -> dict[str, str]:
    """Everything that stops `application` being submitted now, as field name -> message, in
    the order the pages show them. Empty when it can be submitted. The check-your-answers page
    shows these; `application_transition("submit")` refuses with them."""
    round_ = application.round
    problems: dict[str, str] = {}
    if not round_.is_accepting(now):
        problems["round"] = "This round is closed, so applications can no longer be submitted."
    required = {
        "job_title": "Enter your job title or role",
        "organisation": "Enter your organisation",
        "organisation_type": "Choose the type of organisation",
        "role_types": "Choose what describes your role",
        "region": "Choose your region",
    }
    for name, message in required.items():
        if not getattr(application, name):
            problems[name] = message
    if application.region and not round_.is_open_to_region(application.region):
        problems["region"] = "This round is not open to your region. Look out for a later round."
    if round_.phase == Phase.FOUNDING and application.nomination_code_id is None:
        problems["nomination_code"] = "Enter the nomination code you were given"
    if round_.phase == Phase.ALUMNI:
        if application.course_id is None:
            problems["course"] = "Choose the improvement course you took"
        if not application.course_year:
            problems["course_year"] = "Enter the year you finished the course"
    answers = {a.criterion_id: a for a in application.answers.all()}
    for criterion in round_.scheme.criteria.all():
        answer = answers.get(criterion.pk)
        if answer is None or not answer.text:
            problems[f"answer_{criterion.pk}"] = f"Answer \u201c{criterion.title}\u201d"
    problems.update(application_over_limit_problems(application))
    accepted = {entry["commitment"] for entry in application.commitments}
    if set(Commitment.values) - accepted:
        problems["commitments"] = "Accept each of the commitments to submit your application"
    return problems


def _check_decision_ready(application: Application) -> None:
    assignments = Assignment.objects.filter(
        subject_type=ContentType.objects.get_for_model(Application),
        subject_id=application.pk,
    )
    outstanding = assignments.filter(status="assigned").count()
    submitted = assignments.filter(status="submitted").count()
    if outstanding:
        raise JoiningError(
            ngettext(
                "%(num)d review is still to come.",
                "%(num)d reviews are still to come.",
                outstanding,
            )
            % {"num": outstanding}
            + " Record the decision when every review is in."
        )
    if not submitted:
        raise JoiningError("There are no reviews of this application yet.")


def _application_refusal(application: Application, transition: Transition) -> str:
    return _status_refusal(application, transition.label)


# Every status change of an application: the table is `enums_joining.APPLICATION_TRANSITIONS`.
APPLICATIONS = Workflow(
    model=Application,
    field="status",
    transitions=APPLICATION_TRANSITIONS,
    audit="application",
    error=JoiningError,
    noun="application",
    lock=_lock_application,
    refusal=_application_refusal,
)


@APPLICATIONS.effect("submit")
def _application_submit(move: Move) -> None:
    """Nothing in `application_submit_problems`; assigns the reference (Q-<year>-<number>) and
    queues the confirmation email."""
    application = move.obj
    problems = application_submit_problems(application, move.now)
    if problems:
        raise JoiningError(
            "Your application cannot be submitted yet: " + " ".join(problems.values()),
            problems,
        )
    reference = f"Q-{timezone.localtime(move.now).year}-{application.pk:05d}"
    move.set(submitted_at=move.now, reference=reference)
    move.data["reference"] = reference
    move.after_write(lambda: _email_submitted(application))


@APPLICATIONS.effect("withdraw")
def _application_withdraw(move: Move) -> None:
    move.set(withdrawn_at=move.now)


@APPLICATIONS.effect("accept", "not_yet")
def _application_decide(move: Move) -> None:
    """Every review in; a rationale; for not yet, feedback for the applicant. Not shown to the
    applicant until released."""
    rationale = (move.params.get("rationale") or "").strip()
    feedback = (move.params.get("feedback") or "").strip()
    errors = {}
    if not rationale:
        errors["rationale"] = "Give the reason for the decision (the panel and staff see it)"
    if move.transition.action == "not_yet" and not feedback:
        errors["feedback"] = "Write feedback for the applicant"
    if errors:
        raise JoiningError(" ".join(errors.values()), errors)
    _check_decision_ready(move.obj)
    move.set(
        decision_rationale=rationale,
        feedback=feedback,
        decided_at=move.now,
        decided_by=move.actor,
    )
    move.data["rationale"] = rationale


@APPLICATIONS.effect("reopen")
def _application_reopen(move: Move) -> None:
    """Only before the decision is released."""
    if move.obj.released_at is not None:
        raise JoiningError("This decision has been released to the applicant, so it cannot change.")
    move.set(decided_at=None, decided_by=None)


def application_transition(
    *,
    actor,
    application: Application,
    action: str,
    rationale: str = "",
    feedback: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """Move an application by `action` through `APPLICATIONS`; the only place its status is
    assigned (the rules are its effects above: the applicant submits and withdraws; staff, or
    the system, start review; the region's panel chair or staff decide). A second click or a
    double-submitted decision is refused with a message, not repeated."""
    return APPLICATIONS.move(
        actor=actor,
        obj=application,
        action=action,
        now=now,
        rationale=rationale,
        feedback=feedback,
    )


def _status_refusal(application: Application, label: str) -> str:
    status = application.status
    if status in DECIDED_STATUSES:
        return (
            f"A decision has already been recorded for this application "
            f"({application.get_status_display().lower()}). To change it, reopen it first."
        )
    if status == ApplicationStatus.SUBMITTED:
        return "This application has already been submitted."
    if status == ApplicationStatus.WITHDRAWN:
        return "This application has been withdrawn."
    return (
        f"This application is {application.get_status_display().lower()}, so you cannot "
        f"{label[0].lower()}{label[1:]} now."
    )


def _email_submitted(application: Application) -> None:
    applicant, round_ = application.applicant, application.round
    email_queue_template(
        to=applicant.email,
        kind="application_submitted",
        related=application,
        context={
            "name": applicant.display_name,
            "reference": application.reference,
            "round_name": round_.name,
            "submitted_at": uk_datetime(application.submitted_at),
            "closes_at": uk_datetime(round_.closes_at),
            "decisions_release_at": uk_date(round_.decisions_release_at),
        },
    )


def application_submit(*, actor, application: Application) -> Application:
    """The applicant submits: see `application_transition` ("submit")."""
    return application_transition(actor=actor, application=application, action="submit")


def application_withdraw(*, actor, application: Application) -> Application:
    """The applicant withdraws a draft or a submitted application (not once it is in review)."""
    return application_transition(actor=actor, application=application, action="withdraw")


def application_decide(
    *, actor, application: Application, accept: bool, rationale: str, feedback: str = ""
) -> Application:
    """The chair records the decision; it reaches the applicant when decisions are released."""
    return application_transition(
        actor=actor,
        application=application,
        action="accept" if accept else "not_yet",
        rationale=rationale,
        feedback=feedback,
    )
