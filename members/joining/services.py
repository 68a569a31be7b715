"""Writes for joining Q: rounds, applications, releasing decisions and the staff report (the
panels' writes are in `members.panels.services`).

Every service takes the acting user (None: the system, e.g. a scheduled task), runs in one
transaction and writes an audit row. Round statuses change only in `round_transition` and
application statuses only in `application_transition`; both check the tables in
`joining.enums` and the permission rule each move names. Emails are outbox rows written in the
same transaction and sent after it commits."""

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from qcommunity.audit.services import audit_record, audit_record_many
from qcommunity.core.errors import ServiceError, require_perm
from qcommunity.core.formatting import uk_date, uk_datetime
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from qcommunity.core.words import word_count
from qcommunity.core.workflow import Move, Transition, Workflow
from qcommunity.outbox.services import email_queue_template
from qcommunity.scoring import services as scoring
from qcommunity.scoring.models import Assignment, Panel, Scheme
from qcommunity.scoring.services import CriterionSpec, ScalePointSpec

from ..directory.models import Profile
from ..directory.services import member_make
from . import rules  # noqa: F401 (registers the permissions the services check)
from .enums import (
    APPLICATION_TRANSITIONS,
    DECIDED_STATUSES,
    ROUND_TRANSITIONS,
    UNDECIDED_STATUSES,
    ApplicationStatus,
    Commitment,
    Phase,
    RoundStatus,
)
from .models import Application, ApplicationAnswer, EligibleCourse, NominationCode, Round
from .selectors import NextRound, apply_again_text, next_round_for_region


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
    its eligible courses as (name, provider) pairs. Staff administrators only."""
    _require_perm(actor, "members.create_rounds")
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
    _require_perm(actor, "members.manage_rounds", round_)
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


# Every status change of a round: the table is `enums.ROUND_TRANSITIONS`.
ROUNDS = Workflow(
    model=Round,
    field="status",
    transitions=ROUND_TRANSITIONS,
    audit="join_round",
    error=JoiningError,
    noun="round",
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
    """Taken only through the release services (by the scheduled task, or by staff releasing
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


# Every status change of an application: the table is `enums.APPLICATION_TRANSITIONS`.
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


# Releasing decisions -----------------------------------------------------------------------------
#
# Releasing a round's decisions to its applicants, and making accepted applicants members.
#
# Decisions are recorded by panel chairs in the weeks before; applicants hear nothing until the
# round's release date, when a scheduled task (`members.tasks.joining_release_due`, every minute)
# releases every decision of the round together, or until staff release them now, which moves the
# release date to now first. Emails carry the decision, the chair's feedback and dates: never
# scores, recommendations or reviewer names.


# Facts of an application that pre-fill the directory entry of an accepted applicant.
PROFILE_FACTS = ("job_title", "organisation", "organisation_type", "role_types", "region")

ACCEPTED_EMAIL = "application_accepted"
NOT_YET_EMAIL = "application_not_yet"


def _undecided_refusal(round_: Round, undecided: int) -> JoiningError:
    return JoiningError(
        f"Decisions for {round_.name} cannot be released: "
        + ngettext(
            "%(num)d application is still waiting for a decision.",
            "%(num)d applications are still waiting for a decision.",
            undecided,
        )
        % {"num": undecided}
    )


@transaction.atomic
def round_release_decisions_now(*, actor, round_: Round, now: dt.datetime | None = None) -> int:
    """Staff release a round's decisions now instead of waiting for its release date; returns
    how many were released. Rules:
    - staff who manage rounds only;
    - only once every decision is recorded: the round is marked decided and no application is
      still submitted or in review (else a JoiningError saying what is missing);
    - a round already released is refused with a message and nothing is sent again;
    - the release date moves to now (and the closing date and review deadline too, where they
      are later, so the dates stay in order), audited as `join_round.release_now` with the old
      and new dates, so every page and email tells when decisions really went out;
    - then the decisions are released exactly as on the release date
      (`round_release_decisions`, one email per applicant), recorded as done by `actor`."""
    require_perm(actor, "members.manage_rounds", round_, error=JoiningError)
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.RELEASED:
        raise JoiningError(f"Decisions for {round_.name} have already been released.")
    if round_.status != RoundStatus.DECIDED:
        raise JoiningError(
            f"Decisions for {round_.name} cannot be released yet: every decision must be "
            "recorded and the round marked as decided first."
        )
    undecided = round_.applications.filter(status__in=UNDECIDED_STATUSES).count()
    if undecided:
        raise _undecided_refusal(round_, undecided)
    if round_.opens_at >= now:
        raise JoiningError(f"{round_.name} has not opened yet, so nothing can be released.")
    changes = {}
    for name in ("closes_at", "review_deadline", "decisions_release_at"):
        old = getattr(round_, name)
        if old > now or name == "decisions_release_at":
            changes[name] = {"from": old.isoformat(), "to": now.isoformat()}
            setattr(round_, name, now)
    round_.updated_at = now
    round_.save(update_fields=[*changes, "updated_at"])
    audit_record(actor=actor, action="join_round.release_now", target=round_, data=changes)
    return round_release_decisions(round_=round_, now=now, actor=actor)


@transaction.atomic
def round_release_decisions(*, round_: Round, now: dt.datetime | None = None, actor=None) -> int:
    """Release every decision of `round_` to its applicants; returns how many were released.
    Taken by the system (the scheduled task, `actor` None) on the release date, or through
    `round_release_decisions_now` by staff (`actor`, recorded on the audit rows). Rules:
    - the round row is locked, so two runs at once release once;
    - refused (JoiningError) unless the round's decisions are marked recorded (status
      "decided"), its release date has come, and no application is still submitted or in
      review;
    - a round already released releases nothing and sends nothing (a second run returns 0);
    - each decided application gets `released_at` and an audit row; the round moves to
      "released" through `round_transition`;
    - an accepted applicant becomes a member: the member role, and a directory entry created
      hidden and pre-filled from the application or, if they have one, only its empty fields
      filled in. Its visibility never changes;
    - one email per applicant through the outbox (sent after commit): a welcome with first steps,
      or the chair's feedback and when they can apply again;
    - an applicant who has deleted their account has their decision released (on record) but
      is neither made a member nor emailed."""
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.RELEASED:
        return 0
    if round_.status != RoundStatus.DECIDED:
        raise JoiningError(
            f"Decisions for {round_.name} cannot be released while the round is at "
            f"\u201c{round_.get_status_display()}\u201d. Every decision must be recorded and "
            "the round marked as decided first."
        )
    if now < round_.decisions_release_at:
        raise JoiningError(
            f"Decisions for {round_.name} are released on "
            f"{uk_datetime(round_.decisions_release_at)}, not before."
        )
    undecided = round_.applications.filter(status__in=UNDECIDED_STATUSES).count()
    if undecided:
        raise _undecided_refusal(round_, undecided)
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .filter(round=round_, status__in=DECIDED_STATUSES, released_at__isnull=True)
        .select_related("applicant")
        .order_by("id")
    )
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(
        released_at=now, updated_at=now
    )
    for application in applications:
        application.released_at = application.updated_at = now
    audit_record_many(
        actor=actor,
        action="application.release",
        entries=[(a, {"status": a.status, "round": round_.pk}) for a in applications],
    )
    round_transition(actor=actor, round_=round_, action="release", now=now)

    # An applicant who has deleted their account keeps their decision on record, but is not
    # made a member (a "Former member" tombstone has no roles) and is sent nothing.
    live = [a for a in applications if a.applicant.deleted_at is None]
    accepted = [a for a in live if a.status == ApplicationStatus.ACCEPTED]
    for application in accepted:
        _make_member(application)
    next_rounds: dict[str, NextRound | None] = {}
    for application in live:
        if application.status == ApplicationStatus.ACCEPTED:
            _email_accepted(application, round_)
        else:
            region = application.region
            if region not in next_rounds:
                next_rounds[region] = (
                    next_round_for_region(region, now=now, exclude_round_id=round_.pk)
                    if region
                    else None
                )
            _email_not_yet(application, round_, next_rounds[region])
    return len(applications)


def _make_member(application: Application) -> Profile:
    """The member role and a directory entry pre-filled from the application (see
    `round_release_decisions`)."""
    return member_make(
        user=application.applicant,
        actor=None,
        facts={name: getattr(application, name) for name in PROFILE_FACTS},
        source={"application": application.pk},
    )


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _base_context(application: Application, round_: Round) -> dict:
    return {
        "name": application.applicant.display_name,
        "reference": application.reference,
        "round_name": round_.name,
        "application_url": _absolute(
            reverse("members:application-detail", kwargs={"pk": application.pk})
        ),
    }


def _email_accepted(application: Application, round_: Round) -> None:
    email_queue_template(
        to=application.applicant.email,
        kind=ACCEPTED_EMAIL,
        related=application,
        context={
            **_base_context(application, round_),
            "profile_url": _absolute(reverse("members:profile-edit")),
            "notifications_url": _absolute(reverse("notifications:preferences")),
            "directory_url": _absolute(reverse("members:search")),
            "home_url": _absolute(reverse("core:home")),
        },
    )


def _email_not_yet(application: Application, round_: Round, next_round: NextRound | None) -> None:
    email_queue_template(
        to=application.applicant.email,
        kind=NOT_YET_EMAIL,
        related=application,
        context={
            **_base_context(application, round_),
            "feedback": application.feedback,
            "apply_again": apply_again_text(next_round, application.region_label),
            "join_url": _absolute(reverse("members:join")),
        },
    )
