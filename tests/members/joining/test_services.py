"""Joining Q: rounds, applications and their transition table, and the panels' exclusions."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.joining.enums import (
    APPLICATION_TRANSITIONS,
    ApplicationStatus,
    Commitment,
    Phase,
    RoundStatus,
)
from members.joining.models import Application, NominationCode
from members.joining.selectors import application_status_for_applicant, rounds_accepting
from members.joining.services import (
    JoiningError,
    application_create,
    application_decide,
    application_save_draft,
    application_submit,
    application_submit_problems,
    application_transition,
    application_withdraw,
    round_close,
    round_transition,
    round_update,
)
from members.panels.kind import APPLICATION_PANELS
from members.panels.selectors import organisation_key
from members.panels.services import (
    application_assignments_distribute,
    round_panel_create,
    round_panel_member_add,
    round_start_review,
)
from qcommunity.audit.models import AuditEntry
from qcommunity.core.taxonomy import Region
from qcommunity.core.words import word_count
from qcommunity.outbox.models import OutboxEmail
from qcommunity.scoring.enums import AssignmentStatus, PanelRole, Recommendation
from qcommunity.scoring.models import Scheme
from qcommunity.scoring.services import (
    CriterionSpec,
    ScoreInput,
    review_submit,
    workspace_declare_conflict,
)
from tests.factories.accounts import UserFactory
from tests.factories.joining import CRITERIA, SCALE, complete_draft, make_round


def _round_kwargs(round_, **changes):
    fields = [
        "name",
        "phase",
        "regions",
        "opens_at",
        "closes_at",
        "review_deadline",
        "decisions_release_at",
        "reviews_needed",
    ]
    return {**{f: getattr(round_, f) for f in fields}, **changes}


# Words -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [("", 0), (None, 0), ("one", 1), ("  two  words ", 2), ("well-led\nwork\t- done", 4)],
)
def test_word_count(text, words):
    assert word_count(text) == words


# Rounds ----------------------------------------------------------------------------------------


def test_round_criteria_lock_when_opened_but_dates_move_with_audit(staff_admin):
    round_ = make_round(staff_admin, open_now=False)
    changed = [CriterionSpec("Commitment", "Why you want to join.", word_limit=300), *CRITERIA[1:]]
    round_update(actor=staff_admin, round_=round_, criteria=changed, **_round_kwargs(round_))
    assert round_.scheme.criteria.get(position=1).word_limit == 300

    round_ = round_transition(actor=staff_admin, round_=round_, action="open")
    assert Scheme.objects.get(pk=round_.scheme_id).locked_at is not None
    with pytest.raises(JoiningError, match="cannot change after the round has opened"):
        round_update(actor=staff_admin, round_=round_, criteria=CRITERIA, **_round_kwargs(round_))
    with pytest.raises(JoiningError, match="cannot change after the round has opened"):
        round_update(actor=staff_admin, round_=round_, scale=SCALE[:2], **_round_kwargs(round_))
    # Sending the same content again is not a change.
    round_update(
        actor=staff_admin, round_=round_, criteria=changed, scale=SCALE, **_round_kwargs(round_)
    )

    old_close = round_.closes_at
    new_close = old_close + dt.timedelta(days=3)
    round_update(actor=staff_admin, round_=round_, **_round_kwargs(round_, closes_at=new_close))
    round_.refresh_from_db()
    assert round_.closes_at == new_close
    entry = AuditEntry.objects.filter(action="join_round.update").first()
    assert entry.data == {"closes_at": {"from": old_close.isoformat(), "to": new_close.isoformat()}}


def test_round_after_opening_keeps_regions_and_phase(staff_admin):
    round_ = make_round(staff_admin, regions=[Region.WESSEX, Region.OXFORD])
    with pytest.raises(JoiningError) as error:
        round_update(
            actor=staff_admin,
            round_=round_,
            **_round_kwargs(round_, regions=[Region.WESSEX], phase=Phase.NATIONAL),
        )
    assert error.value.errors == {
        "phase": "The phase cannot change after the round has opened",
        "regions": "Regions cannot be taken off a round after it has opened",
    }
    round_update(
        actor=staff_admin,
        round_=round_,
        **_round_kwargs(round_, regions=[Region.WESSEX, Region.OXFORD, Region.WALES]),
    )
    round_.refresh_from_db()
    assert round_.regions == sorted([Region.WESSEX, Region.OXFORD, Region.WALES])


def test_round_dates_must_be_in_order(staff_admin):
    round_ = make_round(staff_admin, open_now=False)
    with pytest.raises(JoiningError) as error:
        round_update(
            actor=staff_admin,
            round_=round_,
            **_round_kwargs(round_, closes_at=round_.opens_at - dt.timedelta(hours=1)),
        )
    assert error.value.errors == {"closes_at": "The closing date must be after the opening date"}


def test_round_needs_staff(member, staff_admin):
    round_ = make_round(staff_admin, open_now=False)
    with pytest.raises(JoiningError, match="permission"):
        round_transition(actor=member, round_=round_, action="open")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT


def test_release_is_never_before_its_date_whoever_takes_it(staff_admin, member):
    round_ = make_round(staff_admin)
    for action in ("close", "start_review", "mark_decided"):
        round_ = round_transition(actor=staff_admin, round_=round_, action=action)
    with pytest.raises(JoiningError, match="permission"):
        round_transition(actor=member, round_=round_, action="release")
    with pytest.raises(JoiningError, match="before the release date"):
        round_transition(actor=staff_admin, round_=round_, action="release")
    with pytest.raises(JoiningError, match="before the release date"):
        round_transition(actor=None, round_=round_, action="release")
    released = round_transition(
        actor=None, round_=round_, action="release", now=round_.decisions_release_at
    )
    assert released.status == RoundStatus.RELEASED


def test_rounds_accepting_by_region(staff_admin):
    open_round = make_round(staff_admin, regions=[Region.WESSEX])
    make_round(staff_admin, regions=[Region.OXFORD], name="Oxford")
    make_round(staff_admin, regions=[Region.WESSEX], open_now=False, name="Draft")
    assert list(rounds_accepting(region=Region.WESSEX)) == [open_round]


# Applications ----------------------------------------------------------------------------------


def test_second_application_in_a_round_refused(staff_admin, user):
    round_ = make_round(staff_admin)
    application_create(actor=user, round_=round_)
    with pytest.raises(JoiningError, match="already have an application in this round"):
        application_create(actor=user, round_=round_)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(round=round_, applicant=user)
    assert Application.objects.filter(applicant=user).count() == 1


def test_submit_assigns_reference_and_queues_confirmation(staff_admin, user):
    round_ = make_round(staff_admin)
    application = complete_draft(user, round_)
    submitted = application_submit(actor=user, application=application)
    year = timezone.localtime(submitted.submitted_at).year
    assert submitted.reference == f"Q-{year}-{application.pk:05d}"
    assert submitted.status == ApplicationStatus.SUBMITTED
    email = OutboxEmail.objects.get(kind="application_submitted")
    assert email.recipient == user.email
    assert submitted.reference in email.subject
    assert "Regional wave 3" in email.body_text
    entry = AuditEntry.objects.get(action="application.submit")
    assert entry.data == {"from": "draft", "to": "submitted", "reference": submitted.reference}


def test_submit_to_a_closed_round_refused_and_nothing_lost(staff_admin, user):
    round_ = make_round(staff_admin)
    application = complete_draft(user, round_)
    round_close(actor=staff_admin, round_=round_)
    with pytest.raises(JoiningError) as error:
        application_submit(actor=user, application=application)
    assert error.value.errors == {
        "round": "This round is closed, so applications can no longer be submitted."
    }
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.answers.count() == 3
    assert not OutboxEmail.objects.filter(kind="application_submitted").exists()


def test_application_create_refused_when_round_not_accepting(staff_admin, user):
    round_ = make_round(staff_admin, open_now=False)
    with pytest.raises(JoiningError, match="not open for applications"):
        application_create(actor=user, round_=round_)


def test_over_limit_answer_saved_but_blocks_submit(staff_admin, user):
    short = [CriterionSpec(c.title, c.description, word_limit=10) for c in CRITERIA]
    round_ = make_round(staff_admin, criteria=short)
    application = complete_draft(user, round_)
    criterion = round_.scheme.criteria.get(position=2)
    text = "one two three four five six seven eight nine ten eleven twelve"
    saved = application_save_draft(
        actor=user, application=application, answers={criterion.pk: text}
    )
    answer = application.answers.get(criterion=criterion)
    assert (answer.text, answer.words) == (text, 12)
    key = f"answer_{criterion.pk}"
    assert saved.problems == {
        key: "Your answer to \u201cExperience of improvement across boundaries\u201d is 2 words "
        "over the limit of 10. It is saved; shorten it before you submit."
    }
    with pytest.raises(JoiningError) as error:
        application_submit(actor=user, application=application)
    assert set(error.value.errors) == {key}
    application_save_draft(actor=user, application=application, answers={criterion.pk: "five"})
    assert application_submit(actor=user, application=application).reference


def test_submit_lists_everything_missing(staff_admin, user):
    round_ = make_round(staff_admin)
    application = application_create(actor=user, round_=round_)
    problems = application_submit_problems(application)
    criteria = list(round_.scheme.criteria.all())
    assert list(problems) == [
        "job_title",
        "organisation",
        "organisation_type",
        "role_types",
        "region",
        *[f"answer_{c.pk}" for c in criteria],
        "commitments",
    ]


def test_region_and_phase_conditions(staff_admin, user):
    founding = make_round(staff_admin, phase=Phase.FOUNDING, name="Founding")
    NominationCode.objects.create(round=founding, code="QF-7K2D", nominating_organisation="NHS")
    application = complete_draft(user, founding, region=Region.OXFORD)
    problems = application_submit_problems(application)
    assert problems["region"] == (
        "This round is not open to your region. Look out for a later round."
    )
    assert problems["nomination_code"] == "Enter the nomination code you were given"
    saved = application_save_draft(
        actor=user, application=application, facts={"nomination_code": "nope"}
    )
    assert saved.application.nomination_code is None
    assert saved.problems["nomination_code"].startswith("Enter the nomination code")
    application = application_save_draft(
        actor=user,
        application=application,
        facts={"nomination_code": " qf-7k2d ", "region": Region.WESSEX},
    ).application
    assert application_submit_problems(application) == {}

    alumni = make_round(
        staff_admin, phase=Phase.ALUMNI, name="Alumni", courses=[("Improvement Fellows", "Q")]
    )
    application = complete_draft(UserFactory(), alumni)
    assert set(application_submit_problems(application)) == {"course", "course_year"}


def test_commitments_record_wording_and_time(staff_admin, user):
    round_ = make_round(staff_admin)
    application = complete_draft(user, round_)
    entry = application.commitments[0]
    assert entry["commitment"] == Commitment.DIRECTORY
    assert entry["wording"] == "Keep my directory entry up to date"
    application_save_draft(actor=user, application=application, commitments=[Commitment.DIRECTORY])
    application.refresh_from_db()
    assert application.commitments == [entry]
    assert application_submit_problems(application) == {
        "commitments": "Accept each of the commitments to submit your application"
    }


def test_only_the_applicant_changes_their_application(staff_admin, user):
    round_ = make_round(staff_admin)
    application = complete_draft(user, round_)
    intruder = UserFactory()
    with pytest.raises(JoiningError, match="permission"):
        application_save_draft(actor=intruder, application=application, facts={"job_title": "x"})
    with pytest.raises(JoiningError, match="permission"):
        application_withdraw(actor=intruder, application=application)
    application.refresh_from_db()
    assert (application.job_title, application.status) == ("Improvement lead", "draft")


# Panels ----------------------------------------------------------------------------------------


@pytest.fixture
def panel_setup(staff_admin):
    """An open Wessex round with a panel of three reviewers and a chair."""
    round_ = make_round(staff_admin)
    panel = round_panel_create(actor=staff_admin, round_=round_, region=Region.WESSEX)
    reviewers = [UserFactory() for _ in range(3)]
    orgs = ["Southdown NHS Trust", "  northshire health TRUST ", "Coastal Care"]
    for reviewer, org in zip(reviewers, orgs, strict=True):
        round_panel_member_add(actor=staff_admin, panel=panel, user=reviewer, organisation=org)
    chair = UserFactory()
    round_panel_member_add(actor=staff_admin, panel=panel, user=chair, role=PanelRole.CHAIR)
    return round_, panel, reviewers, chair


def test_organisation_key():
    assert organisation_key("  Northshire   Health TRUST ") == "northshire health trust"


def test_same_organisation_never_assigned_and_conflicts_move_on(staff_admin, panel_setup):
    round_, panel, (south, north, coastal), _ = panel_setup
    applications = []
    for _ in range(4):
        application = application_submit(
            actor=(applicant := UserFactory()), application=complete_draft(applicant, round_)
        )
        applications.append(
            application_transition(
                actor=staff_admin, application=application, action="start_review"
            )
        )
    application_assignments_distribute(actor=staff_admin, panel=panel)
    assert not panel.assignments.filter(reviewer=north).exists()
    assert panel.assignments.filter(reviewer=south).count() == 4
    assert panel.assignments.filter(reviewer=coastal).count() == 4

    assignment = panel.assignments.filter(reviewer=south).first()
    replacement = workspace_declare_conflict(
        APPLICATION_PANELS, actor=south, assignment=assignment, reason="My sister"
    )
    # Nobody is left: north works at the applicant's organisation, coastal already has it.
    assert replacement is None
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CONFLICT


def _reach(status, *, staff, round_, panel, reviewers, chair):
    """An application brought to `status` through the real services."""
    applicant = UserFactory()
    application = complete_draft(applicant, round_, organisation=f"Org of {applicant.pk}")
    if status == ApplicationStatus.DRAFT:
        return application, applicant
    if status == ApplicationStatus.WITHDRAWN:
        return application_withdraw(actor=applicant, application=application), applicant
    application = application_submit(actor=applicant, application=application)
    if status == ApplicationStatus.SUBMITTED:
        return application, applicant
    application = application_transition(
        actor=staff, application=application, action="start_review"
    )
    application_assignments_distribute(actor=staff, panel=panel, applications=[application])
    for assignment in panel.assignments.filter(subject_id=application.pk):
        review_submit(
            actor=assignment.reviewer,
            assignment=assignment,
            scores=[ScoreInput(c.pk, 2) for c in round_.scheme.criteria.all()],
            recommendation=Recommendation.SUPPORT,
        )
    if status == ApplicationStatus.IN_REVIEW:
        return application, applicant
    return application_decide(
        actor=chair,
        application=application,
        accept=status == ApplicationStatus.ACCEPTED,
        rationale="Clear evidence",
        feedback="Say more about what you learnt",
    ), applicant


ACTORS = {
    "submit": "applicant",
    "withdraw": "applicant",
    "start_review": "staff",
    "accept": "chair",
    "not_yet": "chair",
    "reopen": "chair",
}


@pytest.mark.parametrize("action", sorted(APPLICATION_TRANSITIONS))
@pytest.mark.parametrize("status", ApplicationStatus.values)
def test_transition_table(staff_admin, panel_setup, status, action):
    """Every allowed move works; every other move is refused and changes nothing."""
    round_, panel, reviewers, chair = panel_setup
    application, applicant = _reach(
        status, staff=staff_admin, round_=round_, panel=panel, reviewers=reviewers, chair=chair
    )
    actor = {"applicant": applicant, "staff": staff_admin, "chair": chair}[ACTORS[action]]
    transition = APPLICATION_TRANSITIONS[action]
    kwargs = {"rationale": "Clear evidence", "feedback": "Say more about what you learnt"}
    if status in transition.sources:
        moved = application_transition(
            actor=actor, application=application, action=action, **kwargs
        )
        assert moved.status == transition.target
        assert AuditEntry.objects.filter(
            action=f"application.{action}", target_id=str(application.pk)
        ).exists()
    else:
        with pytest.raises(JoiningError):
            application_transition(actor=actor, application=application, action=action, **kwargs)
        application.refresh_from_db()
        assert application.status == status


def test_double_decision_refused_with_message(staff_admin, panel_setup):
    round_, panel, reviewers, chair = panel_setup
    application, _ = _reach(
        ApplicationStatus.ACCEPTED,
        staff=staff_admin,
        round_=round_,
        panel=panel,
        reviewers=reviewers,
        chair=chair,
    )
    refusal = r"already been recorded for this application \(accepted\)\. To change it"
    with pytest.raises(JoiningError, match=refusal):
        application_decide(
            actor=chair, application=application, accept=False, rationale="x", feedback="y"
        )


def test_decision_needs_reviews_rationale_and_feedback(staff_admin, panel_setup):
    round_, panel, reviewers, chair = panel_setup
    application, _ = _reach(
        ApplicationStatus.SUBMITTED,
        staff=staff_admin,
        round_=round_,
        panel=panel,
        reviewers=reviewers,
        chair=chair,
    )
    application = application_transition(
        actor=staff_admin, application=application, action="start_review"
    )
    application_assignments_distribute(actor=staff_admin, panel=panel, applications=[application])
    with pytest.raises(JoiningError, match="2 reviews are still to come"):
        application_decide(actor=chair, application=application, accept=True, rationale="Good")
    with pytest.raises(JoiningError) as error:
        application_decide(actor=chair, application=application, accept=False, rationale="")
    assert error.value.errors == {
        "rationale": "Give the reason for the decision (the panel and staff see it)",
        "feedback": "Write feedback for the applicant",
    }


def test_chair_of_another_region_cannot_decide(staff_admin, panel_setup):
    round_, panel, reviewers, chair = panel_setup
    application, _ = _reach(
        ApplicationStatus.IN_REVIEW,
        staff=staff_admin,
        round_=round_,
        panel=panel,
        reviewers=reviewers,
        chair=chair,
    )
    round_update(
        actor=staff_admin,
        round_=round_,
        **_round_kwargs(round_, regions=[*round_.regions, Region.OXFORD]),
    )
    round_.refresh_from_db()
    oxford = round_panel_create(actor=staff_admin, round_=round_, region=Region.OXFORD)
    other_chair = UserFactory()
    round_panel_member_add(actor=staff_admin, panel=oxford, user=other_chair, role="chair")
    with pytest.raises(JoiningError, match="permission"):
        application_decide(actor=other_chair, application=application, accept=True, rationale="x")
    with pytest.raises(JoiningError, match="permission"):
        application_decide(actor=reviewers[0], application=application, accept=True, rationale="x")


def test_unreleased_decision_shown_to_applicant_as_in_review(staff_admin, panel_setup):
    round_, panel, reviewers, chair = panel_setup
    application, _ = _reach(
        ApplicationStatus.NOT_YET,
        staff=staff_admin,
        round_=round_,
        panel=panel,
        reviewers=reviewers,
        chair=chair,
    )
    assert application_status_for_applicant(application) == ApplicationStatus.IN_REVIEW
    application.released_at = timezone.now()
    assert application_status_for_applicant(application) == ApplicationStatus.NOT_YET


def test_round_start_review_sends_applications_to_region_panels(staff_admin, panel_setup):
    round_, _panel, _reviewers, _ = panel_setup
    applicants = [UserFactory() for _ in range(3)]
    for applicant in applicants:
        application_submit(actor=applicant, application=complete_draft(applicant, round_))
    round_close(actor=staff_admin, round_=round_)
    distributions = round_start_review(actor=staff_admin, round_=round_)
    assert len(distributions[Region.WESSEX].created) == 6
    assert set(Application.objects.values_list("status", flat=True)) == {"in_review"}
    round_.refresh_from_db()
    assert round_.status == RoundStatus.REVIEWING
