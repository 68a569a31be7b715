"""Joining Q's regional panels as a kind of panel for the shared workspace
(`qcommunity.scoring.kinds`): they score applications to join Q, never from a reviewer's own
organisation; the chair records each decision (`views.ChairApplicationView`), released to
applicants later by a scheduled task."""

from allauth.mfa.utils import is_mfa_enabled
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from qcommunity.core.formatting import uk_datetime
from qcommunity.core.taxonomy import RoleType
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.kinds import PanelKind
from qcommunity.scoring.selectors import set_subjects
from qcommunity.scoring.services import workspace_distribute

from ..joining.enums import ApplicationStatus, RoundStatus
from ..joining.models import Application, Round
from ..joining.selectors import panel_applications
from ..joining.services import ROUNDS, JoiningError
from .forms import PanelCreateForm
from .notifications import PANEL_ASSIGNMENT
from .selectors import (
    application_with_answers,
    in_review_applications,
    membership_exclusion,
    panel_applications_short_of_reviews,
    round_submitted_count,
)


def application_facts(application: Application) -> list[dict]:
    """The profile facts a panel reads, as summary list rows (nothing else about the person)."""
    role_types = dict(RoleType.choices)
    rows = [
        ("Job title or role", application.job_title),
        ("Organisation", application.organisation),
        ("Type of organisation", application.get_organisation_type_display()),
        (
            "What describes their role",
            ", ".join(role_types.get(r, r) for r in application.role_types),
        ),
        ("Region", application.region_label),
    ]
    if application.course_id:
        course = f"{application.course.name} ({application.course.provider})"
        if application.course_year:
            course += f", finished in {application.course_year}"
        rows.append(("Improvement course", course))
    if application.nomination_code_id:
        rows.append(("Nominated by", application.nomination_code.nominating_organisation))
    return [{"key": {"text": key}, "value": {"text": value or "Not given"}} for key, value in rows]


def answers_by_criterion(application: Application, criteria) -> list[tuple]:
    """(criterion, the application's answer or None) in the scheme's order."""
    answers = {answer.criterion_id: answer for answer in application.answers.all()}
    return [(c, answers.get(c.pk)) for c in criteria]


def _free_regions(round_: Round, panels) -> list[str]:
    """The round's regions that have no panel yet, in the round's order."""
    taken = {panel.region for panel in panels}
    return [region for region in round_.regions if region not in taken]


class ApplicationPanels(PanelKind):
    subject_noun = "application"
    subject_noun_plural = "applications"
    template_dir = "members/panels"
    workspace_permission = "members.use_panel_workspace"
    staff_permission = "scoring.manage_panels"
    staff_open_member_pages = True
    check_step = True
    error = JoiningError
    asks_organisation = True
    role_choices = (
        (PanelRole.REVIEWER, "Reviewer: scores the applications given to them"),
        (PanelRole.CHAIR, "Chair: sees every score and records the decisions"),
    )
    conflict_question = "Do you have a conflict of interest with this applicant?"
    conflict_examples = (
        "For example, you know them well, manage them or work closely with them, or you have "
        "a financial or personal interest in the outcome."
    )
    panels_title = "Your panels"
    panels_intro = (
        "Panels read applications to join Q from their region and decide who is accepted."
    )
    no_panels = "You are not on any panel."
    exclusion_words = (
        "Nobody is given an application from their own organisation, or one they declared a "
        "conflict of interest with."
    )
    url_names = {
        "panel-list": "members:panel-list",
        "panel": "members:panel-detail",
        "assignment": "members:assignment-detail",
        "review": "members:assignment-review",
        "check": "members:assignment-check",
        "chair": "members:chair",
        "staff-panels": "members-staff:panel-list",
        "staff-panel": "members-staff:panel-detail",
        "distribute": "members-staff:distribute",
        "reassign": "members-staff:reassign",
    }
    owner_kwarg = "round"
    owner_model = Round
    subject_model = Application

    # Subjects ----------------------------------------------------------------------------

    def attach_subjects(self, assignments):
        assignments = list(assignments)
        applications = Application.objects.select_related("round").in_bulk(
            {a.subject_id for a in assignments}
        )
        return set_subjects(assignments, applications)

    def subject_for_review(self, assignment):
        return application_with_answers(assignment.subject_id)

    def subject_name(self, subject) -> str:
        return subject.reference

    def subject_heading(self, subject) -> str:
        return f"Application {subject.reference}"

    def subject_context(self, subject, criteria) -> dict:
        return {
            "facts": application_facts(subject),
            "answers": answers_by_criterion(subject, criteria),
        }

    def exclusion(self, panel, subject_ids):
        return membership_exclusion(panel, subject_ids)

    def default_organisation(self, user) -> str:
        profile = getattr(user, "profile", None)
        return profile.organisation if profile is not None else ""

    # Emails ------------------------------------------------------------------------------

    notification_kind = PANEL_ASSIGNMENT
    given_template = "members/panels/notifications/review_assignment.txt"
    handed_over_template = "members/panels/notifications/review_handed_over.txt"
    invitation_email = "panel_invitation"

    def given_subject(self, count: int) -> str:
        return ngettext(
            "%(num)d application to join Q given to you to review",
            "%(num)d applications to join Q given to you to review",
            count,
        ) % {"num": count}

    def handed_over_subject(self, subject) -> str:
        """Naming no one: the application is named by its reference in the message only."""
        return "An application to join Q given to you to review"

    def invitation_context(self, owner, member) -> dict:
        return {
            "review_deadline": uk_datetime(owner.review_deadline),
            "has_two_factor": is_mfa_enabled(member.user),
        }

    # The chair ---------------------------------------------------------------------------

    def chair_subjects(self, panel):
        return list(panel_applications(panel).only("pk", "reference", "status", "submitted_at"))

    def chair_context(self, request, panel, subjects) -> dict:
        return {"decided": sum(1 for a in subjects if a.status != ApplicationStatus.IN_REVIEW)}

    def chair_link(self, subject, panel, context) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("members:chair-application", args=[panel.pk, subject.pk]),
            subject.reference,
        )

    def chair_columns(self, context) -> list[dict]:
        return [{"text": "Decision"}]

    def chair_cells(self, subject, context) -> list[dict]:
        in_review = subject.status == ApplicationStatus.IN_REVIEW
        return [{"text": "Being reviewed" if in_review else subject.get_status_display()}]

    # Staff -------------------------------------------------------------------------------

    def panel_form(self, owner, panels, data=None):
        return PanelCreateForm(data, regions=_free_regions(owner, panels))

    def panel_create(self, *, actor, owner, data):
        from .services import round_panel_create

        return round_panel_create(
            actor=actor, round_=owner, region=data["region"], name=data["name"].strip()
        )

    def staff_panels_context(self, owner, panels) -> dict:
        return {
            "can_create": bool(_free_regions(owner, panels)),
            "cannot_create": "Every region of this round has a panel.",
            "can_start_review": owner.status in ROUNDS["start_review"].sources,
            "start_review_label": ROUNDS["start_review"].label,
            "submitted_count": round_submitted_count(owner)
            if owner.status == RoundStatus.CLOSED
            else 0,
        }

    def staff_panel_context(self, owner, panel) -> dict:
        reviewing = owner.status == RoundStatus.REVIEWING
        return {
            "can_distribute": reviewing,
            "short_of_reviews": panel_applications_short_of_reviews(panel) if reviewing else 0,
        }

    def distribute(self, *, actor, panel):
        if Round.objects.get(pk=panel.owner_id).status != RoundStatus.REVIEWING:
            raise JoiningError("Reviews can be given out while the panels are reviewing.")
        return workspace_distribute(
            self, actor=actor, panel=panel, subjects=in_review_applications(panel)
        )


APPLICATION_PANELS = ApplicationPanels()
