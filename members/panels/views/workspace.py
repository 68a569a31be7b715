"""The panel workspace (`/panels/`): a panel member's panels and assignments, the conflict
question, scoring with a check step, and the chair's workspace with the decision.

Scoping is in `members.panels.selectors` (anything not yours is 404); who sees which scores is
decided by `scoring.selectors.subject_reviews_for_viewer`; every write is a service call whose
refusal becomes a message or a form error."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin
from qcommunity.core.taxonomy import RoleType
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.grid import review_totals, score_grid
from qcommunity.scoring.models import Assignment, Panel
from qcommunity.scoring.selectors import (
    panel_score_table,
    reviewer_progress,
    subject_reviews_for_viewer,
)
from qcommunity.scoring.services import ScoreInput, ScoringError, review_submit

from ...joining.enums import ApplicationStatus
from ...joining.models import Application
from ...joining.services import JoiningError, application_decide
from .. import rules  # noqa: F401 (registers the workspace permission)
from ..forms import RECOMMENDATION_WORDS, ConflictForm, DecisionForm, ReviewForm
from ..selectors import (
    application_answers_by_criterion,
    assignment_conflict_confirmed,
    assignment_get_for_reviewer,
    chair_application_get,
    chair_applications,
    panel_get_for_member,
    panel_memberships_for_user,
    reviewer_assignments,
    scheme_criteria,
    scheme_scale,
)
from ..services import (
    application_assignment_confirm_no_conflict,
    application_assignment_declare_conflict,
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


def _draft_key(assignment: Assignment) -> str:
    return f"panel-review-{assignment.pk}"


class WorkspaceMixin(PermissionRequired404Mixin):
    permission_required = "members.use_panel_workspace"


class PanelListView(WorkspaceMixin, TemplateView):
    """The panels I sit on, with my own review counts on each."""

    template_name = "panels/panel_list.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            memberships=panel_memberships_for_user(self.request.user), **kwargs
        )


class PanelDetailView(WorkspaceMixin, TemplateView):
    """One panel: my assignments on it (to review and submitted) and, for the chair, the way
    to the chair's workspace."""

    template_name = "panels/panel_detail.jinja"

    def get_context_data(self, **kwargs):
        try:
            panel, membership = panel_get_for_member(user=self.request.user, pk=self.kwargs["pk"])
        except Panel.DoesNotExist as error:
            raise Http404 from error
        assignments = reviewer_assignments(user=self.request.user, panel=panel)
        context = super().get_context_data(**kwargs)
        context.update(
            panel=panel,
            membership=membership,
            is_chair=self.request.user.has_perm("scoring.chair_panel", panel),
            to_review=[a for a in assignments if a.status == AssignmentStatus.ASSIGNED],
            submitted=[a for a in assignments if a.status == AssignmentStatus.SUBMITTED],
        )
        return context


class AssignmentMixin(WorkspaceMixin):
    def get_assignment(self) -> Assignment:
        try:
            return assignment_get_for_reviewer(user=self.request.user, pk=self.kwargs["pk"])
        except Assignment.DoesNotExist as error:
            raise Http404 from error

    def content_context(self, assignment: Assignment) -> dict:
        criteria = scheme_criteria(assignment.panel)
        answers = application_answers_by_criterion(assignment.application)
        return {
            "assignment": assignment,
            "application": assignment.application,
            "facts": application_facts(assignment.application),
            "panel": assignment.panel,
            "criteria": criteria,
            "answers": [(c, answers.get(c.pk)) for c in criteria],
        }


class AssignmentDetailView(AssignmentMixin, TemplateView):
    """The start of a review: first the conflict question (with who the applicant is and where
    they work, nothing more). With no conflict the reviewer goes on to score. A submitted review
    is shown here with the other reviews of the application, which only now become visible."""

    template_name = "panels/assignment_detail.jinja"

    def get(self, request, *args, **kwargs):
        assignment = self.get_assignment()
        if assignment.status == AssignmentStatus.ASSIGNED and assignment_conflict_confirmed(
            assignment
        ):
            return redirect("panels:assignment-review", assignment.pk)
        return self.render_to_response(self.get_context_data(assignment=assignment))

    def get_context_data(self, assignment, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(assignment=assignment, application=assignment.application)
        if assignment.status == AssignmentStatus.ASSIGNED:
            context["form"] = form or ConflictForm()
        elif assignment.status == AssignmentStatus.SUBMITTED:
            context.update(self.content_context(assignment))
            reviews = subject_reviews_for_viewer(
                viewer=self.request.user, panel=assignment.panel, subject=assignment.application
            )
            reviews = reviews or []
            context.update(
                reviews=reviews,
                own_index=next(
                    (i for i, r in enumerate(reviews) if r.assignment_id == assignment.pk), None
                ),
                grid=score_grid(context["criteria"], reviews),
                totals=review_totals(reviews),
                recommendation_words=RECOMMENDATION_WORDS,
            )
        return context

    def post(self, request, *args, **kwargs):
        assignment = self.get_assignment()
        form = ConflictForm(request.POST)
        if assignment.status != AssignmentStatus.ASSIGNED:
            messages.error(request, "This review is no longer yours to start.")
            return redirect("panels:assignment-detail", assignment.pk)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(assignment=assignment, form=form))
        try:
            if form.cleaned_data["has_conflict"] == "no":
                application_assignment_confirm_no_conflict(
                    actor=request.user, assignment=assignment
                )
                return redirect("panels:assignment-review", assignment.pk)
            replacement = application_assignment_declare_conflict(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except JoiningError as error:
            form_add_error(form, error)
            return self.render_to_response(self.get_context_data(assignment=assignment, form=form))
        messages.success(
            request,
            "Thank you for telling us. The application has been given to another reviewer."
            if replacement is not None
            else "Thank you for telling us. Staff will find another reviewer for this application.",
        )
        return redirect("panels:panel-detail", assignment.panel_id)


class AssignmentReviewView(AssignmentMixin, TemplateView):
    """The application's content and the scoring form. What is typed is kept (in the session)
    through the check step and any refusal, so nothing is lost."""

    template_name = "panels/assignment_review.jinja"

    def load(self):
        """The assignment, or a redirect to its start when it is not open for scoring: not
        yours to do any more, or the conflict question not answered yet."""
        self.assignment = self.get_assignment()
        if self.assignment.status != AssignmentStatus.ASSIGNED or not (
            assignment_conflict_confirmed(self.assignment)
        ):
            return redirect("panels:assignment-detail", self.assignment.pk)
        return None

    def review_form(self, data=None) -> ReviewForm:
        panel = self.assignment.panel
        return ReviewForm(data, criteria=scheme_criteria(panel), scale=scheme_scale(panel))

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.content_context(self.assignment))
        if form is None:
            draft = self.request.session.get(_draft_key(self.assignment))
            form = self.review_form(draft)
            if draft:
                form.is_valid()  # show what was wrong last time, with everything kept
        context["form"] = form
        return context

    def get(self, request, *args, **kwargs):
        return self.load() or self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        if response := self.load():
            return response
        form = self.review_form(request.POST)
        request.session[_draft_key(self.assignment)] = form.to_session()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        return redirect("panels:assignment-check", self.assignment.pk)


class AssignmentCheckView(AssignmentReviewView):
    """Check your scores, then submit. Submitting twice, or a score not on the scale, is
    refused by `review_submit` with a message; the draft is kept until it is accepted."""

    template_name = "panels/assignment_check.jinja"

    def get(self, request, *args, **kwargs):
        if response := self.load():
            return response
        draft = request.session.get(_draft_key(self.assignment))
        form = self.review_form(draft)
        if not draft or not form.is_valid():
            return redirect("panels:assignment-review", self.assignment.pk)
        points = {point.value: point for point in form.scale}
        context = self.get_context_data(form=form)
        context["summary"] = [
            {
                "criterion": criterion,
                "score": points[form.cleaned_data[f"criterion_{criterion.pk}"]],
                "comment": form.cleaned_data[f"comment_{criterion.pk}"],
            }
            for criterion in form.criteria
        ]
        context["recommendation"] = form.recommendation_label()
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        # No redirect first: a second submission must reach the service and hear why not.
        assignment = self.assignment = self.get_assignment()
        draft = request.session.get(_draft_key(assignment)) or {}
        scores = []
        for criterion in scheme_criteria(assignment.panel):
            raw = str(draft.get(f"criterion_{criterion.pk}", "")).strip()
            value = int(raw) if raw.isdigit() else None
            comment = draft.get(f"comment_{criterion.pk}", "") or ""
            scores.append(ScoreInput(criterion.pk, value, comment))
        try:
            review_submit(
                actor=request.user,
                assignment=assignment,
                scores=scores,
                recommendation=draft.get("recommendation", ""),
                comment=draft.get("comment", ""),
            )
        except ScoringError as error:
            messages.error(request, str(error))
            if assignment.status == AssignmentStatus.ASSIGNED:
                return redirect("panels:assignment-review", assignment.pk)
            return redirect("panels:assignment-detail", assignment.pk)
        request.session.pop(_draft_key(assignment), None)
        messages.success(
            request, "Your review has been submitted. You can now see the other reviews."
        )
        return redirect("panels:assignment-detail", assignment.pk)


# The chair ---------------------------------------------------------------------------------------


class ChairMixin(WorkspaceMixin):
    def get_panel(self) -> Panel:
        try:
            panel, _ = panel_get_for_member(user=self.request.user, pk=self.kwargs["panel"])
        except Panel.DoesNotExist as error:
            raise Http404 from error
        if not self.request.user.has_perm("scoring.chair_panel", panel):
            raise Http404
        return panel


SORTS = {
    "disagreement": "Largest disagreement first",
    "submitted": "Order of submission",
}


class ChairWorkspaceView(ChairMixin, TemplateView):
    """Progress per reviewer; each application's scores side by side with the spread and
    flags, sorted by disagreement (largest range first) or by order of submission."""

    template_name = "panels/chair_workspace.jinja"

    def get_context_data(self, **kwargs):
        panel = self.get_panel()
        applications = chair_applications(panel)
        by_id = {a.pk: a for a in applications}
        table = panel_score_table(
            panel=panel,
            subject_type=ContentType.objects.get_for_model(Application),
            subject_ids=by_id,
        )
        sort = self.request.GET.get("sort", "disagreement")
        if sort not in SORTS:
            sort = "disagreement"
        if sort == "submitted":
            order = {pk: index for index, pk in enumerate(by_id)}
            table.sort(key=lambda row: order[row.subject_id])
        rows = [{"application": by_id[row.subject_id], "scores": row} for row in table]
        progress = reviewer_progress(panel=panel)
        context = super().get_context_data(**kwargs)
        context.update(
            panel=panel,
            rows=rows,
            progress=[p for p in progress if p["member"].role == PanelRole.REVIEWER],
            sort=sort,
            sorts=SORTS,
            waiting=sum(1 for row in table if not row.complete),
            decided=sum(1 for a in applications if a.status != ApplicationStatus.IN_REVIEW),
        )
        return context


class ChairApplicationView(ChairMixin, TemplateView):
    """One application for the chair: its content, every review side by side with comments,
    and the decision (recorded here, released to the applicant later by a scheduled task)."""

    template_name = "panels/chair_application.jinja"

    def get_application(self, panel: Panel) -> Application:
        try:
            return chair_application_get(panel=panel, pk=self.kwargs["pk"])
        except Application.DoesNotExist as error:
            raise Http404 from error

    def get_context_data(self, form=None, **kwargs):
        panel = self.get_panel()
        application = self.get_application(panel)
        criteria = scheme_criteria(panel)
        answers = application_answers_by_criterion(application)
        reviews = (
            subject_reviews_for_viewer(viewer=self.request.user, panel=panel, subject=application)
            or []
        )
        context = super().get_context_data(**kwargs)
        context.update(
            panel=panel,
            application=application,
            facts=application_facts(application),
            criteria=criteria,
            answers=[(c, answers.get(c.pk)) for c in criteria],
            reviews=reviews,
            grid=score_grid(criteria, reviews),
            totals=review_totals(reviews),
            recommendation_words=RECOMMENDATION_WORDS,
            form=form or DecisionForm(),
            can_decide=application.status == ApplicationStatus.IN_REVIEW,
        )
        return context

    def post(self, request, *args, **kwargs):
        panel = self.get_panel()
        application = self.get_application(panel)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                application_decide(
                    actor=request.user,
                    application=application,
                    accept=form.cleaned_data["decision"] == "accept",
                    rationale=form.cleaned_data["rationale"],
                    feedback=form.cleaned_data["feedback"],
                )
            except JoiningError as error:
                form_add_error(form, error)
            else:
                messages.success(
                    request,
                    f"Your decision on {application.reference} has been recorded. The "
                    "applicant will be told on the release date.",
                )
                return redirect("panels:chair", panel.pk)
        return self.render_to_response(self.get_context_data(form=form))
