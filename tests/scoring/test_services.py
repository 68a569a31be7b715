"""The scoring kit on its own: any row can own a panel and any rows can be its subjects (here
the scheme owns the panel and people are the subjects)."""

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.scoring.enums import AssignmentStatus, PanelRole, Recommendation
from qcommunity.scoring.models import Assignment, CriterionScore, PanelMember, Review
from qcommunity.scoring.services import (
    CriterionSpec,
    ScalePointSpec,
    SchemeLockedError,
    ScoreInput,
    ScoringError,
    assignment_declare_conflict,
    assignment_reassign,
    assignments_distribute,
    assignments_withdraw_for_reviewer,
    panel_create,
    panel_member_add,
    panel_member_remove,
    review_submit,
    scheme_lock,
    scheme_set_content,
)
from tests.factories.accounts import UserFactory
from tests.factories.joining import CRITERIA, SCALE
from tests.querycount import count_queries


def _panel(staff, scheme, reviewers=3, reviews_needed=2, name="Panel"):
    panel = panel_create(
        actor=staff, scheme=scheme, owner=scheme, name=name, reviews_needed=reviews_needed
    )
    people = [UserFactory() for _ in range(reviewers)]
    for person in people:
        panel_member_add(actor=staff, panel=panel, user=person)
    return panel, people


def _scores(scheme, value=2):
    return [ScoreInput(c.pk, value, "Clear example") for c in scheme.criteria.all()]


def test_scheme_content_changes_until_locked_then_refused(staff_admin, scheme):
    new_criteria = [*CRITERIA[:2], CriterionSpec("Reflection", "What you learnt.", word_limit=100)]
    scheme_set_content(actor=staff_admin, scheme=scheme, criteria=new_criteria, scale=SCALE)
    assert [c.title for c in scheme.criteria.all()][2] == "Reflection"
    update = AuditEntry.objects.get(action="scoring_scheme.update")
    assert update.data["from"]["criteria"][2]["title"] == "Understanding of how to improve"
    assert update.data["to"]["criteria"][2] == {"title": "Reflection", "word_limit": 100}

    scheme_lock(actor=staff_admin, scheme=scheme)
    with pytest.raises(SchemeLockedError, match="cannot change after the round has opened"):
        scheme_set_content(actor=staff_admin, scheme=scheme, criteria=CRITERIA, scale=SCALE)
    assert scheme.criteria.count() == 3
    assert scheme.criteria.get(position=3).title == "Reflection"


def test_scheme_needs_two_distinct_scale_points(staff_admin, scheme):
    with pytest.raises(ScoringError) as error:
        scheme_set_content(
            actor=staff_admin,
            scheme=scheme,
            criteria=CRITERIA,
            scale=[ScalePointSpec(1, "A", "a"), ScalePointSpec(1, "B", "b")],
        )
    assert error.value.errors == {"scale": "Give each point of the scale a different score"}


def test_panel_member_gets_two_factor_role_until_on_no_panel(staff_admin, scheme):
    panel, (person,) = _panel(staff_admin, scheme, reviewers=1)
    other = panel_create(actor=staff_admin, scheme=scheme, owner=scheme, name="Other")
    panel_member_add(actor=staff_admin, panel=other, user=person, role=PanelRole.CHAIR)
    person.refresh_from_db()
    assert person.has_role(Role.PANEL_MEMBER)
    assert person.needs_two_factor is True

    panel_member_remove(actor=staff_admin, panel=panel, user=person)
    person = type(person).objects.get(pk=person.pk)
    assert person.has_role(Role.PANEL_MEMBER)
    panel_member_remove(actor=staff_admin, panel=other, user=person)
    person = type(person).objects.get(pk=person.pk)
    assert not person.has_role(Role.PANEL_MEMBER)
    assert not PanelMember.objects.filter(user=person).exists()


def test_panel_member_add_needs_staff(member, scheme, staff_admin):
    panel, _ = _panel(staff_admin, scheme, reviewers=0)
    with pytest.raises(ScoringError, match="permission"):
        panel_member_add(actor=member, panel=panel, user=member)


# Hypothesis seeds the random module for each example, so names come from a counter.
PANEL_NUMBERS = itertools.count(1)


@pytest.fixture
def people(db):
    return [UserFactory() for _ in range(40)]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    n_reviewers=st.integers(min_value=1, max_value=7),
    n_subjects=st.integers(min_value=0, max_value=30),
    reviews_needed=st.integers(min_value=1, max_value=3),
    exclusion_seed=st.integers(min_value=0, max_value=10_000),
    exclusion_rate=st.sampled_from([0.0, 0.0, 0.1, 0.4]),
)
def test_distribution_even_and_never_excluded(
    staff_admin,
    scheme,
    people,
    n_reviewers,
    n_subjects,
    reviews_needed,
    exclusion_seed,
    exclusion_rate,
):
    """Property: every subject gets min(reviews needed, eligible reviewers) distinct reviewers,
    never an excluded pair; with no exclusions loads differ by at most one; a second run adds
    nothing."""
    panel = panel_create(
        actor=staff_admin,
        scheme=scheme,
        owner=scheme,
        name=f"Panel {next(PANEL_NUMBERS)}",
        reviews_needed=reviews_needed,
    )
    reviewers = people[:n_reviewers]
    subjects = people[n_reviewers : n_reviewers + n_subjects]
    for reviewer in reviewers:
        panel_member_add(actor=staff_admin, panel=panel, user=reviewer)
    rng = random.Random(exclusion_seed)
    excluded = {(r.pk, s.pk) for r in reviewers for s in subjects if rng.random() < exclusion_rate}

    result = assignments_distribute(
        actor=staff_admin, panel=panel, subjects=subjects, excluded=excluded, rng=rng
    )

    rows = list(panel.assignments.values_list("reviewer_id", "subject_id"))
    assert len(rows) == len(result.created) == len(set(rows))
    assert not set(rows) & excluded
    for subject in subjects:
        eligible = sum((r.pk, subject.pk) not in excluded for r in reviewers)
        got = sum(1 for _, s in rows if s == subject.pk)
        assert got == min(reviews_needed, eligible)
        assert result.short.get(subject.pk, 0) == reviews_needed - got
    loads = [sum(1 for r, _ in rows if r == reviewer.pk) for reviewer in reviewers]
    if not excluded:
        assert max(loads) - min(loads) <= 1
    again = assignments_distribute(
        actor=staff_admin, panel=panel, subjects=subjects, excluded=excluded
    )
    assert again.created == []


def test_distribution_tops_up_without_duplicating(staff_admin, scheme):
    panel, reviewers = _panel(staff_admin, scheme, reviewers=4, reviews_needed=2)
    subjects = [UserFactory() for _ in range(6)]
    assignments_distribute(actor=staff_admin, panel=panel, subjects=subjects[:3])
    assignments_distribute(actor=staff_admin, panel=panel, subjects=subjects)
    assert panel.assignments.count() == 12
    loads = sorted(panel.assignments.filter(reviewer=r).count() for r in reviewers)
    assert loads == [3, 3, 3, 3]


def test_distribution_runs_the_same_queries_however_many_subjects(staff_admin, scheme):
    def distribute_counting(n_subjects: int) -> int:
        name = f"Panel for {n_subjects}"
        panel, _ = _panel(staff_admin, scheme, reviewers=3, reviews_needed=2, name=name)
        subjects = [UserFactory() for _ in range(n_subjects)]
        queries, _ = count_queries(
            lambda: assignments_distribute(actor=staff_admin, panel=panel, subjects=subjects)
        )
        assert panel.assignments.count() == 2 * n_subjects
        return queries

    distribute_counting(3)  # warm up one-off lookups (content types)

    assert distribute_counting(2) == distribute_counting(20)


def test_distribution_audits_each_new_assignment(staff_admin, scheme):
    panel, _ = _panel(staff_admin, scheme, reviewers=3, reviews_needed=2)
    subjects = [UserFactory() for _ in range(2)]
    assignments_distribute(actor=staff_admin, panel=panel, subjects=subjects)
    assignments_distribute(actor=staff_admin, panel=panel, subjects=subjects)  # adds nothing
    entries = AuditEntry.objects.filter(action="scoring_assignment.create")
    assert sorted(int(e.target_id) for e in entries) == sorted(
        panel.assignments.values_list("pk", flat=True)
    )
    assignment = panel.assignments.first()
    entry = entries.get(target_id=str(assignment.pk))
    assert entry.actor == staff_admin
    assert entry.data == {
        "reviewer": assignment.reviewer_id,
        "subject": assignment.subject_id,
        "panel": panel.pk,
    }


def test_declared_conflict_moves_subject_to_least_loaded_eligible(staff_admin, scheme):
    panel, (a, b, c, d) = _panel(staff_admin, scheme, reviewers=4, reviews_needed=1)
    subject = UserFactory()
    assignments_distribute(
        actor=staff_admin,
        panel=panel,
        subjects=[subject],
        excluded={(b.pk, subject.pk), (c.pk, subject.pk), (d.pk, subject.pk)},
    )
    first = panel.assignments.get()
    assert first.reviewer == a
    # c is busier than d, b is excluded: d gets it.
    assignments_distribute(
        actor=staff_admin, panel=panel, subjects=[UserFactory()], excluded=lambda r, s: r != c.pk
    )
    replacement = assignment_declare_conflict(
        actor=a, assignment=first, reason="I line-manage them", excluded={(b.pk, subject.pk)}
    )
    first.refresh_from_db()
    assert first.status == AssignmentStatus.CONFLICT
    assert first.conflict_reason == "I line-manage them"
    assert replacement.reviewer == d
    # The conflict is remembered: topping up never gives it back to a.
    assignment_declare_conflict(actor=d, assignment=replacement, reason="Same team")
    again = assignments_distribute(actor=staff_admin, panel=panel, subjects=[subject])
    holders = set(
        panel.assignments.filter(
            subject_id=subject.pk, status=AssignmentStatus.ASSIGNED
        ).values_list("reviewer_id", flat=True)
    )
    assert holders <= {b.pk, c.pk}
    assert again.created == []


def test_declare_conflict_only_by_the_reviewer_and_with_a_reason(staff_admin, scheme):
    panel, (a, b) = _panel(staff_admin, scheme, reviewers=2, reviews_needed=1)
    assignments_distribute(actor=staff_admin, panel=panel, subjects=[UserFactory()])
    assignment = panel.assignments.get()
    other = b if assignment.reviewer == a else a
    with pytest.raises(ScoringError, match="Only the reviewer"):
        assignment_declare_conflict(actor=other, assignment=assignment, reason="x")
    with pytest.raises(ScoringError, match="Say briefly what the conflict is"):
        assignment_declare_conflict(actor=assignment.reviewer, assignment=assignment, reason=" ")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_reassign_by_staff_checks_target_and_reinstates(staff_admin, scheme):
    panel, (a, b) = _panel(staff_admin, scheme, reviewers=2, reviews_needed=1)
    outsider = UserFactory()
    subject = UserFactory()
    assignments_distribute(
        actor=staff_admin, panel=panel, subjects=[subject], excluded={(b.pk, subject.pk)}
    )
    assignment = panel.assignments.get()
    assert assignment.reviewer == a
    with pytest.raises(ScoringError, match="not a reviewer on this panel"):
        assignment_reassign(actor=staff_admin, assignment=assignment, to_user=outsider)
    with pytest.raises(ScoringError, match="conflict of interest"):
        assignment_reassign(
            actor=staff_admin, assignment=assignment, to_user=b, excluded={(b.pk, subject.pk)}
        )
    with pytest.raises(ScoringError, match="permission"):
        assignment_reassign(actor=a, assignment=assignment, to_user=b)

    to_b = assignment_reassign(actor=staff_admin, assignment=assignment, to_user=b)
    assert to_b.reviewer == b
    back = assignment_reassign(actor=staff_admin, assignment=to_b, to_user=a)
    assert back.pk == assignment.pk
    assert back.status == AssignmentStatus.ASSIGNED
    assert panel.assignments.filter(status=AssignmentStatus.ASSIGNED).count() == 1


def test_review_submit_writes_scores_and_refuses_a_second_time(staff_admin, scheme):
    panel, _ = _panel(staff_admin, scheme, reviewers=1, reviews_needed=1)
    assignments_distribute(actor=staff_admin, panel=panel, subjects=[UserFactory()])
    assignment = panel.assignments.get()
    review = review_submit(
        actor=assignment.reviewer,
        assignment=assignment,
        scores=_scores(scheme, 3),
        recommendation=Recommendation.SUPPORT,
        comment="Strong",
    )
    assert sorted(review.scores.values_list("value", flat=True)) == [3, 3, 3]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    with pytest.raises(ScoringError, match="already submitted this review"):
        review_submit(
            actor=assignment.reviewer,
            assignment=assignment,
            scores=_scores(scheme, 1),
            recommendation=Recommendation.OPPOSE,
        )
    assert Review.objects.count() == 1
    assert sorted(CriterionScore.objects.values_list("value", flat=True)) == [3, 3, 3]
    audit = AuditEntry.objects.get(action="scoring_review.submit")
    assert sorted(audit.data["scores"].values()) == [3, 3, 3]


def test_review_outside_scale_or_incomplete_is_refused_and_nothing_written(staff_admin, scheme):
    panel, _ = _panel(staff_admin, scheme, reviewers=1, reviews_needed=1)
    assignments_distribute(actor=staff_admin, panel=panel, subjects=[UserFactory()])
    assignment = panel.assignments.get()
    first, second, third = scheme.criteria.all()
    with pytest.raises(ScoringError) as error:
        review_submit(
            actor=assignment.reviewer,
            assignment=assignment,
            scores=[ScoreInput(first.pk, 4), ScoreInput(second.pk, 2)],
            recommendation="maybe",
        )
    assert error.value.errors == {
        f"criterion_{first.pk}": (
            "Choose a score from 0 to 3 for \u201cCommitment to collaborative improvement\u201d"
        ),
        f"criterion_{third.pk}": "Score \u201cUnderstanding of how to improve\u201d",
        "recommendation": "Choose your recommendation",
    }
    assert "Nothing has been sent yet" in str(error.value)
    assert not Review.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_review_submit_only_by_its_reviewer(staff_admin, scheme):
    panel, _ = _panel(staff_admin, scheme, reviewers=2, reviews_needed=1)
    assignments_distribute(actor=staff_admin, panel=panel, subjects=[UserFactory()])
    assignment = panel.assignments.get()
    for intruder in (staff_admin, UserFactory()):
        with pytest.raises(ScoringError, match="Only the reviewer"):
            review_submit(
                actor=intruder,
                assignment=assignment,
                scores=_scores(scheme),
                recommendation=Recommendation.SUPPORT,
            )
    assert not Assignment.objects.filter(status=AssignmentStatus.SUBMITTED).exists()


def test_withdrawing_a_leaving_reviewers_work_keeps_what_they_finished(staff_admin, scheme):
    from django.contrib.contenttypes.models import ContentType

    panel, (a, b) = _panel(staff_admin, scheme, reviewers=2, reviews_needed=2)
    subjects = [UserFactory() for _ in range(3)]
    assignments_distribute(actor=staff_admin, panel=panel, subjects=subjects)
    done, *open_ = panel.assignments.filter(reviewer=a).order_by("id")
    review_submit(
        actor=a,
        assignment=done,
        scores=_scores(scheme),
        recommendation=Recommendation.SUPPORT,
        comment="Good",
    )
    other_type = ContentType.objects.get_for_model(PanelMember)
    assert assignments_withdraw_for_reviewer(user=a, owner_type=other_type) == 0
    owner_type = ContentType.objects.get_for_model(scheme)
    assert assignments_withdraw_for_reviewer(user=a, owner_type=owner_type) == len(open_)
    statuses = dict(panel.assignments.filter(reviewer=a).values_list("pk", "status"))
    assert statuses[done.pk] == AssignmentStatus.SUBMITTED
    assert {statuses[x.pk] for x in open_} == {AssignmentStatus.WITHDRAWN}
    assert set(panel.assignments.filter(reviewer=b).values_list("status", flat=True)) == {
        AssignmentStatus.ASSIGNED
    }
    withdrawals = AuditEntry.objects.filter(action="scoring_assignment.withdraw")
    assert sorted(int(e.target_id) for e in withdrawals) == sorted(x.pk for x in open_)


def test_work_is_never_given_to_a_deactivated_reviewer(staff_admin, scheme):
    panel, (a, b, c) = _panel(staff_admin, scheme, reviewers=3, reviews_needed=2)
    c.is_active = False
    c.save(update_fields=["is_active"])
    subjects = [UserFactory() for _ in range(4)]
    result = assignments_distribute(actor=staff_admin, panel=panel, subjects=subjects)
    assert {x.reviewer_id for x in result.created} == {a.pk, b.pk}
    assignment = panel.assignments.filter(reviewer=a).first()
    with pytest.raises(ScoringError, match="can no longer sign in"):
        assignment_reassign(actor=staff_admin, assignment=assignment, to_user=c)
