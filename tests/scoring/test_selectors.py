from django.contrib.contenttypes.models import ContentType

from qcommunity.scoring.enums import PanelRole, Recommendation
from qcommunity.scoring.selectors import (
    panel_score_table,
    reviewer_progress,
    subject_reviews_for_viewer,
)
from qcommunity.scoring.services import (
    ScoreInput,
    assignments_distribute,
    panel_create,
    panel_member_add,
    review_submit,
)
from tests.factories.accounts import UserFactory
from tests.querycount import assert_constant_queries


def _setup(staff, scheme, subjects=1):
    panel = panel_create(actor=staff, scheme=scheme, owner=scheme, name="Panel")
    a, b, chair = UserFactory(), UserFactory(), UserFactory()
    panel_member_add(actor=staff, panel=panel, user=a)
    panel_member_add(actor=staff, panel=panel, user=b)
    panel_member_add(actor=staff, panel=panel, user=chair, role=PanelRole.CHAIR)
    people = [UserFactory() for _ in range(subjects)]
    assignments_distribute(actor=staff, panel=panel, subjects=people)
    return panel, a, b, chair, people


def _submit(panel, reviewer, subject, values):
    assignment = panel.assignments.get(reviewer=reviewer, subject_id=subject.pk)
    criteria = list(panel.scheme.criteria.all())
    return review_submit(
        actor=reviewer,
        assignment=assignment,
        scores=[ScoreInput(c.pk, v) for c, v in zip(criteria, values, strict=True)],
        recommendation=Recommendation.SUPPORT,
    )


def test_other_scores_hidden_until_own_review_submitted(staff_admin, scheme):
    panel, a, b, chair, (subject,) = _setup(staff_admin, scheme)
    _submit(panel, a, subject, [3, 3, 3])

    assert subject_reviews_for_viewer(viewer=b, panel=panel, subject=subject) is None
    assert subject_reviews_for_viewer(viewer=UserFactory(), panel=panel, subject=subject) is None
    assert len(subject_reviews_for_viewer(viewer=chair, panel=panel, subject=subject)) == 1
    assert len(subject_reviews_for_viewer(viewer=staff_admin, panel=panel, subject=subject)) == 1
    assert len(subject_reviews_for_viewer(viewer=a, panel=panel, subject=subject)) == 1

    _submit(panel, b, subject, [1, 3, 2])
    seen = subject_reviews_for_viewer(viewer=b, panel=panel, subject=subject)
    assert [r.assignment.reviewer for r in seen] == [a, b]


def test_score_table_spread_flags_and_disagreement_order(staff_admin, scheme):
    panel, a, b, _, (calm, split) = _setup(staff_admin, scheme, subjects=2)
    _submit(panel, a, calm, [2, 2, 2])
    _submit(panel, b, calm, [2, 3, 2])
    _submit(panel, a, split, [3, 3, 3])
    _submit(panel, b, split, [1, 3, 2])
    first, second = panel_score_table(
        panel=panel,
        subject_type=ContentType.objects.get_for_model(calm),
        subject_ids=[calm.pk, split.pk],
    )
    assert (first.subject_id, first.totals, first.spread) == (split.pk, [9, 6], 3)
    assert [c.title for c in first.flagged] == ["Commitment to collaborative improvement"]
    assert (second.subject_id, second.spread, second.flagged) == (calm.pk, 1, [])


def test_score_table_puts_subjects_waiting_for_reviews_after_complete_ones(staff_admin, scheme):
    panel, a, b, _, (calm, waiting, split) = _setup(staff_admin, scheme, subjects=3)
    _submit(panel, a, calm, [2, 2, 2])
    _submit(panel, b, calm, [2, 2, 2])
    _submit(panel, a, split, [3, 3, 3])
    _submit(panel, b, split, [0, 1, 0])
    _submit(panel, a, waiting, [3, 3, 3])  # one of two reviews in
    rows = panel_score_table(
        panel=panel,
        subject_type=ContentType.objects.get_for_model(calm),
        subject_ids=[calm.pk, waiting.pk, split.pk],
    )
    assert [r.subject_id for r in rows] == [split.pk, calm.pk, waiting.pk]
    assert [r.complete for r in rows] == [True, True, False]
    assert [r.reviews_in_text for r in rows] == ["2 of 2 reviews"] * 2 + ["1 of 2 reviews"]
    # A calm pair that agrees reads 0; one review alone is not agreement.
    assert [r.spread_text for r in rows] == ["8", "0", "Not known yet"]


def test_score_table_queries_constant(staff_admin, scheme):
    panel, a, b, _, subjects = _setup(staff_admin, scheme, subjects=1)
    user_type = ContentType.objects.get_for_model(staff_admin)

    def review_all(people):
        for subject in people:
            _submit(panel, a, subject, [2, 2, 2])
            _submit(panel, b, subject, [1, 2, 3])

    def add_rows(n):
        people = [UserFactory() for _ in range(n)]
        assignments_distribute(actor=staff_admin, panel=panel, subjects=people)
        review_all(people)
        subjects.extend(people)

    review_all(subjects)
    table = lambda: panel_score_table(  # noqa: E731
        panel=panel, subject_type=user_type, subject_ids=[s.pk for s in subjects]
    )
    assert_constant_queries(table, add_rows, many=5)
    assert len(table()) == 6


def test_reviewer_progress_counts(staff_admin, scheme):
    panel, a, b, chair, (one, _two) = _setup(staff_admin, scheme, subjects=2)
    _submit(panel, a, one, [2, 2, 2])
    rows = {row["member"].user: row for row in reviewer_progress(panel=panel)}
    assert (rows[a]["done"], rows[a]["outstanding"]) == (1, 1)
    assert (rows[b]["done"], rows[b]["outstanding"]) == (0, 2)
    assert (rows[chair]["done"], rows[chair]["outstanding"]) == (0, 0)
