"""The members app's personal data: what the download holds and what deleting the account does
to the directory entry, random coffee, relayed messages, applications and panel work."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from members.coffee.models import CoffeePairing
from members.coffee.personal_data import coffee_export
from members.coffee.services import coffee_run_month
from members.directory.enums import Visibility
from members.directory.export import directory_entry_path
from members.directory.models import Approach, ContactMessage, Offer, Profile, Topic
from members.directory.personal_data import contact_export, profile_export
from members.directory.services import contact_message_send
from members.joining.enums import ApplicationStatus, RoundStatus
from members.joining.models import Application, ApplicationAnswer
from members.joining.personal_data import applications_export
from members.joining.services import application_submit, round_release_decisions
from members.panels.kind import APPLICATION_PANELS
from members.panels.personal_data import (
    panel_decisions_export,
    panel_memberships_export,
    panel_reviews_export,
)
from members.panels.services import (
    application_assignments_distribute,
    round_panel_member_add,
)
from qcommunity.outbox.models import OutboxEmail
from qcommunity.privacy.services import account_delete, personal_data_export
from qcommunity.scoring.enums import AssignmentStatus
from qcommunity.scoring.models import Assignment, CriterionScore, PanelMember, Review
from qcommunity.scoring.services import workspace_declare_conflict
from tests.factories.accounts import UserFactory
from tests.factories.joining import complete_draft, make_round
from tests.factories.members import ProfileFactory, topic
from tests.factories.panels import panel_in_review, staff_user, submit_review, two_factor_user
from tests.factories.release import FEEDBACK, RATIONALE, decided_round, move_release_to_the_past
from tests.querycount import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

OLD_NAME = "Philippa Quartermaine"


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def section(user, key: str) -> list[dict]:
    data = personal_data_export(user=user)
    return next(s["records"] for s in data["sections"] if s["key"] == key)


def delete(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return account_delete(user=user)


@pytest.fixture
def staff():
    return staff_user()


# Directory entry -------------------------------------------------------------------------------


@pytest.fixture
def entry():
    profile = ProfileFactory(
        user__full_name=OLD_NAME,
        visibility=Visibility.PUBLIC,
        working_on="Cutting waits for hip operations",
        topics=[topic("Mental health")],
    )
    name = default_storage.save("profile-photos/me.png", ContentFile(b"not really a png"))
    Profile.objects.filter(pk=profile.pk).update(
        photo=name, links=[{"label": "Blog", "url": "https://example.org/blog"}]
    )
    profile.refresh_from_db()
    return profile


def test_the_directory_entry_is_in_the_download(entry):
    (record,) = section(entry.user, "members.profile")
    assert record["who_can_see_it"] == "Everyone, including people who are not signed in"
    assert record["what_you_are_working_on"] == "Cutting waits for hip operations"
    assert record["topics"] == ["Mental health"]
    assert record["what_describes_your_role"] == ["Manager"]
    assert record["type_of_organisation"] == "Acute (hospital) care"
    assert record["links"] == [{"label": "Blog", "url": "https://example.org/blog"}]
    assert record["photo_file"] == entry.photo.name
    assert section(UserFactory(), "members.profile") == []


def test_the_directory_entry_export_runs_the_same_queries_for_many_terms(entry):
    def add(n):
        for i in range(n):
            entry.topics.add(Topic.objects.create(name=f"Topic {i}", slug=f"topic-{i}"))
            entry.approaches.add(Approach.objects.create(name=f"Approach {i}", slug=f"a-{i}"))
            entry.offers.add(Offer.objects.create(name=f"Offer {i}", slug=f"offer-{i}"))

    assert_constant_queries(lambda: profile_export(entry.user), add, many=5)


def test_deleting_removes_the_entry_its_photo_and_cached_directory_pages(
    entry, django_capture_on_commit_callbacks
):
    visitor = Client()
    path = directory_entry_path(entry.slug)
    assert OLD_NAME in visitor.get("/directory/").content.decode()  # now cached
    assert visitor.get(path).status_code == 200  # cached too
    photo = entry.photo.name
    assert default_storage.exists(photo)
    delete(entry.user, django_capture_on_commit_callbacks)
    assert not Profile.objects.filter(pk=entry.pk).exists()
    assert not default_storage.exists(photo)
    assert OLD_NAME not in visitor.get("/directory/").content.decode()
    assert visitor.get(path).status_code == 404
    assert not Profile.topics.through.objects.filter(profile_id=entry.pk).exists()


# Random coffee ---------------------------------------------------------------------------------


@pytest.fixture
def pairing(entry):
    partner = ProfileFactory(user__full_name="Tom Partner", coffee_opt_in=True)
    Profile.objects.filter(pk=entry.pk).update(coffee_opt_in=True)
    a, b = sorted([entry.user_id, partner.user_id])
    return CoffeePairing.objects.create(month=dt.date(2026, 3, 1), member_a_id=a, member_b_id=b)


def test_random_coffee_is_in_the_download(entry, pairing):
    (record,) = section(entry.user, "members.coffee")
    assert record == {
        "taking_part": True,
        "pairings": [{"month": "March 2026", "paired_with": "Tom Partner"}],
    }


def test_the_coffee_export_runs_the_same_queries_for_many_pairings(entry, pairing):
    def add(n):
        for i in range(n):
            other = UserFactory()
            a, b = sorted([entry.user_id, other.pk])
            CoffeePairing.objects.create(
                month=dt.date(2024 - i, 1, 1), member_a_id=a, member_b_id=b
            )

    assert_constant_queries(lambda: coffee_export(entry.user), add, many=5)


def test_deleting_opts_out_of_coffee_and_the_partner_sees_a_former_member(
    entry, pairing, django_capture_on_commit_callbacks
):
    partner_id = (
        pairing.member_b_id if pairing.member_a_id == entry.user_id else (pairing.member_a_id)
    )
    delete(entry.user, django_capture_on_commit_callbacks)
    assert CoffeePairing.objects.filter(pk=pairing.pk).exists()
    assert not Profile.objects.filter(user_id=entry.user_id, coffee_opt_in=True).exists()
    client = Client()
    client.force_login(Profile.objects.get(user_id=partner_id).user)
    page = text(client.get("/me/coffee/"))
    assert "Former member" in page
    assert OLD_NAME not in page
    # The next run pairs nobody with the former member.
    ProfileFactory(coffee_opt_in=True)
    pairs = coffee_run_month(month=dt.date(2030, 1, 1))
    assert all(entry.user_id not in (p.member_a_id, p.member_b_id) for p in pairs)


# Messages relayed through the site -------------------------------------------------------------


def test_messages_are_in_the_download_without_the_words_others_wrote(entry):
    other = ProfileFactory(user__full_name="Sam Sender", visibility=Visibility.MEMBERS)
    contact_message_send(
        sender=entry.user, profile=other, subject="Hello", body="My words", allow_reply=True
    )
    contact_message_send(
        sender=other.user, profile=entry, subject="Hi back", body="Their words", allow_reply=False
    )
    sent, received = section(entry.user, "members.contact")
    assert sent["to"] == "Sam Sender"
    assert sent["message"] == "My words"
    assert sent["let_them_reply_by_email"] is True
    assert received["from"] == "Sam Sender"
    assert "Their words" not in str(received)
    assert "Hi back" not in str(received)
    assert other.user.email not in str(received)


def test_the_messages_export_runs_the_same_queries_for_many_messages(entry):
    def add(n):
        for _ in range(n):
            other = ProfileFactory()
            ContactMessage.objects.create(sender=entry.user, recipient=other, subject="S", body="B")
            ContactMessage.objects.create(sender=other.user, recipient=entry, subject="S", body="B")

    assert_constant_queries(lambda: contact_export(entry.user), add, many=5)


def test_deleting_removes_messages_sent_and_received_and_no_one_elses(
    entry, django_capture_on_commit_callbacks
):
    a, b = ProfileFactory(), ProfileFactory()
    ContactMessage.objects.create(sender=entry.user, recipient=a, subject="S", body="Mine")
    ContactMessage.objects.create(sender=b.user, recipient=entry, subject="S", body="To me")
    kept = ContactMessage.objects.create(sender=a.user, recipient=b, subject="S", body="Theirs")
    delete(entry.user, django_capture_on_commit_callbacks)
    assert list(ContactMessage.objects.values_list("pk", flat=True)) == [kept.pk]


# Applications to join Q ------------------------------------------------------------------------


@pytest.fixture
def released(staff):
    """A round whose decisions were released: one accepted, one not yet with feedback."""
    setup = decided_round(staff, accepted=1, not_yet=1)
    move_release_to_the_past(staff, setup.round)
    round_release_decisions(round_=setup.round)
    setup.round.refresh_from_db()
    setup.applications = [Application.objects.get(pk=a.pk) for a in setup.applications]
    return setup


def test_applications_are_in_the_download_with_released_decisions_only(staff, released):
    applicant = released.applications[1].applicant
    draft_round = make_round(staff, name="Regional wave 4")
    complete_draft(applicant, draft_round)
    records = section(applicant, "members.applications")
    by_round = {r["round"]: r for r in records}
    done = by_round["Wave 3"]
    assert done["status"] == "Not yet"
    assert done["reference"] == released.applications[1].reference
    assert done["decision"]["decision"] == "Not yet"
    assert done["decision"]["feedback"] == FEEDBACK
    assert [a["answer"] for a in done["answers"]] == ["I have led work across three teams."] * 3
    assert done["organisation"]
    assert RATIONALE not in str(records)
    assert "Comment on the whole application" not in str(records)  # reviewers' words
    assert by_round["Regional wave 4"]["status"] == "Draft"
    assert by_round["Regional wave 4"]["decision"] is None


def test_a_decision_not_yet_released_is_not_in_the_download(staff):
    setup = decided_round(staff, accepted=1, not_yet=0)
    (record,) = section(setup.applications[0].applicant, "members.applications")
    assert record["status"] == "Being reviewed"
    assert record["decision"] is None


def test_the_applications_export_runs_the_same_queries_for_many_applications(staff):
    applicant = UserFactory()
    complete_draft(applicant, make_round(staff, name="Round 0"))

    def add(n):
        for i in range(n):
            complete_draft(applicant, make_round(staff, name=f"Round {i + 1}"))

    assert_constant_queries(lambda: applications_export(applicant), add, many=3)


def test_deleting_keeps_decisions_blanks_answers_and_deletes_drafts(
    staff, released, django_capture_on_commit_callbacks
):
    application = released.applications[1]
    applicant = application.applicant
    applicant.full_name = OLD_NAME
    applicant.save()
    draft = complete_draft(applicant, make_round(staff, name="Regional wave 4"))
    delete(applicant, django_capture_on_commit_callbacks)
    assert not Application.objects.filter(pk=draft.pk).exists()
    kept = Application.objects.get(pk=application.pk)
    assert kept.status == ApplicationStatus.NOT_YET
    assert kept.reference == application.reference
    assert kept.decided_at == application.decided_at
    assert kept.feedback == FEEDBACK
    assert (kept.job_title, kept.organisation, kept.course_year) == ("", "", None)
    assert kept.region == application.region  # routes it to its regional panel
    assert set(ApplicationAnswer.objects.filter(application=kept).values_list("text", "words")) == {
        ("", 0)
    }
    # The chair's page still shows the application, from a former member.
    client = Client()
    client.force_login(released.chair)
    response = client.get(
        reverse("members:chair-application", args=[released.panel.pk, application.pk])
    )
    assert response.status_code == 200
    page = text(response)
    assert "From Former member." in page
    assert OLD_NAME not in page
    assert "I have led work across three teams." not in page
    assert application.organisation not in page


def test_deleting_an_applicant_in_review_leaves_the_reviewer_page_working(
    staff, django_capture_on_commit_callbacks
):
    setup = panel_in_review(staff, applications=1)
    application = setup.applications[0]
    delete(application.applicant, django_capture_on_commit_callbacks)
    assignment = setup.assignments_of(setup.reviewers[0])[0]
    client = Client()
    client.force_login(setup.reviewers[0])
    page = text(client.get(reverse("members:assignment-detail", args=[assignment.pk])))
    assert "Former member" in page
    assert application.organisation not in page


# Panel work ------------------------------------------------------------------------------------


@pytest.fixture
def reviewing(staff):
    """A panel in review with two applications: reviewer 1 has submitted one review, declared
    a conflict on nothing, and has one review still to do."""
    setup = panel_in_review(staff, applications=2, reviewers=2)
    reviewer = setup.reviewers[0]
    reviewer.full_name = OLD_NAME
    reviewer.save()
    done, todo = setup.assignments_of(reviewer)
    submit_review(done, [3, 2, 1], comment="A careful overall comment")
    setup.done, setup.todo = done, todo
    return setup


def test_panel_work_is_in_the_download(reviewing):
    reviewer = reviewing.reviewers[0]
    (membership,) = section(reviewer, "members.panel_memberships")
    assert membership == {
        "round": "Regional wave 3",
        "panel": reviewing.panel.name,
        "role": "Reviewer",
        "organisation": "Elsewhere",
        "added_at": membership["added_at"],
    }
    reviews = section(reviewer, "members.panel_reviews")
    by_status = {r["status"]: r for r in reviews}
    submitted = by_status["Review submitted"]
    assert submitted["application"].startswith("Q-")
    assert submitted["review"]["recommendation"] == "Recommend"
    assert submitted["review"]["comment"] == "A careful overall comment"
    assert [s["score"] for s in submitted["review"]["scores"]] == [3, 2, 1]
    assert by_status["To review"]["review"] is None
    # Nothing about the applicants beyond the reference, nor other reviewers' reviews.
    applicant = Application.objects.get(pk=reviewing.done.subject_id).applicant
    assert applicant.full_name not in str(reviews)


def test_a_declared_conflict_is_in_the_download(reviewing):
    workspace_declare_conflict(
        APPLICATION_PANELS,
        actor=reviewing.reviewers[0],
        assignment=reviewing.todo,
        reason="I manage them",
    )
    reviews = section(reviewing.reviewers[0], "members.panel_reviews")
    conflict = next(r for r in reviews if r["status"] == "Conflict of interest declared")
    assert conflict["conflict_of_interest_you_declared"] == "I manage them"


def test_the_panel_exports_run_the_same_queries_for_many_rows(staff, reviewing):
    reviewer = reviewing.reviewers[0]

    def add_reviews(n):
        for i in range(n):
            setup = panel_in_review(staff, applications=1, reviewers=1, name=f"Extra {i}")
            round_panel_member_add(actor=staff, panel=setup.panel, user=reviewer)
            extra = application_assignments_distribute(
                actor=staff, panel=setup.panel, applications=setup.applications
            )
            for assignment in extra.created:
                submit_review(assignment, [1, 1, 1])

    queries, _ = count_queries(lambda: panel_memberships_export(reviewer))
    reviews_queries, _ = count_queries(lambda: panel_reviews_export(reviewer))
    add_reviews(3)
    assert len(panel_reviews_export(reviewer)) == 5
    assert len(panel_memberships_export(reviewer)) == 4
    assert count_queries(lambda: panel_memberships_export(reviewer))[0] == queries
    assert count_queries(lambda: panel_reviews_export(reviewer))[0] == reviews_queries


def test_deleting_keeps_submitted_reviews_withdraws_the_rest_and_leaves_the_open_panel(
    staff, reviewing, django_capture_on_commit_callbacks
):
    reviewer = reviewing.reviewers[0]
    delete(reviewer, django_capture_on_commit_callbacks)
    reviewing.done.refresh_from_db()
    reviewing.todo.refresh_from_db()
    assert reviewing.done.status == AssignmentStatus.SUBMITTED
    assert Review.objects.get(assignment=reviewing.done).comment == "A careful overall comment"
    assert CriterionScore.objects.filter(review__assignment=reviewing.done).count() == 3
    assert reviewing.todo.status == AssignmentStatus.WITHDRAWN
    assert not PanelMember.objects.filter(user=reviewer).exists()
    # Staff can give the withdrawn review to someone else.
    newcomer = two_factor_user(full_name="New Reviewer")
    round_panel_member_add(actor=staff, panel=reviewing.panel, user=newcomer)
    application = Application.objects.get(pk=reviewing.todo.subject_id)
    result = application_assignments_distribute(
        actor=staff, panel=reviewing.panel, applications=[application]
    )
    assert [a.reviewer_id for a in result.created] == [newcomer.pk]
    # Staff and chair pages still render, naming a former member.
    client = Client()
    client.force_login(staff)
    page = text(
        client.get(
            reverse(
                "members-staff:panel-detail",
                kwargs={"round": reviewing.round.pk, "panel": reviewing.panel.pk},
            )
        )
    )
    assert "Former member" in page
    assert OLD_NAME not in page
    client.force_login(reviewing.chair)
    response = client.get(
        reverse("members:chair-application", args=[reviewing.panel.pk, reviewing.done.subject_id])
    )
    assert response.status_code == 200
    assert "Former member" in text(response)
    assert OLD_NAME not in text(response)


def test_deleting_keeps_a_place_on_a_released_rounds_panel_without_the_organisation(
    staff, released, django_capture_on_commit_callbacks
):
    assert released.round.status == RoundStatus.RELEASED
    reviewer = released.reviewers[0]
    delete(reviewer, django_capture_on_commit_callbacks)
    place = PanelMember.objects.get(user=reviewer, panel=released.panel)
    assert place.organisation == ""
    assert Assignment.objects.filter(reviewer=reviewer, status=AssignmentStatus.SUBMITTED).exists()


def test_a_submitted_application_of_a_deleted_account_is_not_reopened(
    staff, django_capture_on_commit_callbacks
):
    round_ = make_round(staff)
    applicant = UserFactory(full_name=OLD_NAME)
    application = application_submit(actor=applicant, application=complete_draft(applicant, round_))
    delete(applicant, django_capture_on_commit_callbacks)
    kept = Application.objects.get(pk=application.pk)
    assert kept.status == ApplicationStatus.SUBMITTED
    assert kept.submitted_at == application.submitted_at


def test_a_decision_released_after_the_applicant_deleted_their_account_makes_no_member(
    staff, django_capture_on_commit_callbacks
):
    setup = decided_round(staff, accepted=1, not_yet=1)
    gone, stays = setup.applications
    delete(gone.applicant, django_capture_on_commit_callbacks)
    move_release_to_the_past(staff, setup.round)
    assert round_release_decisions(round_=setup.round) == 2
    kept = Application.objects.get(pk=gone.pk)
    assert kept.status == ApplicationStatus.ACCEPTED
    assert kept.released_at is not None
    tombstone = kept.applicant
    assert not tombstone.roles.exists()
    assert not Profile.objects.filter(user=tombstone).exists()
    assert not OutboxEmail.objects.filter(recipient=tombstone.email).exists()
    assert OutboxEmail.objects.filter(recipient=stays.applicant.email).exists()


def test_decisions_recorded_as_chair_are_in_the_download_and_stay(
    staff, django_capture_on_commit_callbacks
):
    setup = decided_round(staff, accepted=1, not_yet=1)
    chair = setup.chair
    chair.full_name = OLD_NAME
    chair.save()
    records = section(chair, "members.panel_decisions")
    assert [r["decision"] for r in records] == ["Accepted", "Not yet"]
    assert records[0]["rationale_for_the_panel"] == RATIONALE
    assert records[1]["feedback_for_the_applicant"] == FEEDBACK
    assert setup.applications[0].applicant.full_name not in str(records)
    reviews = section(setup.reviewers[0], "members.panel_decisions")
    assert reviews == []
    delete(chair, django_capture_on_commit_callbacks)
    application = Application.objects.get(pk=setup.applications[1].pk)
    assert application.decided_by_id == chair.pk
    client = Client()
    staff_chair = two_factor_user(full_name="Second Chair")
    round_panel_member_add(actor=staff, panel=setup.panel, user=staff_chair, role="chair")
    client.force_login(staff_chair)
    page = text(
        client.get(reverse("members:chair-application", args=[setup.panel.pk, application.pk]))
    )
    assert "by Former member" in page
    assert OLD_NAME not in page


def test_the_chair_decisions_export_runs_the_same_queries_for_many_decisions(staff):
    setup = decided_round(staff, accepted=1, not_yet=0)

    def add(n):
        decided_round(staff, accepted=n, not_yet=0, name="Wave 9")
        Application.objects.filter(decided_at__isnull=False).update(decided_by=setup.chair)

    assert_constant_queries(lambda: panel_decisions_export(setup.chair), add, many=3)


def test_staff_round_pages_still_work_after_an_applicant_and_a_reviewer_delete_their_accounts(
    staff, released, django_capture_on_commit_callbacks
):
    applicant = released.applications[0].applicant
    applicant.full_name = OLD_NAME
    applicant.save()
    old_email = applicant.email
    delete(applicant, django_capture_on_commit_callbacks)
    delete(released.reviewers[0], django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(staff)
    pk = released.round.pk
    for name in ("round-detail", "round-report", "round-applications-csv", "round-audit"):
        response = client.get(reverse(f"members-staff:{name}", args=[pk]))
        assert response.status_code == 200, name
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert OLD_NAME not in body, name
        if name != "round-audit":  # the audit log keeps who acted (qcommunity.audit)
            assert old_email not in body, name
        if name == "round-applications-csv":
            assert released.applications[0].reference in body
