"""Writes for panel scoring: schemes, panels and their members, assignments and reviews.

Every service takes the acting user, runs in one transaction and writes an audit row.
Assignment statuses change only through `ASSIGNMENTS` (table: `enums.ASSIGNMENT_TRANSITIONS`).
The kit does not know what it scores: callers pass subjects (any rows) and, where some people
must never score some subjects, an exclusion (see `Excluded`)."""

import random
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.accounts.services import role_grant, role_revoke
from qcommunity.audit.services import audit_record, audit_record_many
from qcommunity.core.attention import attention_changed_for
from qcommunity.core.errors import ServiceError, require_perm
from qcommunity.core.workflow import Move, Workflow
from qcommunity.notifications.services import notify
from qcommunity.outbox.services import email_queue_template

from . import rules  # noqa: F401 (registers the permissions the services check)
from .enums import (
    ACTIVE_ASSIGNMENT_STATUSES,
    ASSIGNMENT_TRANSITIONS,
    AssignmentStatus,
    PanelRole,
    Recommendation,
)
from .models import (
    Assignment,
    Criterion,
    CriterionScore,
    Panel,
    PanelMember,
    Review,
    ScalePoint,
    Scheme,
)
from .selectors import NO_CONFLICT_ACTION, assignment_conflict_confirmed

# Pairs that must never be assigned: a set of (reviewer user id, subject id), or a function of
# the two ids that says True for an excluded pair. A reviewer's declared conflicts are always
# excluded as well (their assignment row stays, so the pair is never made again).
Excluded = Callable[[int, int], bool] | Collection[tuple[int, int]] | None


class ScoringError(ServiceError):
    """A scoring service refused (see `ServiceError`); criteria are named "criterion_<id>"."""


class SchemeLockedError(ScoringError):
    """The scheme's criteria or scale cannot change: the round it serves has opened."""


def _require_perm(actor, perm: str, obj=None) -> None:
    require_perm(actor, perm, obj, error=ScoringError)


def _exclusion(excluded: Excluded) -> Callable[[int, int], bool]:
    if excluded is None:
        return lambda reviewer_id, subject_id: False
    if callable(excluded):
        return excluded
    pairs = frozenset(excluded)
    return lambda reviewer_id, subject_id: (reviewer_id, subject_id) in pairs


# Schemes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    title: str
    description: str
    guidance: str = ""
    examples: str = ""
    word_limit: int | None = None


@dataclass(frozen=True)
class ScalePointSpec:
    value: int
    label: str
    descriptor: str


def _check_content(criteria: Sequence[CriterionSpec], scale: Sequence[ScalePointSpec]) -> None:
    errors = {}
    if not criteria:
        errors["criteria"] = "Add at least one criterion"
    if len(scale) < 2:
        errors["scale"] = "Add at least two points to the scale"
    values = [point.value for point in scale]
    if len(set(values)) != len(values):
        errors["scale"] = "Give each point of the scale a different score"
    if any(value < 0 for value in values):
        errors["scale"] = "Scores on the scale must be 0 or more"
    if any(c.word_limit is not None and c.word_limit < 1 for c in criteria):
        errors["criteria"] = "A word limit must be 1 or more"
    if errors:
        raise ScoringError(" ".join(errors.values()), errors)


def _write_content(scheme: Scheme, criteria, scale) -> None:
    rows = [
        Criterion(scheme=scheme, position=position, **vars(spec))
        for position, spec in enumerate(criteria, start=1)
    ]
    points = [ScalePoint(scheme=scheme, **vars(spec)) for spec in scale]
    for row in [*rows, *points]:
        row.full_clean(exclude=["scheme"], validate_unique=False, validate_constraints=False)
    Criterion.objects.bulk_create(rows)
    ScalePoint.objects.bulk_create(points)


def _content_summary(scheme: Scheme) -> dict:
    return {
        "criteria": list(scheme.criteria.values("title", "word_limit")),
        "scale": list(scheme.scale_points.values("value", "label")),
    }


@transaction.atomic
def scheme_create(
    *, actor, name: str, criteria: Sequence[CriterionSpec], scale: Sequence[ScalePointSpec]
) -> Scheme:
    """A new, unlocked scheme with criteria (numbered in the order given) and a scale."""
    _check_content(criteria, scale)
    scheme = Scheme.objects.create(name=name)
    _write_content(scheme, criteria, scale)
    audit_record(
        actor=actor, action="scoring_scheme.create", target=scheme, data=_content_summary(scheme)
    )
    return scheme


@transaction.atomic
def scheme_set_content(
    *, actor, scheme: Scheme, criteria: Sequence[CriterionSpec], scale: Sequence[ScalePointSpec]
) -> Scheme:
    """Replace a scheme's criteria and scale. Refused (SchemeLockedError) once the scheme is locked.
    The audit row keeps the old and new titles, limits and scale points."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.is_locked:
        raise SchemeLockedError(
            "The criteria and scale cannot change after the round has opened, so that everyone "
            "is judged against what they were shown."
        )
    _check_content(criteria, scale)
    old = _content_summary(scheme)
    scheme.criteria.all().delete()
    scheme.scale_points.all().delete()
    _write_content(scheme, criteria, scale)
    audit_record(
        actor=actor,
        action="scoring_scheme.update",
        target=scheme,
        data={"from": old, "to": _content_summary(scheme)},
    )
    return scheme


@transaction.atomic
def scheme_lock(*, actor, scheme: Scheme) -> Scheme:
    """Fix a scheme's criteria and scale for good. Idempotent."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if not scheme.is_locked:
        scheme.locked_at = timezone.now()
        scheme.save(update_fields=["locked_at"])
        audit_record(actor=actor, action="scoring_scheme.lock", target=scheme)
    return scheme


# Panels ----------------------------------------------------------------------------------------


@transaction.atomic
def panel_create(
    *,
    actor,
    scheme: Scheme,
    owner: models.Model,
    name: str,
    region: str = "",
    reviews_needed: int = 2,
) -> Panel:
    """A panel scoring against `scheme` for `owner` (a round), optionally for one region."""
    _require_perm(actor, "scoring.manage_panels")
    owner_type = ContentType.objects.get_for_model(owner)
    if Panel.objects.filter(owner_type=owner_type, owner_id=owner.pk, name=name).exists():
        raise ScoringError(
            "There is already a panel with that name.", {"name": "Choose a new name"}
        )
    if region and Panel.objects.filter(owner_type=owner_type, owner_id=owner.pk, region=region):
        raise ScoringError("There is already a panel for that region in this round.")
    panel = Panel(
        scheme=scheme,
        owner_type=owner_type,
        owner_id=owner.pk,
        name=name,
        region=region,
        reviews_needed=reviews_needed,
    )
    panel.full_clean(validate_constraints=False)
    panel.save()
    audit_record(
        actor=actor,
        action="scoring_panel.create",
        target=panel,
        data={"region": region, "reviews_needed": reviews_needed},
    )
    return panel


@transaction.atomic
def panel_member_add(
    *, actor, panel: Panel, user, role: str = PanelRole.REVIEWER, organisation: str = ""
) -> PanelMember:
    """Put `user` on `panel` as chair or reviewer (changing the role if they are already on it).
    Grants the site-wide panel member role, so the person must set up two-factor
    authentication before they see anything. `organisation` is where they work: subjects from
    that organisation are excluded by consumers that pass it into their exclusion."""
    _require_perm(actor, "scoring.manage_panels")
    role = PanelRole(role)
    member, created = PanelMember.objects.get_or_create(
        panel=panel,
        user=user,
        defaults={"role": role, "organisation": organisation.strip(), "added_by": actor},
    )
    if not created and (member.role != role or member.organisation != organisation.strip()):
        member.role = role
        member.organisation = organisation.strip()
        member.save(update_fields=["role", "organisation"])
    role_grant(user=user, role=Role.PANEL_MEMBER, actor=actor)
    audit_record(
        actor=actor,
        action="scoring_panel.member_add",
        target=panel,
        data={"user": user.pk, "role": role.value, "new": created},
    )
    return member


@transaction.atomic
def panel_member_remove(*, actor, panel: Panel, user) -> list[Assignment]:
    """Take `user` off `panel`. Their unfinished assignments are withdrawn and returned, for
    the caller to give to others (`assignments_distribute`); submitted reviews stay. The panel
    member role goes when they sit on no other panel."""
    _require_perm(actor, "scoring.manage_panels")
    withdrawn = [
        _assignment_move(actor=actor, assignment=a, action="withdraw")
        for a in panel.assignments.select_for_update().filter(
            reviewer=user, status=AssignmentStatus.ASSIGNED
        )
    ]
    PanelMember.objects.filter(panel=panel, user=user).delete()
    if not PanelMember.objects.filter(user=user).exists():
        role_revoke(user=user, role=Role.PANEL_MEMBER, actor=actor)
    audit_record(
        actor=actor,
        action="scoring_panel.member_remove",
        target=panel,
        data={"user": user.pk, "withdrawn": [a.pk for a in withdrawn]},
    )
    return withdrawn


# Assignments -----------------------------------------------------------------------------------


@dataclass
class Distribution:
    """What `assignments_distribute` did: the new assignments, and the subjects left short of
    reviewers (subject id -> reviews still missing) because too few eligible reviewers exist."""

    created: list[Assignment] = field(default_factory=list)
    short: dict[int, int] = field(default_factory=dict)


def _panel_locked(panel: Panel) -> Panel:
    return Panel.objects.select_for_update().get(pk=panel.pk)


def _reviewer_ids(panel: Panel) -> list[int]:
    """The panel's reviewers who can still sign in: work is never given to a deactivated or
    deleted account."""
    return list(
        panel.members.filter(role=PanelRole.REVIEWER, user__is_active=True)
        .order_by("id")
        .values_list("user_id", flat=True)
    )


def _loads(panel: Panel, reviewer_ids: Iterable[int]) -> dict[int, int]:
    loads = dict.fromkeys(reviewer_ids, 0)
    counted = (
        panel.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES, reviewer_id__in=loads)
        .values("reviewer_id")
        .annotate(n=Count("id"))
    )
    for row in counted:
        loads[row["reviewer_id"]] = row["n"]
    return loads


def reviewers_given(assignments: Iterable[Assignment]) -> list[tuple[object, int]]:
    """(reviewer, how many of `assignments` are theirs), in reviewer order: for telling each
    reviewer once about new work rather than once per subject. Uses the assignments' loaded
    reviewers (assignments_distribute returns them loaded), so it makes no query."""
    counts: dict[int, int] = defaultdict(int)
    people = {}
    for assignment in assignments:
        counts[assignment.reviewer_id] += 1
        people[assignment.reviewer_id] = assignment.reviewer
    return [(people[pk], counts[pk]) for pk in sorted(counts)]


@transaction.atomic
def assignments_distribute(
    *,
    actor,
    panel: Panel,
    subjects: Iterable[models.Model],
    excluded: Excluded = None,
    rng: random.Random | None = None,
) -> Distribution:
    """Give each subject to `panel.reviews_needed` distinct reviewers (panel members with the
    reviewer role), counting assignments it already has. Rules:
    - never to an excluded pair, nor to anyone who already has a row for the subject on this
      panel (a declared conflict, a withdrawn or a live assignment);
    - each place goes to the eligible reviewer with the fewest live assignments on the panel
      (ties broken at random), so with no exclusions loads differ by at most one;
    - subjects that cannot get enough reviewers get as many as there are, and are reported in
      `Distribution.short`.
    Idempotent: distributing the same subjects again adds nothing. The panel row is locked, so
    two distributions cannot interleave. `actor` None is the system (a scheduled task).
    Queries do not grow with the number of subjects or assignments."""
    if actor is not None:
        _require_perm(actor, "scoring.manage_panels")
    panel = _panel_locked(panel)
    subjects = list(subjects)
    result = Distribution()
    if not subjects:
        return result
    subject_type = ContentType.objects.get_for_model(subjects[0])
    subject_ids = [s.pk for s in subjects]
    is_excluded = _exclusion(excluded)
    reviewers = _reviewer_ids(panel)
    # The reviewers themselves, once: each new assignment's audit label names its reviewer, and
    # callers that tell reviewers read them from `Distribution.created`, so neither costs a
    # query per assignment.
    reviewer_users = get_user_model().objects.in_bulk(reviewers)
    (rng or random.SystemRandom()).shuffle(reviewers)
    tie_break = {reviewer: index for index, reviewer in enumerate(reviewers)}
    loads = _loads(panel, reviewers)
    taken: dict[int, set[int]] = defaultdict(set)
    active: dict[int, int] = defaultdict(int)
    for reviewer_id, subject_id, status in panel.assignments.filter(
        subject_type=subject_type, subject_id__in=subject_ids
    ).values_list("reviewer_id", "subject_id", "status"):
        taken[subject_id].add(reviewer_id)
        if status in ACTIVE_ASSIGNMENT_STATUSES:
            active[subject_id] += 1
    now = timezone.now()
    for subject_id in dict.fromkeys(subject_ids):
        needed = panel.reviews_needed - active[subject_id]
        if needed <= 0:
            continue
        eligible = [
            r for r in reviewers if r not in taken[subject_id] and not is_excluded(r, subject_id)
        ]
        eligible.sort(key=lambda r: (loads[r], tie_break[r]))
        chosen = eligible[:needed]
        for reviewer_id in chosen:
            loads[reviewer_id] += 1
            taken[subject_id].add(reviewer_id)
            result.created.append(
                Assignment(
                    panel=panel,
                    reviewer=reviewer_users[reviewer_id],
                    subject_type=subject_type,
                    subject_id=subject_id,
                    created_at=now,
                    updated_at=now,
                )
            )
        if len(chosen) < needed:
            result.short[subject_id] = needed - len(chosen)
    Assignment.objects.bulk_create(result.created)
    attention_changed_for(Assignment)  # bulk_create sends no signal
    # One row per new assignment too (one INSERT), so each subject's trail shows who it was
    # given to, as for assignments made one at a time.
    audit_record_many(
        actor=actor,
        action="scoring_assignment.create",
        entries=(
            (a, {"reviewer": a.reviewer_id, "subject": a.subject_id, "panel": panel.pk})
            for a in result.created
        ),
    )
    audit_record(
        actor=actor,
        action="scoring_panel.distribute",
        target=panel,
        data={
            "subjects": len(subject_ids),
            "assigned": len(result.created),
            "short": {str(k): v for k, v in result.short.items()},
        },
    )
    return result


def assignments_withdraw_for_reviewer(*, user, owner_type: ContentType) -> int:
    """Withdraw every unfinished assignment of `user` on the panels of one kind of owner (a
    joining round, an Exchange round), so staff can give the work to someone else: for an
    account being deleted. By the system (no actor), through `ASSIGNMENTS.move_many` (one
    UPDATE, each withdrawal audited as `scoring_assignment.withdraw` with from and to, like one
    made by hand). Returns how many were withdrawn."""
    withdrawn = ASSIGNMENTS.move_many(
        actor=None,
        objects=Assignment.objects.filter(reviewer_id=user.pk, panel__owner_type=owner_type),
        action="withdraw",
        values={"updated_at": timezone.now()},
        data={"reviewer": user.pk},
        authorised=True,
    )
    return len(withdrawn)


def _assignment_move(*, actor, assignment: Assignment, action: str, **fields) -> Assignment:
    """The one place an assignment's status changes (`ASSIGNMENTS`), setting `fields` too. The
    caller holds the row lock."""
    return ASSIGNMENTS.move(actor=actor, obj=assignment, action=action, locked=True, **fields)


def _status_message(assignment: Assignment) -> str:
    return {
        AssignmentStatus.SUBMITTED: "You have already submitted this review. It cannot be "
        "changed or sent twice.",
        AssignmentStatus.CONFLICT: "A conflict of interest was declared, so this is no longer "
        "yours to review.",
        AssignmentStatus.WITHDRAWN: "This has been given to another reviewer.",
        AssignmentStatus.ASSIGNED: "This review has not been submitted yet.",
    }[assignment.status]


def _lock_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("panel")
        .get(pk=assignment.pk)
    )


# Every status change of an assignment: the table is `enums.ASSIGNMENT_TRANSITIONS`.
ASSIGNMENTS = Workflow(
    model=Assignment,
    field="status",
    transitions=ASSIGNMENT_TRANSITIONS,
    audit="scoring_assignment",
    error=ScoringError,
    noun="assignment",
    lock=_lock_assignment,
    refusal=lambda assignment, transition: _status_message(assignment),
)


@ASSIGNMENTS.effect("declare_conflict", "submit", "withdraw", "reinstate")
def _assignment_record(move: Move) -> None:
    """Every move names the reviewer and subject in the audit, with the fields it set."""
    move.set(**move.params)
    move.data.update(reviewer=move.obj.reviewer_id, subject=move.obj.subject_id, **move.params)


def _assign_least_loaded(
    *, actor, panel: Panel, subject_type_id: int, subject_id: int, excluded: Excluded
) -> Assignment | None:
    reviewers = _reviewer_ids(panel)
    taken = set(
        panel.assignments.filter(
            subject_type_id=subject_type_id, subject_id=subject_id
        ).values_list("reviewer_id", flat=True)
    )
    is_excluded = _exclusion(excluded)
    eligible = [r for r in reviewers if r not in taken and not is_excluded(r, subject_id)]
    if not eligible:
        return None
    loads = _loads(panel, eligible)
    random.SystemRandom().shuffle(eligible)
    reviewer_id = min(eligible, key=lambda r: loads[r])
    assignment = Assignment.objects.create(
        panel=panel,
        reviewer_id=reviewer_id,
        subject_type_id=subject_type_id,
        subject_id=subject_id,
    )
    audit_record(
        actor=actor,
        action="scoring_assignment.create",
        target=assignment,
        data={"reviewer": reviewer_id, "subject": subject_id},
    )
    return assignment


@transaction.atomic
def assignment_declare_conflict(
    *, actor, assignment: Assignment, reason: str, excluded: Excluded = None
) -> Assignment | None:
    """The reviewer declares a conflict of interest before scoring. The assignment is kept as
    a conflict (so the pair is never made again) and the subject goes to the least-loaded
    eligible reviewer of the panel. Returns the new assignment, or None when nobody eligible is
    left (staff then add a reviewer)."""
    reason = (reason or "").strip()
    if not reason:
        raise ScoringError(
            "Say briefly what the conflict is.", {"reason": "Say briefly what the conflict is"}
        )
    assignment = _lock_assignment(assignment)
    _panel_locked(assignment.panel)
    assignment = _assignment_move(
        actor=actor, assignment=assignment, action="declare_conflict", conflict_reason=reason
    )
    return _assign_least_loaded(
        actor=None,
        panel=assignment.panel,
        subject_type_id=assignment.subject_type_id,
        subject_id=assignment.subject_id,
        excluded=excluded,
    )


@transaction.atomic
def assignment_reassign(
    *, actor, assignment: Assignment, to_user, excluded: Excluded = None
) -> Assignment:
    """Staff give an unfinished assignment to another reviewer of the same panel. Refused when
    that person is not a reviewer on the panel, already has (or had a conflict with) the
    subject, or is excluded. The old assignment is withdrawn; a person once taken off the
    subject can be given it again."""
    _require_perm(actor, "scoring.manage_panels")
    assignment = _lock_assignment(assignment)
    panel = _panel_locked(assignment.panel)
    if not panel.members.filter(user=to_user, role=PanelRole.REVIEWER).exists():
        raise ScoringError(f"{to_user} is not a reviewer on this panel.")
    if not to_user.is_active:
        raise ScoringError(f"{to_user} can no longer sign in, so cannot be given reviews.")
    if _exclusion(excluded)(to_user.pk, assignment.subject_id):
        raise ScoringError(f"{to_user} cannot review this: they have a conflict of interest.")
    existing = (
        panel.assignments.select_for_update()
        .filter(
            reviewer=to_user,
            subject_type_id=assignment.subject_type_id,
            subject_id=assignment.subject_id,
        )
        .first()
    )
    if existing is not None and existing.status != AssignmentStatus.WITHDRAWN:
        raise ScoringError(
            f"{to_user} cannot be given this: {existing.get_status_display().lower()}."
        )
    _assignment_move(actor=actor, assignment=assignment, action="withdraw")
    if existing is not None:
        return _assignment_move(actor=actor, assignment=existing, action="reinstate")
    new = Assignment.objects.create(
        panel=panel,
        reviewer=to_user,
        subject_type_id=assignment.subject_type_id,
        subject_id=assignment.subject_id,
    )
    audit_record(
        actor=actor,
        action="scoring_assignment.create",
        target=new,
        data={"reviewer": to_user.pk, "subject": new.subject_id, "replaces": assignment.pk},
    )
    return new


# Reviews ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    value: int | None
    comment: str = ""


def _scale_words(values: list[int]) -> str:
    return f"Choose a score from {min(values)} to {max(values)}"


@transaction.atomic
def review_submit(
    *,
    actor,
    assignment: Assignment,
    scores: Sequence[ScoreInput],
    recommendation: str,
    comment: str = "",
) -> Review:
    """The reviewer submits their review: a score for every criterion of the panel's scheme,
    each a value of the scheme's scale, and a recommendation. Rules:
    - only the reviewer the assignment belongs to, and only while it is assigned (a second
      submission, a declared conflict or a withdrawn assignment are refused with a message);
    - every criterion scored, nothing else; values only from the scale; errors name the
      fields at fault (`ScoringError.errors`, keys "criterion_<id>" and "recommendation"), and
      nothing is written unless everything is right.
    Writes the review and its scores, moves the assignment to submitted, audits the scores."""
    assignment = _lock_assignment(assignment)
    if assignment.reviewer_id != getattr(actor, "pk", None):
        raise ScoringError("Only the reviewer it was given to can do that.")
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise ScoringError(_status_message(assignment))
    scheme = assignment.panel.scheme
    criteria = {c.pk: c for c in scheme.criteria.all()}
    scale = sorted(scheme.scale_points.values_list("value", flat=True))
    given = {s.criterion_id: s for s in scores}
    errors = {}
    for criterion_id, criterion in criteria.items():
        score = given.get(criterion_id)
        if score is None or score.value is None:
            errors[f"criterion_{criterion_id}"] = f"Score \u201c{criterion.title}\u201d"
        elif score.value not in scale:
            errors[f"criterion_{criterion_id}"] = (
                f"{_scale_words(scale)} for \u201c{criterion.title}\u201d"
            )
    if set(given) - set(criteria):
        errors["scores"] = "Some scores are for criteria this panel does not use"
    if recommendation not in Recommendation.values:
        errors["recommendation"] = "Choose your recommendation"
    if errors:
        raise ScoringError(
            "Check your scores: " + "; ".join(errors.values()) + ". Nothing has been sent yet.",
            errors,
        )
    review = Review.objects.create(
        assignment=assignment, recommendation=recommendation, comment=(comment or "").strip()
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(
            review=review,
            criterion_id=cid,
            value=given[cid].value,
            comment=(given[cid].comment or "").strip(),
        )
        for cid in criteria
    )
    _assignment_move(actor=actor, assignment=assignment, action="submit")
    audit_record(
        actor=actor,
        action="scoring_review.submit",
        target=review,
        data={
            "assignment": assignment.pk,
            "subject": assignment.subject_id,
            "recommendation": recommendation,
            "scores": {str(cid): given[cid].value for cid in criteria},
        },
    )
    return review


# The workspace: writes for every kind of panel (`kinds.PanelKind`) -----------------------------
# Each runs the kit's rules with the kind's exclusion, sends the kind's emails, and re-raises
# the kit's refusals as the kind's error, so a consumer's pages and tests speak one error.


def _refusal(kind, error: ScoringError) -> ServiceError:
    return kind.error(str(error), error.errors)


def _with_exclusion(kind, service, *, assignment: Assignment, **params):
    """`service(assignment=..., excluded=...)` with the kind's exclusion for the assignment's
    subject, its refusals re-raised as the kind's error."""
    try:
        return service(
            assignment=assignment,
            excluded=kind.exclusion(assignment.panel, [assignment.subject_id]),
            **params,
        )
    except ScoringError as error:
        raise _refusal(kind, error) from error


@transaction.atomic
def workspace_member_invite(
    kind, *, actor, panel: Panel, email: str, role: str = PanelRole.REVIEWER, organisation=""
) -> PanelMember:
    """Put the person with the account `email` on the panel as reviewer or chair and email them
    (once, when first added; the kind words it) that they must set up two-factor authentication
    to start. Rules: staff of the kind only; the person must already have an active account (a
    clear message otherwise). An empty `organisation` falls back to the kind's default for the
    person. Audited by `panel_member_add` (`scoring_panel.member_add`, `role.grant`)."""
    require_perm(actor, kind.staff_permission, error=kind.error)
    email = (email or "").strip()
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise kind.error(
            "No one has an account with that email address. Ask them to create an account "
            "first, then add them.",
            {"email": "Enter the email address of someone with an account"},
        )
    already = panel.members.filter(user=user).exists()
    try:
        member = panel_member_add(
            actor=actor,
            panel=panel,
            user=user,
            role=role,
            organisation=(organisation or "").strip() or kind.default_organisation(user),
        )
    except ScoringError as error:
        raise _refusal(kind, error) from error
    except ValueError as error:
        raise kind.error(str(error)) from error
    if not already:
        owner = kind.owner_model.objects.get(pk=panel.owner_id)
        context = {
            "name": user.display_name,
            "panel_name": panel.name,
            "round_name": owner.name,
            "role": "its chair" if member.role == PanelRole.CHAIR else "a reviewer",
            "panels_url": f"{settings.SITE_URL}{kind.url('panel-list')}",
            **kind.invitation_context(owner, member),
        }
        email_queue_template(
            to=user.email, kind=kind.invitation_email, related=panel, context=context
        )
    return member


def _notify_given(kind, panel: Panel, assignments: list[Assignment]) -> None:
    """One message per reviewer with new assignments, saying how many, linking to their page
    for the panel. The reviewers come loaded with the assignments, so this costs only what
    notify() needs for each reviewer."""
    owner = None
    for reviewer, count in reviewers_given(assignments):
        owner = owner or kind.owner_model.objects.get(pk=panel.owner_id)
        notify(
            user=reviewer,
            kind=kind.notification_kind,
            subject=kind.given_subject(count),
            template=kind.given_template,
            context={"count": count, "panel": panel, "round": owner, "kind": kind},
            related=panel,
            url=kind.url("panel", panel.pk),
        )


def _notify_handed_over(kind, new: Assignment) -> None:
    """The reviewer who takes over someone else's review (staff reassigned it, or the reviewer
    declared a conflict) is told, naming the subject and linking to the review."""
    subject = kind.subject_model.objects.get(pk=new.subject_id)
    notify(
        user=new.reviewer,
        kind=kind.notification_kind,
        subject=kind.handed_over_subject(subject),
        template=kind.handed_over_template,
        context={kind.subject_noun: subject, "subject": subject, "panel": new.panel, "kind": kind},
        related=new,
        url=kind.url("assignment", new.pk),
    )


@transaction.atomic
def workspace_distribute(
    kind, *, actor, panel: Panel, subjects, rng: random.Random | None = None
) -> Distribution:
    """`assignments_distribute` with the kind's exclusion; each reviewer given new work is told
    once, with how many (`_notify_given`, sent only if this commits)."""
    subjects = list(subjects)
    try:
        result = assignments_distribute(
            actor=actor,
            panel=panel,
            subjects=subjects,
            excluded=kind.exclusion(panel, [s.pk for s in subjects]),
            rng=rng,
        )
    except ScoringError as error:
        raise _refusal(kind, error) from error
    _notify_given(kind, panel, result.created)
    return result


@transaction.atomic
def assignment_confirm_no_conflict(kind, *, actor, assignment: Assignment) -> None:
    """The reviewer says they have no conflict of interest with the subject, which opens it for
    scoring. Only the reviewer, only while the review is to do. Recorded once as an audit row
    (`NO_CONFLICT_ACTION`); saying it again changes nothing."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if actor is None or assignment.reviewer_id != actor.pk:
        raise kind.error("Only the reviewer it was given to can do that.")
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise kind.error("This review is no longer yours to start.")
    if not assignment_conflict_confirmed(assignment):
        audit_record(
            actor=actor,
            action=NO_CONFLICT_ACTION,
            target=assignment,
            data={"subject": assignment.subject_id},
        )


@transaction.atomic
def workspace_declare_conflict(kind, *, actor, assignment: Assignment, reason: str):
    """`assignment_declare_conflict` with the kind's exclusion: the subject goes to the
    least-loaded other eligible reviewer, who is told (`_notify_handed_over`). Returns the
    new assignment, or None when nobody is left (staff then add a reviewer)."""
    new = _with_exclusion(
        kind, assignment_declare_conflict, actor=actor, assignment=assignment, reason=reason
    )
    if new is not None:
        _notify_handed_over(kind, new)
    return new


@transaction.atomic
def workspace_reassign(kind, *, actor, assignment: Assignment, to_user) -> Assignment:
    """`assignment_reassign` with the kind's exclusion; the new reviewer is told (after commit),
    the one it was taken from is not."""
    require_perm(actor, kind.staff_permission, error=kind.error)
    new = _with_exclusion(
        kind, assignment_reassign, actor=actor, assignment=assignment, to_user=to_user
    )
    _notify_handed_over(kind, new)
    return new


@transaction.atomic
def workspace_review_submit(
    kind,
    *,
    actor,
    assignment: Assignment,
    scores: Sequence[ScoreInput],
    recommendation: str,
    comment: str = "",
) -> Review:
    """`review_submit`, once the reviewer has said they have no conflict."""
    if assignment.status == AssignmentStatus.ASSIGNED and not assignment_conflict_confirmed(
        assignment
    ):
        raise kind.error("Answer the conflict of interest question first.")
    try:
        return review_submit(
            actor=actor,
            assignment=assignment,
            scores=scores,
            recommendation=recommendation,
            comment=comment,
        )
    except ScoringError as error:
        raise _refusal(kind, error) from error
