"""The applicant's pages of joining Q: the join page and eligibility check, starting, filling
in, checking, submitting and withdrawing an application, and the bad input on the way."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from members.joining.enums import ApplicationStatus, Commitment, Phase
from members.joining.models import Application, ApplicationAnswer, NominationCode, Round
from members.joining.services import (
    application_create,
    application_save_draft,
    application_submit,
    round_update,
)
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.joining import FACTS, complete_draft, make_round

pytestmark = pytest.mark.django_db


def _edit(application):
    return reverse("members:application-edit", kwargs={"pk": application.pk})


def _check(application):
    return reverse("members:application-check", kwargs={"pk": application.pk})


def _form_data(application, **overrides):
    """What the form posts for a complete draft, with `overrides`."""
    data = {
        "job_title": FACTS["job_title"],
        "organisation": FACTS["organisation"],
        "organisation_type": FACTS["organisation_type"],
        "role_types": list(FACTS["role_types"]),
        "region": FACTS["region"],
        "commitments": list(Commitment.values),
    }
    for criterion in application.round.scheme.criteria.all():
        data[f"answer_{criterion.pk}"] = "I led a change across two services."
    data.update(overrides)
    return data


# The join page and the eligibility check ------------------------------------------------------


def test_landing_lists_open_rounds_with_regions_and_closing_date(client, staff_admin):
    round_ = make_round(staff_admin, regions=(Region.WESSEX, Region.OXFORD))
    make_round(staff_admin, name="Not yet published", open_now=False)
    response = client.get(reverse("members:join"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Regional wave 3" in body
    assert "Oxford, Wessex" in body
    assert "Not yet published" not in body
    assert 'action="/join/eligibility/"' in body
    assert round_.get_phase_display() in body


def test_landing_without_open_rounds_says_so(client):
    body = client.get(reverse("members:join")).content.decode()
    assert "No rounds are open for applications at the moment." in body
    assert "Check if you can apply" not in body


def test_eligibility_in_an_open_region_can_apply_and_is_asked_to_sign_in(client, staff_admin):
    round_ = make_round(staff_admin)
    response = client.get(reverse("members:eligibility"), {"region": Region.WESSEX})
    body = response.content.decode()
    assert "You can apply to this round." in body
    assert "Sign in to start your application" in body
    assert "/accounts/login/?next=%2Fjoin%2Feligibility%2F%3Fregion%3Dwessex" in body
    assert reverse("members:application-start", kwargs={"pk": round_.pk}) not in body


def test_eligibility_in_another_region_says_why_not(client, staff_admin):
    make_round(staff_admin)
    body = client.get(reverse("members:eligibility"), {"region": Region.SCOTLAND}).content
    body = body.decode()
    assert "You cannot apply to this round." in body
    assert "This round is not open to people in Scotland. It is open to people in Wessex." in body
    assert "You cannot apply to any round that is open now." in body


def test_eligibility_without_a_region_shows_an_error(client, staff_admin):
    make_round(staff_admin)
    response = client.get(reverse("members:eligibility"), {"region": ""})
    body = response.content.decode()
    assert "Choose your region" in body
    assert "There is a problem" in body
    assert "<title>Error: " in body


def test_eligibility_for_alumni_needs_an_eligible_course(client, staff_admin):
    round_ = make_round(
        staff_admin, phase=Phase.ALUMNI, courses=[("Improvement Fellows", "Health Foundation")]
    )
    course = round_.eligible_courses.get()
    url = reverse("members:eligibility")
    no = client.get(url, {"region": Region.WESSEX, "course": "none"}).content.decode()
    assert (
        "This round is for people who have taken one of these courses: "
        "Improvement Fellows (Health Foundation)."
    ) in no
    yes = client.get(url, {"region": Region.WESSEX, "course": course.pk}).content.decode()
    assert "You can apply to this round." in yes


def test_eligibility_for_founding_needs_an_unused_nomination_code(client, staff_admin):
    round_ = make_round(staff_admin, phase=Phase.FOUNDING)
    NominationCode.objects.create(round=round_, code="QF-7K2D", nominating_organisation="NHS X")
    url = reverse("members:eligibility")
    missing = client.get(url, {"region": Region.WESSEX}).content.decode()
    assert "You need the nomination code you were given." in missing
    wrong = client.get(url, {"region": Region.WESSEX, "code": "QF-NOPE"}).content.decode()
    assert "We could not find that nomination code for this round." in wrong
    right = client.get(url, {"region": Region.WESSEX, "code": " qf-7k2d "}).content.decode()
    assert "You can apply to this round." in right
    other = UserFactory()
    draft = application_create(actor=other, round_=round_)
    application_save_draft(actor=other, application=draft, facts={"nomination_code": "QF-7K2D"})
    used = client.get(url, {"region": Region.WESSEX, "code": "QF-7K2D"}).content.decode()
    assert "That nomination code has already been used." in used


def test_eligibility_signed_in_offers_the_start_button_or_the_existing_application(
    client_for, user, staff_admin
):
    round_ = make_round(staff_admin)
    client = client_for(user)
    url = reverse("members:eligibility")
    body = client.get(url, {"region": Region.WESSEX}).content.decode()
    assert reverse("members:application-start", kwargs={"pk": round_.pk}) in body
    assert "Start your application" in body
    application = application_create(actor=user, round_=round_)
    body = client.get(url, {"region": Region.WESSEX}).content.decode()
    assert "You already have an application in this round." in body
    assert _edit(application) in body


# Starting -------------------------------------------------------------------------------------


def test_start_creates_a_draft_with_the_region_and_opens_the_form(client_for, user, staff_admin):
    round_ = make_round(staff_admin)
    client = client_for(user)
    response = client.post(
        reverse("members:application-start", kwargs={"pk": round_.pk}), {"region": "wessex"}
    )
    application = Application.objects.get(round=round_, applicant=user)
    assert response.status_code == 302
    assert response.headers["Location"] == _edit(application)
    assert application.region == Region.WESSEX
    assert application.status == ApplicationStatus.DRAFT


def test_start_keeps_the_nomination_code_from_the_check(client_for, user, staff_admin):
    round_ = make_round(staff_admin, phase=Phase.FOUNDING)
    code = NominationCode.objects.create(round=round_, code="QF-7K2D", nominating_organisation="X")
    client_for(user).post(
        reverse("members:application-start", kwargs={"pk": round_.pk}),
        {"region": "wessex", "code": "qf-7k2d"},
    )
    assert Application.objects.get(applicant=user).nomination_code == code


def test_a_second_start_goes_to_the_first_application(client_for, user, staff_admin):
    round_ = make_round(staff_admin)
    first = application_create(actor=user, round_=round_)
    response = client_for(user).post(
        reverse("members:application-start", kwargs={"pk": round_.pk}), follow=True
    )
    assert response.redirect_chain[0][0] == _edit(first)
    assert Application.objects.filter(round=round_, applicant=user).count() == 1
    assert "You already have an application in this round" in response.content.decode()


def test_start_in_a_closed_round_is_refused_with_a_message(client_for, user, staff_admin):
    round_ = make_round(staff_admin)
    Round.objects.filter(pk=round_.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=9), closes_at=timezone.now()
    )
    response = client_for(user).post(
        reverse("members:application-start", kwargs={"pk": round_.pk}),
        {"region": "wessex"},
        follow=True,
    )
    assert "This round is not open for applications." in response.content.decode()
    assert not Application.objects.filter(applicant=user).exists()


def test_start_of_a_draft_round_is_not_found(client_for, user, staff_admin):
    round_ = make_round(staff_admin, open_now=False)
    response = client_for(user).post(reverse("members:application-start", kwargs={"pk": round_.pk}))
    assert response.status_code == 404


# The form -------------------------------------------------------------------------------------


def test_form_shows_each_criterion_with_guidance_examples_and_word_limit(
    client_for, user, staff_admin
):
    round_ = make_round(staff_admin)
    application = application_create(actor=user, round_=round_)
    body = client_for(user).get(_edit(application)).content.decode()
    for criterion in round_.scheme.criteria.all():
        assert criterion.title in body
        assert f'name="answer_{criterion.pk}"' in body
    assert 'data-maxwords="250"' in body
    assert "Say what you hope to learn and share." in body
    assert "A nurse who wants to spread a falls project" in body
    assert Commitment.DIRECTORY.label in body
    assert 'hx-post="' + _edit(application) + '"' in body
    assert 'aria-live="polite"' in body


def test_save_and_come_back_later_keeps_everything(client_for, user, staff_admin):
    round_ = make_round(staff_admin)
    application = application_create(actor=user, round_=round_)
    client = client_for(user)
    response = client.post(_edit(application), {**_form_data(application), "action": "later"})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse(
        "members:application-detail", kwargs={"pk": application.pk}
    )
    application.refresh_from_db()
    assert application.job_title == FACTS["job_title"]
    assert application.role_types == list(FACTS["role_types"])
    assert [c["commitment"] for c in application.commitments] == list(Commitment.values)
    assert application.answers.count() == 3
    body = client.get(_edit(application)).content.decode()
    assert "I led a change across two services." in body


def test_save_and_continue_goes_to_check_your_answers(client_for, user, staff_admin):
    application = application_create(actor=user, round_=make_round(staff_admin))
    response = client_for(user).post(
        _edit(application), {**_form_data(application), "action": "continue"}
    )
    assert response.headers["Location"] == _check(application)


def test_autosave_answers_with_the_status_region_only(client_for, user, staff_admin):
    application = application_create(actor=user, round_=make_round(staff_admin))
    response = client_for(user).post(
        _edit(application), {"job_title": "Nurse"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith("Saved at ")
    assert "<html" not in body
    application.refresh_from_db()
    assert application.job_title == "Nurse"


def test_over_the_word_limit_is_saved_shown_and_blocks_submit(client_for, user, staff_admin):
    round_ = make_round(staff_admin)
    application = complete_draft(user, round_)
    criterion = round_.scheme.criteria.first()
    long_answer = " ".join(["word"] * 253)
    client = client_for(user)
    response = client.post(
        _edit(application),
        {**_form_data(application, **{f"answer_{criterion.pk}": long_answer}), "action": "later"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your answer to" in body or "over the limit of 250" in body
    assert "3 words over the limit of 250" in body
    assert ApplicationAnswer.objects.get(application=application, criterion=criterion).words == 253
    autosave = client.post(
        _edit(application),
        _form_data(application, **{f"answer_{criterion.pk}": long_answer}),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "1 answer is over the word limit" in autosave
    check = client.get(_check(application)).content.decode()
    assert "You cannot submit your application yet" in check
    assert "Submit your application" not in check
    refused = client.post(_check(application))
    assert refused.status_code == 200
    assert "3 words over the limit of 250" in refused.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_an_invalid_year_is_shown_and_the_rest_is_saved(client_for, user, staff_admin):
    round_ = make_round(staff_admin, phase=Phase.ALUMNI, courses=[("Fellows", "Foundation")])
    application = application_create(actor=user, round_=round_)
    response = client_for(user).post(
        _edit(application),
        {**_form_data(application, course_year="twenty"), "action": "later"},
    )
    body = response.content.decode()
    assert "Enter the year as 4 numbers, for example 2024" in body
    assert 'value="twenty"' in body
    application.refresh_from_db()
    assert application.course_year is None
    assert application.job_title == FACTS["job_title"]


def test_an_unknown_nomination_code_is_shown_and_not_stored(client_for, user, staff_admin):
    round_ = make_round(staff_admin, phase=Phase.FOUNDING)
    application = application_create(actor=user, round_=round_)
    response = client_for(user).post(
        _edit(application), {**_form_data(application, nomination_code="QF-NOPE")}
    )
    body = response.content.decode()
    assert "Enter the nomination code you were given" in body
    assert 'value="QF-NOPE"' in body
    application.refresh_from_db()
    assert application.nomination_code is None
    assert application.answers.count() == 3


# Check, submit, withdraw ----------------------------------------------------------------------


def test_check_your_answers_has_change_links_to_each_field(client_for, user, staff_admin):
    round_ = make_round(staff_admin)
    application = complete_draft(user, round_)
    body = client_for(user).get(_check(application)).content.decode()
    assert f'href="{_edit(application)}#id_job_title"' in body
    for criterion in round_.scheme.criteria.all():
        assert f'href="{_edit(application)}#id_answer_{criterion.pk}"' in body
    assert "Submit your application" in body


def test_submit_shows_the_reference_and_queues_the_email(client_for, user, staff_admin):
    application = complete_draft(user, make_round(staff_admin))
    client = client_for(user)
    response = client.post(_check(application), follow=True)
    application.refresh_from_db()
    body = response.content.decode()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference in body
    assert "Application submitted" in body
    assert OutboxEmail.objects.filter(recipient=user.email).count() == 1


def test_a_double_submit_is_told_and_changes_nothing(client_for, user, staff_admin):
    application = complete_draft(user, make_round(staff_admin))
    client = client_for(user)
    client.post(_check(application))
    application.refresh_from_db()
    reference = application.reference
    response = client.post(_check(application), follow=True)
    assert "This application has already been submitted." in response.content.decode()
    application.refresh_from_db()
    assert application.reference == reference
    assert OutboxEmail.objects.filter(recipient=user.email).count() == 1


def test_submitting_after_the_round_closed_is_refused_and_keeps_the_draft(
    client_for, user, staff_admin
):
    round_ = make_round(staff_admin)
    application = complete_draft(user, round_)
    Round.objects.filter(pk=round_.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=9), closes_at=timezone.now()
    )
    response = client_for(user).post(_check(application))
    body = response.content.decode()
    assert "This round is closed, so applications can no longer be submitted." in body
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.answers.count() == 3


def test_editing_a_submitted_application_goes_to_its_status(client_for, user, staff_admin):
    application = complete_draft(user, make_round(staff_admin))
    application_submit(actor=user, application=application)
    client = client_for(user)
    assert client.get(_edit(application)).status_code == 302
    response = client.post(_edit(application), _form_data(application, job_title="Changed"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.job_title == FACTS["job_title"]


def test_withdraw_asks_first_then_withdraws(client_for, user, staff_admin):
    application = complete_draft(user, make_round(staff_admin))
    url = reverse("members:application-withdraw", kwargs={"pk": application.pk})
    client = client_for(user)
    assert "Are you sure you want to withdraw" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert "Your application has been withdrawn." in response.content.decode()
    again = client.post(url, follow=True)
    assert "This application has been withdrawn." in again.content.decode()


def test_status_page_hides_an_unreleased_decision_and_any_scores(client_for, user, staff_admin):
    application = complete_draft(user, make_round(staff_admin))
    application_submit(actor=user, application=application)
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.NOT_YET,
        decided_at=timezone.now(),
        feedback="Say more about the results.",
        decision_rationale="Scores were low.",
    )
    body = (
        client_for(user)
        .get(reverse("members:application-detail", kwargs={"pk": application.pk}))
        .content.decode()
    )
    assert "Being reviewed" in body
    assert "Say more about the results." not in body
    assert "Scores were low." not in body


def test_applications_of_others_are_not_found_even_for_staff(client_for, user, staff_admin):
    application = complete_draft(user, make_round(staff_admin))
    other = UserFactory()
    for client_user in (other, staff_admin):
        client = client_for(client_user)
        for name in (
            "application-detail",
            "application-edit",
            "application-check",
            "application-submitted",
            "application-withdraw",
        ):
            url = reverse(f"members:{name}", kwargs={"pk": application.pk})
            assert client.get(url).status_code == 404, name
        assert client.post(_check(application)).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_list_shows_status_in_plain_words(client_for, user, staff_admin):
    draft = application_create(actor=user, round_=make_round(staff_admin, name="Round A"))
    sent = complete_draft(user, make_round(staff_admin, name="Round B"))
    application_submit(actor=user, application=sent)
    body = client_for(user).get(reverse("members:application-list")).content.decode()
    assert "Draft: not sent yet" in body
    assert "Submitted" in body
    assert draft.round.name in body
    sent.refresh_from_db()
    assert sent.reference in body


def test_round_regions_added_later_show_on_the_landing_page(client, staff_admin):
    round_ = make_round(staff_admin)
    round_update(
        actor=staff_admin,
        round_=round_,
        name=round_.name,
        phase=round_.phase,
        regions=[*round_.regions, Region.OXFORD],
        opens_at=round_.opens_at,
        closes_at=round_.closes_at,
        review_deadline=round_.review_deadline,
        decisions_release_at=round_.decisions_release_at,
        reviews_needed=round_.reviews_needed,
    )
    assert "Oxford, Wessex" in client.get(reverse("members:join")).content.decode()
