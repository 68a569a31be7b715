"""What joining Q holds about a person (qcommunity.privacy.registry): their applications; the
choices made on deletion are explained in `members.directory.personal_data`."""

from django.db.models import Prefetch
from django.utils import timezone

from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from qcommunity.privacy.registry import PersonalData, register

from .enums import ApplicationStatus, Phase
from .models import Application, ApplicationAnswer, RoundManager
from .roles import round_managers_erase
from .selectors import application_status_for_applicant

ORGANISATION_TYPE = dict(OrganisationType.choices)
ROLE_TYPE = dict(RoleType.choices)
REGION = dict(Region.choices)
PHASE = dict(Phase.choices)
APPLICATION_STATUS = dict(ApplicationStatus.choices)


def _labels(codes, labels: dict) -> list[str]:
    return [labels.get(code, code) for code in codes]


# Applications to join Q ------------------------------------------------------------------------


def _decision(application: Application) -> dict | None:
    if application.released_at is None:
        return None  # a decision is the applicant's only once it is released
    return {
        "decision": APPLICATION_STATUS.get(application.status, application.status),
        "released_at": application.released_at,
        "feedback": application.feedback,
    }


def applications_export(user) -> list[dict]:
    applications = (
        Application.objects.filter(applicant_id=user.pk)
        .select_related("round", "course", "nomination_code")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=ApplicationAnswer.objects.select_related("criterion").order_by(
                    "criterion__position"
                ),
            )
        )
        .order_by("created_at", "id")
    )
    return [
        {
            "round": a.round.name,
            "phase": PHASE.get(a.round.phase, a.round.phase),
            "reference": a.reference or "",
            "status": APPLICATION_STATUS.get(
                application_status_for_applicant(a), application_status_for_applicant(a)
            ),
            "started_at": a.created_at,
            "submitted_at": a.submitted_at,
            "withdrawn_at": a.withdrawn_at,
            "job_title": a.job_title,
            "organisation": a.organisation,
            "type_of_organisation": ORGANISATION_TYPE.get(a.organisation_type, ""),
            "what_describes_your_role": _labels(a.role_types, ROLE_TYPE),
            "region": REGION.get(a.region, ""),
            "improvement_course": (f"{a.course.name} ({a.course.provider})" if a.course_id else ""),
            "year_you_finished_the_course": a.course_year,
            "nominated_by": (
                a.nomination_code.nominating_organisation if a.nomination_code_id else ""
            ),
            "commitments": [
                {"wording": c.get("wording", ""), "accepted_at": c.get("accepted_at", "")}
                for c in a.commitments
            ],
            "answers": [
                {"question": answer.criterion.title, "answer": answer.text}
                for answer in a.answers.all()
            ],
            "decision": _decision(a),
        }
        for a in applications
    ]


def applications_erase(user) -> None:
    """Delete drafts never submitted; on submitted applications keep the row and its decision
    but blank the answers and the job title, organisation and course year."""
    now = timezone.now()
    mine = Application.objects.filter(applicant_id=user.pk)
    mine.filter(submitted_at__isnull=True).delete()
    ApplicationAnswer.objects.filter(application__applicant_id=user.pk).update(
        text="", words=0, updated_at=now
    )
    mine.update(job_title="", organisation="", course_year=None, updated_at=now)


register(
    PersonalData(
        key="members.applications",
        label="Your applications to join Q, with your answers and any decision sent to you",
        on_delete="Drafts you never submitted are deleted. For applications you submitted, we "
        "keep the decision and the reference, and delete your answers, job title and "
        "organisation.",
        export=applications_export,
        erase=applications_erase,
        order=30,
    )
)


# Rounds the person manages for staff -------------------------------------------------------------


def round_management_export(user) -> list[dict]:
    return [
        {"round": row.round.name, "since": row.added_at, "reason": row.reason}
        for row in RoundManager.objects.filter(user=user).select_related("round")
    ]


def round_management_erase(user) -> None:
    round_managers_erase(user)


register(
    PersonalData(
        key="members.round_management",
        label="The rounds of joining Q you manage for staff",
        on_delete="You stop managing them.",
        export=round_management_export,
        erase=round_management_erase,
        order=31,
    )
)
