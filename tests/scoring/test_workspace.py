"""The panel workspace serves a new kind of panel with nothing copied: `workspace_kind` defines
only a `PanelKind` and mounts the kit's routes, and a whole round works through the pages, as
staff, a reviewer and the chair would use it."""

import html
import re

import pytest
from django.urls import reverse

from qcommunity.outbox.models import OutboxEmail
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment, Panel, Review
from qcommunity.scoring.services import panel_member_add
from tests.factories.accounts import UserFactory
from tests.factories.panels import staff_user, two_factor_user
from tests.scoring.workspace_kind import APPLICANTS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.scoring.workspace_kind"),
]


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def round_(client, scheme):
    # Staff create the panel on the round's panels page.
    staff = staff_user()
    client.force_login(staff)
    created = client.post(
        reverse("kit-staff:panel-list", args=[scheme.pk]), {"name": "Selection panel"}, follow=True
    )
    assert "Selection panel has been created. Now add its members." in _text(created)
    panel = Panel.objects.get(name="Selection panel")
    people = [UserFactory(full_name=f"Person {i}", email=f"p{i}{APPLICANTS}") for i in range(2)]
    return staff, panel, people


def test_a_new_kind_of_panel_runs_a_round_through_the_kits_pages(client, scheme, round_):
    staff, panel, people = round_
    reviewer = two_factor_user(full_name="Rowan Reviewer", email="rowan@example.org")
    other = two_factor_user(full_name="Oti Reviewer", email="oti@example.org")
    chair = two_factor_user(full_name="Chidi Chair")
    panel_member_add(actor=staff, panel=panel, user=other)
    panel_member_add(actor=staff, panel=panel, user=chair, role=PanelRole.CHAIR)

    # Staff add a reviewer by email (the kit's invitation goes out) and share the people out.
    client.force_login(staff)
    staff_page = reverse("kit-staff:panel", args=[scheme.pk, panel.pk])
    added = client.post(staff_page, {"email": reviewer.email, "role": "reviewer"}, follow=True)
    assert "Rowan Reviewer is on the panel as reviewer." in _text(added)
    invitation = OutboxEmail.objects.get(kind="scoring_panel_invitation")
    assert invitation.recipient == reviewer.email
    assert "Selection panel" in invitation.subject
    shared = client.post(reverse("kit-staff:distribute", args=[scheme.pk, panel.pk]), follow=True)
    assert "4 reviews given out." in _text(shared)
    told = OutboxEmail.objects.filter(recipient=reviewer.email).exclude(pk=invitation.pk).get()
    assert told.subject == "2 people given to you to review"

    # The reviewer: their panels, the panel, the conflict question, the form, the reviews.
    client.force_login(reviewer)
    assert "Selection panel" in _text(client.get(reverse("kit:panel-list")))
    panel_text = _text(client.get(reverse("kit:panel", args=[panel.pk])))
    assert "Review Person 0" in panel_text
    assert "Review Person 1" in panel_text
    assignment = Assignment.objects.get(reviewer=reviewer, subject_id=people[0].pk)
    start = reverse("kit:assignment", args=[assignment.pk])
    assert "any conflict of interest?" in _text(client.get(start))
    # Scoring before answering the question goes back to it.
    review_page = reverse("kit:review", args=[assignment.pk])
    assert client.get(review_page).headers["Location"] == start
    assert client.post(start, {"has_conflict": "no"}).headers["Location"] == review_page
    assert "Review person Person 0" in _text(client.get(review_page))
    scores = {f"criterion_{c.pk}": "2" for c in scheme.criteria.all()}
    submitted = client.post(review_page, {**scores, "recommendation": "support"}, follow=True)
    assert "Your review has been submitted." in _text(submitted)
    assert Review.objects.get(assignment=assignment).recommendation == "support"
    # Not a chair: the chair's page is not there for them.
    assert client.get(reverse("kit:chair", args=[panel.pk])).status_code == 404

    # The chair sees both people with the reviews in so far.
    client.force_login(chair)
    chair_text = _text(client.get(reverse("kit:chair", args=[panel.pk])))
    assert "Chair's workspace: Selection panel" in chair_text
    assert "Person 0 1 of 2 reviews" in chair_text

    # Staff give the other reviewer's unfinished review of Person 0 to... nobody else is free.
    client.force_login(staff)
    theirs = Assignment.objects.get(reviewer=other, subject_id=people[0].pk)
    reassign = reverse("kit-staff:reassign", args=[scheme.pk, panel.pk, theirs.pk])
    assert "No other reviewer on this panel can take this review." in _text(client.get(reassign))
    assert theirs.status == AssignmentStatus.ASSIGNED


def test_the_new_kinds_pages_are_not_found_for_people_off_the_panel(client, scheme, round_):
    staff, panel, _people = round_
    outsider = two_factor_user()
    panel_member_add(actor=staff, panel=panel, user=two_factor_user())
    client.force_login(outsider)
    for url in (
        reverse("kit:panel", args=[panel.pk]),
        reverse("kit:chair", args=[panel.pk]),
        reverse("kit-staff:panel", args=[scheme.pk, panel.pk]),
    ):
        assert client.get(url).status_code == 404, url
