"""Words that fit the numbers on the joining and panel pages: every count meets its noun in the
right number (0, 1 and 2), numbers come from the round, and a field is labelled optional only
when it is."""

import re

import pytest
from django.urls import reverse

from members.joining.services import round_close
from members.panels.services import round_panel_create, round_panel_member_add
from qcommunity.core.taxonomy import Region
from tests.factories.joining import complete_draft, make_round
from tests.factories.panels import (
    panel_in_review,
    staff_user,
    submit_review,
    submitted_application,
    two_factor_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staff_user()


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _closed_round(staff, *, applications: int, reviews_needed: int, reviewers: int = 2):
    round_ = make_round(staff, reviews_needed=reviews_needed)
    for i in range(applications):
        submitted_application(round_, organisation=f"Trust {i}")
    round_close(actor=staff, round_=round_)
    panel = round_panel_create(actor=staff, round_=round_, region=Region.WESSEX)
    for i in range(reviewers):
        person = two_factor_user(full_name=f"Reviewer {i + 1}")
        round_panel_member_add(actor=staff, panel=panel, user=person, organisation="Elsewhere")
    return round_, panel


# Counting pages with 0, 1 and 2 --------------------------------------------------------------


@pytest.mark.parametrize(
    ("applications", "reviews_needed", "expected"),
    [
        (
            0,
            1,
            "0 submitted applications. Each goes to its region's panel and is given to "
            "1 reviewer, evenly,",
        ),
        (
            1,
            2,
            "1 submitted application. Each goes to its region's panel and is given to "
            "2 reviewers, evenly,",
        ),
        (
            2,
            2,
            "2 submitted applications. Each goes to its region's panel and is given to "
            "2 reviewers, evenly,",
        ),
    ],
)
def test_staff_panel_list_counts_applications_and_reviewers(
    client, staff, applications, reviews_needed, expected
):
    round_, _ = _closed_round(staff, applications=applications, reviews_needed=reviews_needed)
    client.force_login(staff)
    assert expected in _text(client.get(reverse("members-staff:panel-list", args=[round_.pk])))


@pytest.mark.parametrize(
    ("applications", "reviews_needed", "expected"),
    [
        (0, 1, "Applications have been sent to the panels: 0 reviews given out."),
        (1, 1, "Applications have been sent to the panels: 1 review given out."),
        (1, 2, "Applications have been sent to the panels: 2 reviews given out."),
    ],
)
def test_sending_to_review_counts_the_reviews_given_out(
    client, staff, applications, reviews_needed, expected
):
    round_, _ = _closed_round(staff, applications=applications, reviews_needed=reviews_needed)
    client.force_login(staff)
    response = client.post(reverse("members-staff:start-review", args=[round_.pk]), follow=True)
    assert expected in _text(response)


@pytest.mark.parametrize(
    ("reviewers", "expected"),
    [
        (
            1,
            "1 review given out. 1 application is still short of reviewers: add people to the "
            "panel, then give out reviews again.",
        ),
        (2, "2 reviews given out."),
    ],
)
def test_giving_out_missing_reviews_counts_them(client, staff, reviewers, expected):
    round_, panel = _closed_round(staff, applications=1, reviews_needed=2, reviewers=0)
    client.force_login(staff)
    client.post(reverse("members-staff:start-review", args=[round_.pk]))
    for i in range(reviewers):
        person = two_factor_user(full_name=f"Late reviewer {i}")
        round_panel_member_add(actor=staff, panel=panel, user=person, organisation="Elsewhere")
    response = client.post(
        reverse("members-staff:distribute", args=[round_.pk, panel.pk]), follow=True
    )
    text = _text(response)
    assert expected in text
    assert "1 reviews" not in text


@pytest.mark.parametrize(("needed", "expected"), [(1, "1 review."), (2, "2 reviews.")])
def test_staff_panel_page_says_how_many_reviews_each_application_needs(
    client, staff, needed, expected
):
    round_, panel = _closed_round(staff, applications=0, reviews_needed=needed)
    client.force_login(staff)
    text = _text(client.get(reverse("members-staff:panel-detail", args=[round_.pk, panel.pk])))
    assert f"Each application needs {expected}" in text


@pytest.mark.parametrize(
    ("applications", "expected"),
    [(1, "1 application, 0 decided."), (2, "2 applications, 0 decided.")],
)
def test_chair_workspace_counts_applications(client, staff, applications, expected):
    setup = panel_in_review(staff, applications=applications)
    client.force_login(setup.chair)
    assert expected in _text(client.get(reverse("members:chair", args=[setup.panel.pk])))


def test_chair_workspace_with_no_applications_says_so(client, staff):
    _, panel = _closed_round(staff, applications=0, reviews_needed=2)
    chair = two_factor_user(full_name="Chair Person")
    round_panel_member_add(actor=staff, panel=panel, user=chair, role="chair")
    client.force_login(chair)
    text = _text(client.get(reverse("members:chair", args=[panel.pk])))
    assert "0 applications, 0 decided." in text


# Numbers from the round ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needed", "expected"),
    [
        (1, "1 panel member from your region reads your application and scores it"),
        (2, "2 panel members from your region read your application separately and score it"),
    ],
)
def test_submission_page_says_how_many_panel_members_read_it(
    client_for, user, staff, needed, expected
):
    application = complete_draft(user, make_round(staff, reviews_needed=needed))
    client = client_for(user)
    response = client.post(
        reverse("members:application-check", kwargs={"pk": application.pk}), follow=True
    )
    text = _text(response)
    assert "Application submitted" in text
    assert expected in text
    assert "At least 2" not in text
    detail = _text(client.get(reverse("members:application-detail", kwargs={"pk": application.pk})))
    reader = "1 panel member in your region will" if needed == 1 else "2 panel members"
    assert reader in detail


def test_join_page_does_not_promise_a_number_of_readers(client):
    text = _text(client.get(reverse("members:join")))
    assert "At least 2 panel members" not in text
    assert "Panel members from your region read your application" in text


# Optional only when it is ----------------------------------------------------------------------


def _label(body: str, field_id: str) -> str:
    match = re.search(rf'<label[^>]*for="{field_id}"[^>]*>(.*?)</label>', body, re.S)
    assert match, field_id
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def _legend(body: str, text: str) -> str:
    for legend in re.findall(r"<legend[^>]*>(.*?)</legend>", body, re.S):
        words = " ".join(re.sub(r"<[^>]+>", "", legend).split())
        if words.startswith(text):
            return words
    raise AssertionError(text)


def test_chair_feedback_is_not_labelled_optional_and_says_when_it_is_needed(client, staff):
    setup = panel_in_review(staff)
    for assignment in setup.panel.assignments.all():
        submit_review(assignment, [2, 2, 2])
    client.force_login(setup.chair)
    url = reverse("members:chair-application", args=[setup.panel.pk, setup.applications[0].pk])
    body = client.get(url).content.decode()
    assert _label(body, "id_feedback") == "Feedback for the applicant"
    assert _label(body, "id_rationale") == "Reason for the decision"
    assert "Required if you choose \u201cNot yet\u201d" in body
    assert "(optional)" not in body


def test_conflict_reason_is_not_labelled_optional(client, staff):
    setup = panel_in_review(staff)
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    body = client.get(reverse("members:assignment-detail", args=[assignment.pk])).content.decode()
    assert _label(body, "id_reason") == "If yes, what is the conflict?"
    assert "Required if you answer yes." in body


def test_round_form_labels_scale_meanings_as_needed_with_a_label(client, staff):
    client.force_login(staff)
    body = client.get(reverse("members-staff:round-create")).content.decode()
    assert _label(body, "id_scale_0_descriptor") == "Score 0: what it means"
    assert "Required if you give a score of 0 a label." in body
    # A label can be left blank to leave the score off the scale: that one is optional.
    assert _label(body, "id_scale_4_label") == "Score 4: label (optional)"
    assert _label(body, "id_criterion_1_guidance") == "Criterion 1: guidance (markdown) (optional)"
    assert _legend(body, "Phase") == "Phase"


def test_review_form_optional_fields_are_the_comments_only(client, staff):
    setup = panel_in_review(staff)
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client.force_login(setup.reviewers[0])
    client.post(reverse("members:assignment-detail", args=[assignment.pk]), {"has_conflict": "no"})
    body = client.get(reverse("members:assignment-review", args=[assignment.pk])).content.decode()
    labelled_optional = {
        " ".join(re.sub(r"<[^>]+>", "", m).split())
        for m in re.findall(r"<(?:label|legend)[^>]*>(.*?)</(?:label|legend)>", body, re.S)
        if "(optional)" in m
    }
    assert labelled_optional == {
        "Comment on \u201cCommitment to collaborative improvement\u201d (optional)",
        "Comment on \u201cExperience of improvement across boundaries\u201d (optional)",
        "Comment on \u201cUnderstanding of how to improve\u201d (optional)",
        "Anything else the panel should know (optional)",
    }
