"""Builders for releasing decisions: a round whose applications all have a decision, through
the real services, and a round whose release date has just passed."""

import datetime as dt

from django.utils import timezone

from members.joining.models import Application, Round
from members.joining.services import application_decide, round_transition, round_update
from tests.factories.panels import panel_in_review, submit_review

FEEDBACK = "Tell us more about what changed for patients."
RATIONALE = "Rationale-for-the-panel-only"


def decided_round(staff, *, accepted=1, not_yet=1, mark=True, round_=None, name="Wave 3"):
    """A round whose applications all have a decision (the first `accepted` accepted, the rest
    not yet), marked decided when `mark`, through the real services."""
    setup = panel_in_review(staff, applications=accepted + not_yet, round_=round_, name=name)
    for assignment in setup.panel.assignments.all():
        submit_review(assignment, [3, 2, 2], comment="Comment on the whole application")
    for index, application in enumerate(setup.applications):
        application_decide(
            actor=setup.chair,
            application=application,
            accept=index < accepted,
            rationale=RATIONALE,
            feedback="" if index < accepted else FEEDBACK,
        )
    if mark:
        round_transition(actor=staff, round_=setup.round, action="mark_decided")
    setup.round.refresh_from_db()
    setup.applications = [Application.objects.get(pk=a.pk) for a in setup.applications]
    return setup


def move_release_to_the_past(staff, round_: Round) -> Round:
    """Staff move every date of the round back, so its release date has just passed."""
    now = timezone.now().replace(second=0, microsecond=0)
    return round_update(
        actor=staff,
        round_=round_,
        name=round_.name,
        phase=round_.phase,
        regions=round_.regions,
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=30),
        review_deadline=now - dt.timedelta(days=10),
        decisions_release_at=now - dt.timedelta(minutes=1),
        reviews_needed=round_.reviews_needed,
    )
