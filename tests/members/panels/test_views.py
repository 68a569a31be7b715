"""The panel workspace (/panels/): reviewers' lists, the conflict step, scoring with a check
step, who sees which scores, the chair's workspace and decisions; every bad input."""

import re

import pytest
from django.urls import reverse

from members.joining.enums import ApplicationStatus
from members.joining.models import Application
from qcommunity.audit.models import AuditEntry
from qcommunity.scoring.enums import AssignmentStatus
from qcommunity.scoring.models import Assignment, Review
from tests.factories.panels import panel_in_review, send_to_review, staff_user, submit_review
from tests.pages import error_messages
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staff_user()


@pytest.fixture
def setup(staff):
    return panel_in_review(staff)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _criteria(setup):
    return list(setup.panel.scheme.criteria.order_by("position"))


def _scores(setup, value="2", **extra):
    data = {f"criterion_{c.pk}": value for c in _criteria(setup)}
    data.update({f"comment_{c.pk}": f"My view on {c.title}" for c in _criteria(setup)})
    return {**data, "recommendation": "support", "comment": "Strong overall", **extra}


def _start(client, assignment):
    response = client.post(
        reverse("members:assignment-detail", args=[assignment.pk]), {"has_conflict": "no"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == reverse(
        "members:assignment-review", args=[assignment.pk]
    )


def _review_through_the_site(client, setup, reviewer, value="2"):
    assignment = setup.assignments_of(reviewer)[0]
    client.force_login(reviewer)
    _start(client, assignment)
    client.post(reverse("members:assignment-review", args=[assignment.pk]), _scores(setup, value))
    response = client.post(reverse("members:assignment-check", args=[assignment.pk]))
    assert response.status_code == 302
    return assignment


# Lists ---------------------------------------------------------------------------------------


def test_panel_list_shows_my_panels_with_my_counts(client, setup):
    client.force_login(setup.reviewers[0])
    response = client.get(reverse("members:panel-list"))
    text = _text(response)
    assert "Wessex panel" in text
    # Panel, round, your role, to review, submitted, where the round is.
    assert re.search(r"Wessex panel .+ Reviewer 1 0 Reviews are due by", text)


def test_panel_detail_lists_only_my_assignments(client, staff):
    setup = panel_in_review(staff, applications=3, reviewers=3)
    reviewer = setup.reviewers[0]
    mine = {
        Application.objects.get(pk=a.subject_id).reference for a in setup.assignments_of(reviewer)
    }
    client.force_login(reviewer)
    text = _text(client.get(reverse("members:panel-detail", args=[setup.panel.pk])))
    shown = set(re.findall(r"Q-\d{4}-\d{5,}", text))
    assert shown == mine
    assert len(mine) == 2  # 3 applications x 2 reviews over 3 reviewers


def test_chair_sees_a_link_to_the_workspace_and_reviewers_do_not(client, setup):
    client.force_login(setup.chair)
    chair_page = client.get(reverse("members:panel-detail", args=[setup.panel.pk]))
    client.force_login(setup.reviewers[0])
    reviewer_page = client.get(reverse("members:panel-detail", args=[setup.panel.pk]))
    workspace = reverse("members:chair", args=[setup.panel.pk])
    assert workspace in chair_page.content.decode()
    assert workspace not in reviewer_page.content.decode()


def test_panel_members_must_set_up_two_factor_first(client, staff, setup):
    from qcommunity.accounts.enums import Role
    from tests.factories.accounts import UserFactory

    newcomer = UserFactory(roles=[Role.PANEL_MEMBER])
    client.force_login(newcomer)
    response = client.get(reverse("members:panel-list"))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("accounts:two-factor-required")


def test_panel_list_query_count_is_constant(client, staff):
    from members.panels.services import round_panel_member_add
    from tests.factories.joining import make_round

    setup = panel_in_review(staff)
    reviewer = setup.reviewers[0]
    client.force_login(reviewer)

    def add(n):
        for i in range(n):
            round_ = make_round(staff, name=f"Round {i}")
            from members.panels.services import round_panel_create

            panel = round_panel_create(actor=staff, round_=round_, region="wessex")
            round_panel_member_add(actor=staff, panel=panel, user=reviewer)

    assert_constant_queries(lambda: client.get(reverse("members:panel-list")), add, many=4)


def test_reviewer_assignment_list_query_count_is_constant(client, staff):
    setup = panel_in_review(staff, applications=1, reviewers=2, held_back=6)
    client.force_login(setup.reviewers[0])
    url = reverse("members:panel-detail", args=[setup.panel.pk])

    def add(n):
        send_to_review(staff, setup.panel, setup.held_back[:n])
        for assignment in setup.assignments_of(setup.reviewers[0])[:2]:
            if assignment.status == AssignmentStatus.ASSIGNED:
                submit_review(assignment, [2, 2, 2])

    assert_constant_queries(lambda: client.get(url), add, many=6)
    assert len(setup.assignments_of(setup.reviewers[0])) == 7


# The conflict question -------------------------------------------------------------------------


def test_answers_are_hidden_until_the_reviewer_says_there_is_no_conflict(client, staff):
    setup = panel_in_review(staff)
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    first = client.get(reverse("members:assignment-detail", args=[assignment.pk]))
    text = _text(first)
    assert "any conflict of interest?" in text
    assert "Trust 0" in text  # where they work, to judge a conflict
    assert "I have led work across three teams." not in text
    # The scoring page is not reachable yet.
    early = client.get(reverse("members:assignment-review", args=[assignment.pk]))
    assert early.headers["Location"] == reverse("members:assignment-detail", args=[assignment.pk])
    _start(client, assignment)
    page = client.get(reverse("members:assignment-review", args=[assignment.pk]))
    assert "I have led work across three teams." in _text(page)
    entry = AuditEntry.objects.get(action="scoring_assignment.no_conflict")
    assert (entry.actor_id, entry.target_id) == (setup.reviewers[0].pk, str(assignment.pk))
    # Coming back to the start goes straight to scoring.
    again = client.get(reverse("members:assignment-detail", args=[assignment.pk]))
    assert again.headers["Location"] == reverse("members:assignment-review", args=[assignment.pk])


def test_conflict_needs_a_choice(client, setup):
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    response = client.post(reverse("members:assignment-detail", args=[assignment.pk]), {})
    assert error_messages(response) == ["Say whether you have a conflict of interest"]


def test_conflict_without_a_reason_is_refused_and_changes_nothing(client, setup):
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    response = client.post(
        reverse("members:assignment-detail", args=[assignment.pk]),
        {"has_conflict": "yes", "reason": "  "},
    )
    assert error_messages(response) == ["Say briefly what the conflict is"]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_declared_conflict_frees_the_application_for_another_reviewer(client, staff):
    setup = panel_in_review(staff, reviewers=3)
    reviewer = setup.reviewers[0]
    assignment = setup.assignments_of(reviewer)[0] if setup.assignments_of(reviewer) else None
    if assignment is None:  # the random distribution left this reviewer out
        reviewer = next(r for r in setup.reviewers if setup.assignments_of(r))
        assignment = setup.assignments_of(reviewer)[0]
    client.force_login(reviewer)
    response = client.post(
        reverse("members:assignment-detail", args=[assignment.pk]),
        {"has_conflict": "yes", "reason": "I manage the applicant"},
        follow=True,
    )
    assert "has been given to another reviewer" in _text(response)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.conflict_reason) == (
        AssignmentStatus.CONFLICT,
        "I manage the applicant",
    )
    live = Assignment.objects.filter(
        subject_id=assignment.subject_id, status=AssignmentStatus.ASSIGNED
    )
    assert live.count() == 2
    assert reviewer.pk not in {a.reviewer_id for a in live}
    # The application is no longer on their list, and its page says why.
    page = client.get(reverse("members:assignment-detail", args=[assignment.pk]))
    assert "You declared a conflict of interest" in _text(page)
    assert "I have led work across three teams." not in _text(page)


def test_conflict_with_nobody_left_says_staff_will_find_someone(client, setup):
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    response = client.post(
        reverse("members:assignment-detail", args=[assignment.pk]),
        {"has_conflict": "yes", "reason": "Same team"},
        follow=True,
    )
    assert "Staff will find another reviewer" in _text(response)


# Scoring -------------------------------------------------------------------------------------


def test_score_form_shows_each_point_with_its_descriptor(client, setup):
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    _start(client, assignment)
    page = client.get(reverse("members:assignment-review", args=[assignment.pk])).content.decode()
    criterion = _criteria(setup)[0]
    assert page.count(f'name="criterion_{criterion.pk}"') == 4
    assert "Clear evidence that meets the criterion." in page
    assert "3: Strong" in page


def test_score_outside_the_scale_is_refused_and_keeps_what_was_written(client, setup):
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    _start(client, assignment)
    first = _criteria(setup)[0]
    response = client.post(
        reverse("members:assignment-review", args=[assignment.pk]),
        _scores(setup, **{f"criterion_{first.pk}": "9"}),
    )
    assert response.status_code == 200
    assert error_messages(response) == [
        "Choose a score from 0 to 3 for \u201cCommitment to collaborative improvement\u201d"
    ]
    body = response.content.decode()
    assert "My view on Commitment to collaborative improvement" in body
    assert "Strong overall" in body
    assert not Review.objects.exists()
    # Coming back later shows the same, nothing lost.
    again = client.get(reverse("members:assignment-review", args=[assignment.pk]))
    assert "My view on Commitment to collaborative improvement" in again.content.decode()


def test_missing_scores_and_recommendation_are_named(client, setup):
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    _start(client, assignment)
    response = client.post(reverse("members:assignment-review", args=[assignment.pk]), {})
    assert error_messages(response) == [
        "Choose a score from 0 to 3 for \u201cCommitment to collaborative improvement\u201d",
        "Choose a score from 0 to 3 for \u201cExperience of improvement across boundaries\u201d",
        "Choose a score from 0 to 3 for \u201cUnderstanding of how to improve\u201d",
        "Choose your recommendation",
    ]


def test_check_page_summarises_then_submit_records_the_review(client, setup):
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    _start(client, assignment)
    response = client.post(
        reverse("members:assignment-review", args=[assignment.pk]), _scores(setup, "3")
    )
    assert response.headers["Location"] == reverse("members:assignment-check", args=[assignment.pk])
    check = _text(client.get(response.headers["Location"]))
    assert "3: Strong" in check
    assert "Recommendation Recommend" in check
    assert not Review.objects.exists()
    done = client.post(reverse("members:assignment-check", args=[assignment.pk]), follow=True)
    assert "Your review has been submitted" in _text(done)
    review = Review.objects.get()
    assert review.recommendation == "support"
    assert sorted(s.value for s in review.scores.all()) == [3, 3, 3]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED


def test_check_page_without_scores_goes_back_to_the_form(client, setup):
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    _start(client, assignment)
    response = client.get(reverse("members:assignment-check", args=[assignment.pk]))
    assert response.headers["Location"] == reverse(
        "members:assignment-review", args=[assignment.pk]
    )


def test_a_score_off_the_scale_that_reaches_submit_is_refused_by_the_service(client, setup):
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    _start(client, assignment)
    session = client.session
    session[f"panel-review-{assignment.pk}"] = _scores(setup, "7")
    session.save()
    response = client.post(reverse("members:assignment-check", args=[assignment.pk]), follow=True)
    assert "Choose a score from 0 to 3 for" in _text(response)
    assert "Nothing has been sent yet." in _text(response)
    assert not Review.objects.exists()


def test_double_submit_is_refused_with_a_clear_message(client, setup):
    assignment = _review_through_the_site(client, setup, setup.reviewers[0])
    again = client.post(reverse("members:assignment-check", args=[assignment.pk]), follow=True)
    assert "You have already submitted this review. It cannot be changed or sent twice." in _text(
        again
    )
    assert Review.objects.count() == 1
    # Nor can the scoring form be reached again.
    form = client.get(reverse("members:assignment-review", args=[assignment.pk]))
    assert form.headers["Location"] == reverse("members:assignment-detail", args=[assignment.pk])


def test_other_scores_are_hidden_until_my_own_is_submitted(client, setup):
    first, second = setup.reviewers
    _review_through_the_site(client, setup, first, "3")
    theirs = setup.assignments_of(second)[0]
    client.force_login(second)
    _start(client, theirs)
    before = _text(client.get(reverse("members:assignment-review", args=[theirs.pk])))
    assert "My view on" not in before
    assert "Reviewer 1" not in before
    assert "You will see the other reviews of this application after you submit yours" in before
    client.post(reverse("members:assignment-review", args=[theirs.pk]), _scores(setup, "1"))
    check = _text(client.get(reverse("members:assignment-check", args=[theirs.pk])))
    assert "Reviewer 1" not in check
    client.post(reverse("members:assignment-check", args=[theirs.pk]))
    after = _text(client.get(reverse("members:assignment-detail", args=[theirs.pk])))
    assert "Reviewer 1" in after
    assert "Your score" in after
    assert "Differ by 2" in after


def test_a_reviewer_alone_sees_only_their_own_review(client, setup):
    assignment = _review_through_the_site(client, setup, setup.reviewers[0])
    text = _text(client.get(reverse("members:assignment-detail", args=[assignment.pk])))
    assert "No one else has submitted a review of this application yet" in text


# The chair ------------------------------------------------------------------------------------


def _both_reviewed(client, setup, values=("3", "1")):
    for reviewer, value in zip(setup.reviewers, values, strict=True):
        _review_through_the_site(client, setup, reviewer, value)


def test_chair_workspace_shows_progress_spread_and_flags(client, staff):
    setup = panel_in_review(staff, applications=2)
    # Application 1: both reviewers far apart; application 2: one review in, one to come.
    first, second = setup.applications
    for assignment in Assignment.objects.filter(subject_id=first.pk).order_by("id"):
        value = 3 if assignment.reviewer == setup.reviewers[0] else 0
        submit_review(assignment, [value, value, 1])
    pending = Assignment.objects.filter(subject_id=second.pk).order_by("id")
    submit_review(pending[0], [2, 2, 2])
    client.force_login(setup.chair)
    response = client.get(reverse("members:chair", args=[setup.panel.pk]))
    text = _text(response)
    # Largest spread first: application 1 (7 v 1) before application 2 (one review).
    assert text.index(first.reference) < text.index(second.reference)
    assert "2 to discuss" in text
    assert "Commitment to collaborative improvement; Experience of improvement" in text
    for reviewer in setup.reviewers:
        done, outstanding = _counts(setup, reviewer)
        assert f"{reviewer.get_full_name()} {done} {outstanding} 0" in text
    by_submission = _text(
        client.get(reverse("members:chair", args=[setup.panel.pk]) + "?sort=submitted")
    )
    assert "Order of submission" in by_submission


def test_chair_workspace_shows_an_application_waiting_for_reviews_apart(client, staff):
    """One review of two in is not agreement: it reads "1 of 2 reviews", its spread is not
    known yet, and it comes after every application with all its reviews in."""
    setup = panel_in_review(staff, applications=3)
    calm, waiting, close = setup.applications
    for application, values in ((calm, ([2, 2, 2], [2, 2, 2])), (close, ([3, 2, 2], [2, 2, 2]))):
        assignments = Assignment.objects.filter(subject_id=application.pk).order_by("id")
        for assignment, scores in zip(assignments, values, strict=True):
            submit_review(assignment, scores)
    submit_review(Assignment.objects.filter(subject_id=waiting.pk).order_by("id")[0], [3, 3, 3])
    client.force_login(setup.chair)
    text = _text(client.get(reverse("members:chair", args=[setup.panel.pk])))
    assert text.index(close.reference) < text.index(calm.reference) < text.index(waiting.reference)
    assert f"{waiting.reference} 1 of 2 reviews 9 Not known yet" in text
    assert f"{calm.reference} 2 of 2 reviews 6, 6 0" in text
    assert (
        "1 application is still waiting for reviews. It comes after those with every review "
        "in: its spread is not known yet."
    ) in text


def test_chair_workspace_reviews_needed_come_from_the_round(client, staff):
    from tests.factories.joining import make_round

    setup = panel_in_review(staff, reviewers=3, round_=make_round(staff, reviews_needed=3))
    client.force_login(setup.chair)
    text = _text(client.get(reverse("members:chair", args=[setup.panel.pk])))
    assert f"{setup.applications[0].reference} 0 of 3 reviews None yet Not known yet" in text


def _counts(setup, reviewer):
    statuses = [a.status for a in setup.assignments_of(reviewer)]
    return statuses.count(AssignmentStatus.SUBMITTED), statuses.count(AssignmentStatus.ASSIGNED)


def test_chair_application_shows_scores_side_by_side_with_a_caption(client, setup):
    _both_reviewed(client, setup)
    client.force_login(setup.chair)
    application = setup.applications[0]
    response = client.get(
        reverse("members:chair-application", args=[setup.panel.pk, application.pk])
    )
    body = response.content.decode()
    assert f"Scores for application {application.reference}, by reviewer" in body
    flat = " ".join(body.split())
    assert re.search(r'<th class="nhsuk-table__header[^"]*" scope="row" ?> ?Total', flat)
    assert re.search(r'<th class="nhsuk-table__header[^"]*" scope="col" ?> ?Range', flat)
    text = _text(response)
    assert "Reviewer 1" in text
    assert "Reviewer 2" in text
    assert text.count("Differ by 2") == 3
    assert "I have led work across three teams." in text


def test_decision_needs_a_choice_and_a_reason(client, setup):
    _both_reviewed(client, setup)
    client.force_login(setup.chair)
    url = reverse("members:chair-application", args=[setup.panel.pk, setup.applications[0].pk])
    response = client.post(url, {})
    assert error_messages(response) == ["Choose the decision", "Give the reason for the decision"]


def test_not_yet_needs_feedback_and_keeps_the_reason(client, setup):
    _both_reviewed(client, setup)
    client.force_login(setup.chair)
    url = reverse("members:chair-application", args=[setup.panel.pk, setup.applications[0].pk])
    response = client.post(url, {"decision": "not_yet", "rationale": "Panel agreed: not yet"})
    assert error_messages(response) == ["Write feedback for the applicant"]
    assert "Panel agreed: not yet" in response.content.decode()
    application = Application.objects.get(pk=setup.applications[0].pk)
    assert application.status == ApplicationStatus.IN_REVIEW


def test_decision_before_every_review_is_in_is_refused(client, setup):
    _review_through_the_site(client, setup, setup.reviewers[0])
    client.force_login(setup.chair)
    url = reverse("members:chair-application", args=[setup.panel.pk, setup.applications[0].pk])
    response = client.post(url, {"decision": "accept", "rationale": "Clear yes"})
    assert error_messages(response) == [
        "1 review is still to come. Record the decision when every review is in."
    ]
    assert "Clear yes" in response.content.decode()


def test_chair_records_a_not_yet_decision_which_is_not_released(client, setup):
    _both_reviewed(client, setup)
    client.force_login(setup.chair)
    url = reverse("members:chair-application", args=[setup.panel.pk, setup.applications[0].pk])
    response = client.post(
        url,
        {"decision": "not_yet", "rationale": "Split panel", "feedback": "Say more about impact"},
        follow=True,
    )
    assert "has been recorded" in _text(response)
    application = Application.objects.get(pk=setup.applications[0].pk)
    assert (application.status, application.feedback, application.decided_by) == (
        ApplicationStatus.NOT_YET,
        "Say more about impact",
        setup.chair,
    )
    assert application.released_at is None
    page = _text(client.get(url))
    assert "Not yet: on" in page


def test_double_submitted_decision_gets_a_clear_message(client, setup):
    _both_reviewed(client, setup)
    client.force_login(setup.chair)
    url = reverse("members:chair-application", args=[setup.panel.pk, setup.applications[0].pk])
    client.post(url, {"decision": "accept", "rationale": "Clear yes"})
    again = client.post(url, {"decision": "accept", "rationale": "Clear yes"})
    assert error_messages(again) == [
        "A decision has already been recorded for this application (accepted). To change it, "
        "reopen it first."
    ]
    assert AuditEntry.objects.filter(action="application.accept").count() == 1


def test_chair_views_query_counts_are_constant(client, staff):
    setup = panel_in_review(staff, applications=1, held_back=5)
    for assignment in setup.panel.assignments.all():
        submit_review(assignment, [2, 1, 3])
    client.force_login(setup.chair)
    workspace = reverse("members:chair", args=[setup.panel.pk])

    def add(n):
        for application in send_to_review(staff, setup.panel, setup.held_back[:n]):
            for assignment in setup.panel.assignments.filter(subject_id=application.pk)[:1]:
                submit_review(assignment, [0, 3, 1])

    assert_constant_queries(lambda: client.get(workspace), add, many=5)


def test_chair_application_query_count_is_constant_with_more_reviews(client, staff):
    from tests.factories.joining import make_round

    setup = panel_in_review(staff, reviewers=6, round_=make_round(staff, reviews_needed=6))
    application = setup.applications[0]
    url = reverse("members:chair-application", args=[setup.panel.pk, application.pk])
    assignments = list(setup.panel.assignments.order_by("id"))
    assert len(assignments) == 6
    submit_review(assignments[0], [1, 1, 1])
    client.force_login(setup.chair)

    def add(n):
        for assignment in assignments[1 : n + 1]:
            submit_review(assignment, [3, 2, 1])

    assert_constant_queries(lambda: client.get(url), add, many=5)


# No markup shown as text ----------------------------------------------------------------------

ESCAPED_TAGS = re.compile(r"&lt;/?(?:p|span|a|strong|br|ul|li|div|h\d)[\s&/>]")


def _assert_no_escaped_tags(response):
    body = response.content.decode()
    assert response.status_code == 200
    assert not ESCAPED_TAGS.findall(body), ESCAPED_TAGS.findall(body)


def test_check_page_shows_scores_and_comments_not_markup(client, setup):
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    _start(client, assignment)
    client.post(reverse("members:assignment-review", args=[assignment.pk]), _scores(setup, "3"))
    response = client.get(reverse("members:assignment-check", args=[assignment.pk]))
    _assert_no_escaped_tags(response)
    body = response.content.decode()
    assert "&lt;" not in body
    assert "<p>3: Strong</p>" in body
    assert '<p class="nhsuk-body-s">My view on Commitment to collaborative improvement</p>' in body


def test_check_page_escapes_what_the_reviewer_typed_once(client, setup):
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    first = _criteria(setup)[0]
    client.force_login(setup.reviewers[0])
    _start(client, assignment)
    client.post(
        reverse("members:assignment-review", args=[assignment.pk]),
        _scores(setup, "3", **{f"comment_{first.pk}": "<b>bold</b> & more"}),
    )
    body = client.get(reverse("members:assignment-check", args=[assignment.pk])).content.decode()
    assert '<p class="nhsuk-body-s">&lt;b&gt;bold&lt;/b&gt; &amp; more</p>' in body
    assert "<b>bold</b>" not in body


def test_panel_pages_show_no_markup_as_text(client, staff, setup):
    _both_reviewed(client, setup)
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    application = setup.applications[0]
    client.force_login(setup.reviewers[0])
    for url in (
        reverse("members:panel-list"),
        reverse("members:panel-detail", args=[setup.panel.pk]),
        reverse("members:assignment-detail", args=[assignment.pk]),
    ):
        _assert_no_escaped_tags(client.get(url))
    client.force_login(setup.chair)
    for url in (
        reverse("members:chair", args=[setup.panel.pk]),
        reverse("members:chair-application", args=[setup.panel.pk, application.pk]),
    ):
        _assert_no_escaped_tags(client.get(url))
    client.force_login(staff)
    for url in (
        reverse("members-staff:panel-list", args=[setup.round.pk]),
        reverse("members-staff:panel-detail", args=[setup.round.pk, setup.panel.pk]),
        reverse("members-staff:round-detail", args=[setup.round.pk]),
    ):
        _assert_no_escaped_tags(client.get(url))


# One set of words for a recommendation ----------------------------------------------------------

RECOMMENDATION_WORDS = ["Recommend", "Unsure: discuss at panel", "Do not recommend"]


def _radio_labels(body: str, name: str) -> list[str]:
    ids = re.findall(rf'<input[^>]*id="([^"]+)"[^>]*name="{name}"', body)
    labels = []
    for field_id in ids:
        label = re.search(rf'<label[^>]*for="{field_id}"[^>]*>(.*?)</label>', body, re.S)
        labels.append(" ".join(re.sub(r"<[^>]+>", "", label.group(1)).split()))
    return labels


def test_recommendation_reads_the_same_on_form_pages_csv_and_audit(client, staff, setup):
    """A reviewer's recommendation is advice, worded as such everywhere; the chair's decision
    keeps its own words (Accepted / Not yet)."""
    first, second = setup.reviewers
    assignment = setup.assignments_of(first)[0]
    client.force_login(first)
    _start(client, assignment)
    form = client.get(reverse("members:assignment-review", args=[assignment.pk])).content.decode()
    assert _radio_labels(form, "recommendation") == RECOMMENDATION_WORDS
    assert "Accept" not in _text(
        client.get(reverse("members:assignment-review", args=[assignment.pk]))
    )
    client.post(
        reverse("members:assignment-review", args=[assignment.pk]),
        _scores(setup, "3", recommendation="oppose"),
    )
    check = _text(client.get(reverse("members:assignment-check", args=[assignment.pk])))
    assert "Recommendation Do not recommend" in check
    client.post(reverse("members:assignment-check", args=[assignment.pk]))
    theirs = setup.assignments_of(second)[0]
    client.force_login(second)
    _start(client, theirs)
    client.post(
        reverse("members:assignment-review", args=[theirs.pk]),
        _scores(setup, "2", recommendation="unsure"),
    )
    client.post(reverse("members:assignment-check", args=[theirs.pk]))
    seen = _text(client.get(reverse("members:assignment-detail", args=[theirs.pk])))
    assert "Recommendation Unsure: discuss at panel" in seen
    assert "Recommendation Do not recommend" in seen
    client.force_login(setup.chair)
    chair = _text(
        client.get(
            reverse("members:chair-application", args=[setup.panel.pk, setup.applications[0].pk])
        )
    )
    assert "Recommendation Do not recommend" in chair
    assert "Recommendation Unsure: discuss at panel" in chair
    client.force_login(staff)
    csv_text = b"".join(
        client.get(reverse("members-staff:round-applications-csv", args=[setup.round.pk]))
    ).decode()
    header = csv_text.splitlines()[0]
    assert header.endswith(
        "Recommendation: Recommend,Recommendation: Unsure: discuss at panel,"
        "Recommendation: Do not recommend"
    )
    audit = _text(client.get(reverse("members-staff:round-audit", args=[setup.round.pk])))
    assert "Recommendation: Do not recommend" in audit
    assert "Recommendation: Unsure: discuss at panel" in audit
