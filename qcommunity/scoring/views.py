"""The panel workspace, written once for every kind of panel (`kinds.PanelKind`). Nothing here
is routed: each consumer mounts these views in its own `urls.py` with `as_view(kind=...)`, so
the kit never learns what its subjects are.

Reviewers: their panels, their assignments on one, the conflict question, the blind review
form (and, where the kind has it, a check step), and the reviews side by side once theirs is
in. The chair: every subject's scores side by side with the spread, largest disagreements first.
Staff: a panel's members, progress and assignments, adding people, sharing out, reassigning.

Scoping is in `scoring.selectors` (anything not yours is 404); who sees which scores is decided
by `subject_reviews_for_viewer`; every write is a service call whose refusal becomes a message
or a form error."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from qcommunity.core.errors import ServiceError, form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin

from .enums import AssignmentStatus
from .forms import ConflictForm, PanelMemberInviteForm, ReassignForm, ReviewForm
from .grid import review_totals, score_grid
from .kinds import PanelKind
from .models import Assignment, Panel
from .selectors import (
    assignment_conflict_confirmed,
    owner_panel_get,
    owner_panels_with_counts,
    panel_members_with_two_factor,
    panel_score_table,
    reassign_candidates,
    reviewers_progress,
    scheme_criteria,
    scheme_scale,
    subject_reviews_for_viewer,
    workspace_assignment_get,
    workspace_assignment_get_for_staff,
    workspace_conflicts,
    workspace_memberships,
    workspace_panel_assignments,
    workspace_panel_get,
    workspace_reviewer_assignments,
)
from .services import (
    ScoreInput,
    assignment_confirm_no_conflict,
    workspace_declare_conflict,
    workspace_member_invite,
    workspace_review_submit,
)


class KindMixin(PermissionRequired404Mixin):
    """A page of the workspace for one kind of panel: `kind` is given to `as_view`, `page`
    names the template (the kind's own if it has one, else the kit's)."""

    kind: PanelKind = None
    page = ""

    def get_permission_required(self):
        return (self.kind.workspace_permission,)

    def get_template_names(self):
        return self.kind.template(self.page)

    def get(self, request, *args, **kwargs):
        # The URL's values are read from `self.kwargs`; the context holds the objects.
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.kind, **kwargs)


# Reviewers -------------------------------------------------------------------------------------


class PanelListView(KindMixin, TemplateView):
    """The panels of this kind I sit on, with my role and my own review counts on each."""

    page = "panel_list"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            memberships=workspace_memberships(self.kind, self.request.user), **kwargs
        )


class PanelDetailView(KindMixin, TemplateView):
    """One panel: my assignments on it (to review, submitted, and those that left my list) and,
    for the chair, the way to the chair's page."""

    page = "panel_detail"

    def get_context_data(self, **kwargs):
        try:
            panel, membership = workspace_panel_get(
                self.kind, user=self.request.user, pk=self.kwargs["pk"]
            )
        except Panel.DoesNotExist as error:
            raise Http404 from error
        assignments = workspace_reviewer_assignments(self.kind, user=self.request.user, panel=panel)
        return super().get_context_data(
            panel=panel,
            membership=membership,
            is_chair=self.kind.may_open_chair(self.request.user, panel),
            to_review=[a for a in assignments if a.status == AssignmentStatus.ASSIGNED],
            submitted=[a for a in assignments if a.status == AssignmentStatus.SUBMITTED],
            left_list=[
                a
                for a in assignments
                if a.status in (AssignmentStatus.CONFLICT, AssignmentStatus.WITHDRAWN)
            ],
            **kwargs,
        )


def _draft_key(assignment: Assignment) -> str:
    return f"panel-review-{assignment.pk}"


class AssignmentMixin(KindMixin):
    def get_assignment(self) -> Assignment:
        try:
            return workspace_assignment_get(self.kind, user=self.request.user, pk=self.kwargs["pk"])
        except Assignment.DoesNotExist as error:
            raise Http404 from error

    def content_context(self, assignment: Assignment) -> dict:
        criteria = scheme_criteria(assignment.panel)
        return {
            "assignment": assignment,
            "subject": assignment.subject,
            "panel": assignment.panel,
            "criteria": criteria,
            **self.kind.subject_context(assignment.subject, criteria),
        }


class AssignmentDetailView(AssignmentMixin, TemplateView):
    """The start of a review: first the conflict question (with who the subject is from,
    nothing more). With no conflict the reviewer goes on to score. A submitted review is shown
    here with the other reviews of the subject, which only now become visible."""

    page = "assignment_detail"

    def get(self, request, *args, **kwargs):
        assignment = self.get_assignment()
        if assignment.status == AssignmentStatus.ASSIGNED and assignment_conflict_confirmed(
            assignment
        ):
            return redirect(self.kind.url("review", assignment.pk))
        return self.render_to_response(self.get_context_data(assignment=assignment))

    def get_context_data(self, assignment, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(assignment=assignment, subject=assignment.subject, panel=assignment.panel)
        if assignment.status == AssignmentStatus.ASSIGNED:
            context["form"] = form or ConflictForm(kind=self.kind)
            context.update(self.kind.conflict_context(assignment.subject))
        elif assignment.status == AssignmentStatus.SUBMITTED:
            context.update(self.content_context(assignment))
            reviews = (
                subject_reviews_for_viewer(
                    viewer=self.request.user, panel=assignment.panel, subject=assignment.subject
                )
                or []
            )
            context.update(
                reviews=reviews,
                own_index=next(
                    (i for i, r in enumerate(reviews) if r.assignment_id == assignment.pk), None
                ),
                grid=score_grid(context["criteria"], reviews),
                totals=review_totals(reviews),
            )
        return context

    def post(self, request, *args, **kwargs):
        assignment = self.get_assignment()
        if assignment.status != AssignmentStatus.ASSIGNED:
            messages.error(request, "This review is no longer yours to start.")
            return redirect(self.kind.url("assignment", assignment.pk))
        form = ConflictForm(request.POST, kind=self.kind)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(assignment=assignment, form=form))
        try:
            if form.cleaned_data["has_conflict"] == "no":
                assignment_confirm_no_conflict(self.kind, actor=request.user, assignment=assignment)
                return redirect(self.kind.url("review", assignment.pk))
            replacement = workspace_declare_conflict(
                self.kind,
                actor=request.user,
                assignment=assignment,
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form_add_error(form, error)
            return self.render_to_response(self.get_context_data(assignment=assignment, form=form))
        noun = self.kind.subject_noun
        messages.success(
            request,
            f"Thank you for telling us. The {noun} has been given to another reviewer."
            if replacement is not None
            else f"Thank you for telling us. Staff will find another reviewer for this {noun}.",
        )
        return redirect(self.kind.url("panel", assignment.panel_id))


class AssignmentReviewView(AssignmentMixin, TemplateView):
    """The subject's content and the scoring form. With a check step, what is typed is kept
    (in the session) through the check and any refusal, so nothing is lost; without one, the
    form submits the review and a refusal shows the form again as typed."""

    page = "assignment_review"

    def load(self):
        """The assignment, or a redirect to its start when it is not open for scoring: not
        yours to do any more, or the conflict question not answered yet."""
        self.assignment = self.get_assignment()
        if self.assignment.status != AssignmentStatus.ASSIGNED or not (
            assignment_conflict_confirmed(self.assignment)
        ):
            return redirect(self.kind.url("assignment", self.assignment.pk))
        return None

    def review_form(self, data=None) -> ReviewForm:
        panel = self.assignment.panel
        return ReviewForm(
            data, kind=self.kind, criteria=scheme_criteria(panel), scale=scheme_scale(panel)
        )

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
        if self.kind.check_step:
            request.session[_draft_key(self.assignment)] = form.to_session()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if self.kind.check_step:
            return redirect(self.kind.url("check", self.assignment.pk))
        data = form.cleaned_data
        scores = [
            ScoreInput(c.pk, data[f"criterion_{c.pk}"], data[f"comment_{c.pk}"])
            for c in form.criteria
        ]
        try:
            submit_review(self.kind, request, self.assignment, scores, data)
        except ServiceError as error:
            form_add_error(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        return redirect(self.kind.url("assignment", self.assignment.pk))


def submit_review(kind, request, assignment, scores, data) -> None:
    """Submit the review (refusals raise the kind's error), forget the draft, say so."""
    workspace_review_submit(
        kind,
        actor=request.user,
        assignment=assignment,
        scores=scores,
        recommendation=data.get("recommendation", ""),
        comment=data.get("comment", ""),
    )
    request.session.pop(_draft_key(assignment), None)
    messages.success(request, "Your review has been submitted. You can now see the other reviews.")


class AssignmentCheckView(AssignmentReviewView):
    """Check your scores, then submit (kinds with `check_step`). Submitting twice, or a score
    not on the scale, is refused by the service with a message; the draft is kept until it is
    accepted."""

    page = "assignment_check"

    def get(self, request, *args, **kwargs):
        if response := self.load():
            return response
        draft = request.session.get(_draft_key(self.assignment))
        form = self.review_form(draft)
        if not draft or not form.is_valid():
            return redirect(self.kind.url("review", self.assignment.pk))
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
            submit_review(self.kind, request, assignment, scores, draft)
        except ServiceError as error:
            messages.error(request, str(error))
            if assignment.status == AssignmentStatus.ASSIGNED:
                return redirect(self.kind.url("review", assignment.pk))
        return redirect(self.kind.url("assignment", assignment.pk))


# The chair -------------------------------------------------------------------------------------

SORTS = {
    "disagreement": "Largest disagreement first",
    "submitted": "Order of submission",
}


def chair_panel_get(kind: PanelKind, *, user, pk: int) -> Panel:
    """A panel of `kind` whose chair's page `user` may open (`kind.may_open_chair`), with its
    scheme and `.round`; Http404 otherwise."""
    try:
        panel = Panel.objects.select_related("scheme").get(pk=pk, owner_type=kind.owner_type())
    except Panel.DoesNotExist as error:
        raise Http404 from error
    if not kind.may_open_chair(user, panel):
        raise Http404
    kind.attach_owners([panel])
    return panel


class ChairView(KindMixin, TemplateView):
    """Progress per reviewer, the conflicts declared, and each subject's scores side by side
    with the spread and flags, sorted by disagreement (largest spread first, subjects still
    waiting for reviews after) or by order of submission."""

    page = "chair"

    def get_context_data(self, **kwargs):
        panel = chair_panel_get(self.kind, user=self.request.user, pk=self.kwargs["pk"])
        subjects = self.kind.chair_subjects(panel)
        by_id = {s.pk: s for s in subjects}
        table = panel_score_table(
            panel=panel, subject_type=self.kind.subject_type(), subject_ids=by_id
        )
        sort = self.request.GET.get("sort", "disagreement")
        if sort not in SORTS:
            sort = "disagreement"
        if sort == "submitted":
            order = {pk: index for index, pk in enumerate(by_id)}
            table.sort(key=lambda row: order[row.subject_id])
        context = self.kind.chair_context(self.request, panel, subjects)
        rows = [
            {
                "subject": by_id[row.subject_id],
                "scores": row,
                "link": self.kind.chair_link(by_id[row.subject_id], panel, context),
                "cells": self.kind.chair_cells(by_id[row.subject_id], context),
            }
            for row in table
        ]
        return super().get_context_data(
            panel=panel,
            rows=rows,
            columns=self.kind.chair_columns(context),
            progress=reviewers_progress(panel),
            conflicts=workspace_conflicts(self.kind, panel),
            sort=sort,
            sorts=SORTS,
            waiting=sum(1 for row in table if not row.complete),
            **context,
            **kwargs,
        )


# Staff -----------------------------------------------------------------------------------------


class StaffMixin(KindMixin):
    def get_permission_required(self):
        return (self.kind.staff_permission,)

    def get_owner(self):
        try:
            return self.kind.owner_get(self.kwargs[self.kind.owner_kwarg])
        except self.kind.owner_model.DoesNotExist as error:
            raise Http404 from error

    def get_panel(self, owner) -> Panel:
        try:
            return owner_panel_get(owner=owner, pk=self.kwargs["panel"])
        except Panel.DoesNotExist as error:
            raise Http404 from error


class StaffPanelListView(StaffMixin, TemplateView):
    """A round's panels with their members and progress, and the kind's form to create one."""

    page = "staff_panel_list"

    def get_context_data(self, form=None, **kwargs):
        owner = self.get_owner()
        panels = owner_panels_with_counts(owner)
        return super().get_context_data(
            round=owner,
            panels=panels,
            form=form or self.kind.panel_form(owner, panels),
            **self.kind.staff_panels_context(owner, panels),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        owner = self.get_owner()
        form = self.kind.panel_form(owner, owner_panels_with_counts(owner), request.POST)
        if form.is_valid():
            try:
                panel = self.kind.panel_create(
                    actor=request.user, owner=owner, data=form.cleaned_data
                )
            except ServiceError as error:
                form_add_error(form, error)
            else:
                messages.success(request, f"{panel.name} has been created. Now add its members.")
                return redirect(self.kind.url("staff-panel", owner.pk, panel.pk))
        return self.render_to_response(self.get_context_data(form=form))


class StaffPanelDetailView(StaffMixin, TemplateView):
    """A panel's members (with whether they have set up two-factor authentication), the form
    to add someone, each reviewer's progress, and every assignment with a way to reassign it."""

    page = "staff_panel_detail"

    def get_context_data(self, form=None, **kwargs):
        owner = self.get_owner()
        panel = self.get_panel(owner)
        return super().get_context_data(
            round=owner,
            panel=panel,
            members=panel_members_with_two_factor(panel),
            progress=reviewers_progress(panel),
            assignments=workspace_panel_assignments(self.kind, panel),
            form=form or PanelMemberInviteForm(kind=self.kind),
            **self.kind.staff_panel_context(owner, panel),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        owner = self.get_owner()
        panel = self.get_panel(owner)
        form = PanelMemberInviteForm(request.POST, kind=self.kind)
        if form.is_valid():
            try:
                member = workspace_member_invite(
                    self.kind, actor=request.user, panel=panel, **form.cleaned_data
                )
            except ServiceError as error:
                form_add_error(form, error)
            else:
                text = (
                    f"{member.user.get_full_name()} is on the panel as "
                    f"{member.get_role_display().lower()}."
                )
                if not is_mfa_enabled(member.user):
                    text += " They need two-factor authentication to see the panel."
                messages.success(request, text)
                return redirect(self.kind.url("staff-panel", owner.pk, panel.pk))
        return self.render_to_response(self.get_context_data(form=form))


class PanelDistributeView(StaffMixin, View):
    """POST only: give out the reviews the panel's subjects still need (the first time, and
    again after adding reviewers or after conflicts)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        owner = self.get_owner()
        panel = self.get_panel(owner)
        try:
            result = self.kind.distribute(actor=request.user, panel=panel)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            created, short = len(result.created), len(result.short)
            text = ngettext("%(num)d review given out.", "%(num)d reviews given out.", created) % {
                "num": created
            }
            if short:
                text += " " + ngettext(
                    "%(num)d %(noun)s is still short of reviewers: add people to the panel, "
                    "then give out reviews again.",
                    "%(num)d %(nouns)s are still short of reviewers: add people to the panel, "
                    "then give out reviews again.",
                    short,
                ) % {
                    "num": short,
                    "noun": self.kind.subject_noun,
                    "nouns": self.kind.subject_noun_plural,
                }
            messages.success(request, text)
        return redirect(self.kind.url("staff-panel", owner.pk, panel.pk))


class AssignmentReassignView(StaffMixin, TemplateView):
    """Staff give an unfinished review to another reviewer of the panel: GET shows the subject,
    the reviewer now and a choice of those who may take it (`reassign_candidates`); POST hands
    it over through the kind's service, which checks the same rules again, and goes back to the
    panel's page. A finished review shows why it cannot move."""

    page = "assignment_reassign"

    def load(self) -> None:
        self.round = self.get_owner()
        self.panel = self.get_panel(self.round)
        try:
            self.assignment = workspace_assignment_get_for_staff(
                self.kind, panel=self.panel, pk=self.kwargs["assignment"]
            )
        except Assignment.DoesNotExist as error:
            raise Http404 from error
        self.reviewers = reassign_candidates(self.kind, self.assignment)

    def get(self, request, *args, **kwargs):
        self.load()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(
            round=self.round,
            panel=self.panel,
            assignment=self.assignment,
            subject_name=self.kind.subject_name(self.assignment.subject),
            back_url=self.kind.url("staff-panel", self.round.pk, self.panel.pk),
            can_reassign=self.assignment.status == AssignmentStatus.ASSIGNED,
            reviewers=self.reviewers,
            form=form or ReassignForm(reviewers=self.reviewers),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.load()
        form = ReassignForm(request.POST, reviewers=self.reviewers)
        if form.is_valid():
            to_user = next(
                m.user for m in self.reviewers if m.user_id == form.cleaned_data["to_user"]
            )
            try:
                self.kind.reassign(actor=request.user, assignment=self.assignment, to_user=to_user)
            except ServiceError as error:
                form_add_error(form, error)
            else:
                messages.success(
                    request,
                    f"The review of {self.kind.subject_name(self.assignment.subject)} has been "
                    f"given to {to_user.get_full_name()}.",
                )
                return redirect(self.kind.url("staff-panel", self.round.pk, self.panel.pk))
        return self.render_to_response(self.get_context_data(form=form))
