"""Builders for joining Q and panel scoring, through the real services."""

import datetime as dt

from django.utils import timezone

from members.joining.enums import Commitment, Phase
from members.joining.services import (
    application_create,
    application_save_draft,
    round_create,
    round_open,
)
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from qcommunity.scoring.services import CriterionSpec, ScalePointSpec

CRITERIA = [
    CriterionSpec(
        "Commitment to collaborative improvement",
        "Why you want to join and what you will bring and gain.",
        "Say what you hope to learn and share.",
        "- A nurse who wants to spread a falls project",
        250,
    ),
    CriterionSpec(
        "Experience of improvement across boundaries",
        "Work you led or made happen beyond your own team.",
        "",
        "",
        250,
    ),
    CriterionSpec(
        "Understanding of how to improve",
        "What you aimed for, how you went about it and what you learnt.",
        "",
        "",
        250,
    ),
]

SCALE = [
    ScalePointSpec(0, "No evidence", "The answer does not address the criterion."),
    ScalePointSpec(1, "Limited", "Some evidence, with large gaps."),
    ScalePointSpec(2, "Meets", "Clear evidence that meets the criterion."),
    ScalePointSpec(3, "Strong", "Strong, specific evidence."),
]


def make_round(
    actor,
    *,
    phase=Phase.REGIONAL,
    regions=(Region.WESSEX,),
    open_now=True,
    criteria=None,
    scale=None,
    courses=(),
    name="Regional wave 3",
    reviews_needed=2,
):
    """A round that opened yesterday and closes in a week (opened when `open_now`)."""
    # Whole minutes, as the staff form enters them.
    now = timezone.now().replace(second=0, microsecond=0)
    round_ = round_create(
        actor=actor,
        name=name,
        phase=phase,
        regions=list(regions),
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
        review_deadline=now + dt.timedelta(days=21),
        decisions_release_at=now + dt.timedelta(days=30),
        criteria=criteria or CRITERIA,
        scale=scale or SCALE,
        reviews_needed=reviews_needed,
        courses=courses,
    )
    if open_now:
        round_ = round_open(actor=actor, round_=round_)
    return round_


FACTS = {
    "job_title": "Improvement lead",
    "organisation": "Northshire Health Trust",
    "organisation_type": OrganisationType.ACUTE,
    "role_types": [RoleType.MANAGER],
    "region": Region.WESSEX,
}


def complete_draft(applicant, round_, **facts):
    """A draft application with every fact, answer and commitment in place."""
    application = application_create(actor=applicant, round_=round_)
    answers = {c.pk: "I have led work across three teams." for c in round_.scheme.criteria.all()}
    return application_save_draft(
        actor=applicant,
        application=application,
        facts={**FACTS, **facts},
        answers=answers,
        commitments=Commitment.values,
    ).application
