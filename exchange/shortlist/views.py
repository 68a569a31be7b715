"""Shortlisting panels for Q Exchange (issue 6 point 6).

Staff (`/staff/exchange/rounds/<pk>/...`): the round's criteria and scale, its panels, their
members, sharing proposals out and giving an unfinished review to someone else. Reviewers
(`/exchange/panels/...`): my panels, my assignments, the conflict question, then the proposal
and the scoring form; the other reviews of a proposal appear once mine is submitted. The panel
overview (chair and moderators): scores side by side with the spread, flags and engagement,
linking to the decision page where moderators record shortlisting and funding decisions.

These are Exchange's own pages rather than the membership workspace at /panels/, whose views
and selectors are built around applications (facts about the applicant, regions, the chair's
decision and release); the kit's services, permissions, score table and templates'
`score_table`/`review_comments` macros are shared."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from members.panels.selectors import (
    assignment_conflict_confirmed,
    panel_members_with_two_factor,
    scheme_criteria,
    scheme_scale,
)
from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.grid import review_totals, score_grid
from qcommunity.scoring.models import Assignment, Panel
from qcommunity.scoring.selectors import (
    panel_score_table,
    reviewer_progress,
    subject_reviews_for_viewer,
)
from qcommunity.scoring.services import ScoreInput
from qcommunity.scoring.views import AssignmentReassignViewBase

from ..proposals.models import Proposal
from ..rounds.services import ExchangeError
from ..rounds.views import ExchangeStaffMixin
from .forms import (
    RECOMMENDATION_WORDS,
    ConflictForm,
    CriteriaForm,
    PanelCreateForm,
    PanelMemberInviteForm,
    ProposalReassignForm,
    ProposalReviewForm,
)
from .selectors import (
    assignment_get_for_reviewer,
    assignment_get_for_staff,
    panel_assignments_for_staff,
    panel_conflicts,
    panel_get_for_member,
    panel_get_for_overview,
    panel_get_for_staff,
    panel_proposals,
    proposals_to_shortlist_count,
    reassign_candidates,
    reviewer_assignments,
    round_panels_for_staff,
    shortlist_memberships_for_user,
)
from .services import (
    proposal_assignment_confirm_no_conflict,
    proposal_assignment_declare_conflict,
    proposal_assignment_reassign,
    proposal_assignments_distribute,
    proposal_review_submit,
    round_criteria_set,
    shortlist_panel_create,
    shortlist_panel_member_invite,
    shortlisting_started,
)

# Staff -----------------------------------------------------------------------------------------


class RoundCriteriaView(ExchangeStaffMixin, TemplateView):
    """The criteria and scale panels score the round's proposals against; read-only once
    shortlisting has started."""

    template_name = "exchange/staff/round_criteria.jinja"

    def get_context_data(self, round_=None, form=None, **kwargs):
        round_ = round_ or self.get_round()
        locked = shortlisting_started(round_)
        form = form or CriteriaForm(initial=CriteriaForm.initial_for(round_.scheme), locked=locked)
        return super().get_context_data(round=round_, form=form, locked=locked, **kwargs)

    def post(self, request, pk):
        round_ = self.get_round()
        locked = shortlisting_started(round_)
        form = CriteriaForm(
            request.POST, initial=CriteriaForm.initial_for(round_.scheme), locked=locked
        )
        if form.is_valid():
            try:
                round_criteria_set(
                    actor=request.user, round_=round_, criteria=form.criteria(), scale=form.scale()
                )
            except ExchangeError as error:
                form_add_error(form, error)
            else:
                messages.success(request, "The shortlisting criteria have been saved")
                return redirect("exchange-staff:round-panels", round_.pk)
        return self.render_to_response(self.get_context_data(round_=round_, form=form))


class RoundPanelListView(ExchangeStaffMixin, TemplateView):
    """The round's shortlisting panels, and a form to create one."""

    template_name = "exchange/staff/panel_list.jinja"

    def get_context_data(self, round_=None, form=None, **kwargs):
        round_ = round_ or self.get_round()
        return super().get_context_data(
            round=round_,
            panels=round_panels_for_staff(round_),
            form=form or PanelCreateForm(),
            started=shortlisting_started(round_),
            proposal_count=proposals_to_shortlist_count(round_),
            **kwargs,
        )

    def post(self, request, pk):
        round_ = self.get_round()
        form = PanelCreateForm(request.POST)
        if form.is_valid():
            try:
                panel = shortlist_panel_create(
                    actor=request.user,
                    round_=round_,
                    name=form.cleaned_data["name"],
                    reviews_needed=form.cleaned_data["reviews_needed"],
                )
            except ExchangeError as error:
                form_add_error(form, error)
            else:
                messages.success(request, f"{panel.name} has been created. Now add its members.")
                return redirect("exchange-staff:panel-detail", round_.pk, panel.pk)
        return self.render_to_response(self.get_context_data(round_=round_, form=form))


class PanelStaffMixin(ExchangeStaffMixin):
    def get_panel(self, round_) -> Panel:
        try:
            return panel_get_for_staff(round_=round_, pk=self.kwargs["panel"])
        except Panel.DoesNotExist as error:
            raise Http404 from error


class PanelStaffDetailView(PanelStaffMixin, TemplateView):
    """A panel's members (with their two-factor state), adding people, progress and every
    assignment, and sharing the proposals out."""

    template_name = "exchange/staff/panel_detail.jinja"

    def get_context_data(self, form=None, **kwargs):
        round_ = self.get_round()
        panel = self.get_panel(round_)
        kwargs.pop("panel", None)  # the URL's panel id
        return super().get_context_data(
            round=round_,
            panel=panel,
            members=panel_members_with_two_factor(panel),
            progress=reviewer_progress(panel=panel),
            assignments=panel_assignments_for_staff(panel),
            form=form or PanelMemberInviteForm(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        round_ = self.get_round()
        panel = self.get_panel(round_)
        form = PanelMemberInviteForm(request.POST)
        if form.is_valid():
            try:
                member = shortlist_panel_member_invite(
                    actor=request.user,
                    panel=panel,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except ExchangeError as error:
                form_add_error(form, error)
            else:
                messages.success(
                    request,
                    f"{member.user.get_full_name()} is on the panel as "
                    f"{member.get_role_display().lower()}.",
                )
                return redirect("exchange-staff:panel-detail", round_.pk, panel.pk)
        return self.render_to_response(self.get_context_data(form=form))


class PanelDistributeView(PanelStaffMixin, View):
    """POST only: share the round's proposals out to the panel's reviewers."""

    def post(self, request, *args, **kwargs):
        round_ = self.get_round()
        panel = self.get_panel(round_)
        try:
            result = proposal_assignments_distribute(actor=request.user, panel=panel)
        except ExchangeError as error:
            messages.error(request, str(error))
        else:
            given = len(result.created)
            text = f"{given} review{'' if given == 1 else 's'} given out."
            if result.short:
                text += (
                    f" {len(result.short)} proposal{'' if len(result.short) == 1 else 's'} still "
                    "need more reviewers: add people to the panel, then share out again."
                )
            messages.success(request, text)
        return redirect("exchange-staff:panel-detail", round_.pk, panel.pk)


class AssignmentReassignView(PanelStaffMixin, AssignmentReassignViewBase):
    """Give an unfinished review to another reviewer of the panel. Only those who may take it
    are offered (not its current holders, anyone who declared a conflict with it, or its
    team); the service checks the same rules again when the form is sent."""

    form_class = ProposalReassignForm
    refusals = ExchangeError
    subject_label = "Proposal"

    def get_assignment(self, panel: Panel) -> Assignment:
        try:
            return assignment_get_for_staff(panel=panel, pk=self.kwargs["assignment"])
        except Assignment.DoesNotExist as error:
            raise Http404 from error

    def reviewer_choices(self, panel, assignment):
        return reassign_candidates(assignment)

    def reassign(self, *, actor, assignment, to_user):
        return proposal_assignment_reassign(actor=actor, assignment=assignment, to_user=to_user)

    def subject_name(self, assignment) -> str:
        return assignment.proposal.title

    def panel_url(self, round_, panel) -> str:
        return reverse("exchange-staff:panel-detail", args=[round_.pk, panel.pk])


# Reviewers -------------------------------------------------------------------------------------


class ShortlistMixin(PermissionRequired404Mixin):
    permission_required = "exchange.use_shortlisting"


class MyPanelsView(ShortlistMixin, TemplateView):
    template_name = "exchange/shortlist/panel_list.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            memberships=shortlist_memberships_for_user(self.request.user), **kwargs
        )


class PanelDetailView(ShortlistMixin, TemplateView):
    """My assignments on one panel; the chair also gets the way to the overview."""

    template_name = "exchange/shortlist/panel_detail.jinja"

    def get_context_data(self, **kwargs):
        try:
            panel, membership = panel_get_for_member(user=self.request.user, pk=self.kwargs["pk"])
        except Panel.DoesNotExist as error:
            raise Http404 from error
        assignments = reviewer_assignments(user=self.request.user, panel=panel)
        return super().get_context_data(
            panel=panel,
            membership=membership,
            is_chair=membership.role == PanelRole.CHAIR,
            to_review=[a for a in assignments if a.status == AssignmentStatus.ASSIGNED],
            submitted=[a for a in assignments if a.status == AssignmentStatus.SUBMITTED],
            left_list=[
                a
                for a in assignments
                if a.status in (AssignmentStatus.CONFLICT, AssignmentStatus.WITHDRAWN)
            ],
            **kwargs,
        )


class AssignmentMixin(ShortlistMixin):
    def get_assignment(self) -> Assignment:
        try:
            return assignment_get_for_reviewer(user=self.request.user, pk=self.kwargs["pk"])
        except Assignment.DoesNotExist as error:
            raise Http404 from error


class AssignmentDetailView(AssignmentMixin, TemplateView):
    """The conflict question first (who is in the team, nothing more); with no conflict, on to
    scoring. Once submitted, the reviews of the proposal side by side."""

    template_name = "exchange/shortlist/assignment_detail.jinja"

    def get(self, request, *args, **kwargs):
        assignment = self.get_assignment()
        if assignment.status == AssignmentStatus.ASSIGNED and assignment_conflict_confirmed(
            assignment
        ):
            return redirect("exchange:shortlist-review", assignment.pk)
        return self.render_to_response(self.get_context_data(assignment=assignment))

    def get_context_data(self, assignment, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = assignment.proposal
        context.update(assignment=assignment, proposal=proposal, panel=assignment.panel)
        if assignment.status == AssignmentStatus.ASSIGNED:
            context["form"] = form or ConflictForm()
            context["team"] = list(proposal.team.select_related("user"))
        elif assignment.status == AssignmentStatus.SUBMITTED:
            criteria = scheme_criteria(assignment.panel)
            reviews = (
                subject_reviews_for_viewer(
                    viewer=self.request.user, panel=assignment.panel, subject=proposal
                )
                or []
            )
            context.update(
                criteria=criteria,
                reviews=reviews,
                own_index=next(
                    (i for i, r in enumerate(reviews) if r.assignment_id == assignment.pk), None
                ),
                grid=score_grid(criteria, reviews),
                totals=review_totals(reviews),
                recommendation_words=RECOMMENDATION_WORDS,
            )
        return context

    def post(self, request, *args, **kwargs):
        assignment = self.get_assignment()
        if assignment.status != AssignmentStatus.ASSIGNED:
            messages.error(request, "This review is no longer yours to start.")
            return redirect("exchange:shortlist-assignment", assignment.pk)
        form = ConflictForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(assignment=assignment, form=form))
        try:
            if form.cleaned_data["has_conflict"] == "no":
                proposal_assignment_confirm_no_conflict(actor=request.user, assignment=assignment)
                return redirect("exchange:shortlist-review", assignment.pk)
            replacement = proposal_assignment_declare_conflict(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except ExchangeError as error:
            form_add_error(form, error)
            return self.render_to_response(self.get_context_data(assignment=assignment, form=form))
        messages.success(
            request,
            "Thank you for telling us. The proposal has been given to another reviewer."
            if replacement is not None
            else "Thank you for telling us. Staff will find another reviewer for this proposal.",
        )
        return redirect("exchange:shortlist-panel", assignment.panel_id)


class AssignmentReviewView(AssignmentMixin, TemplateView):
    """The proposal's answers and the scoring form. A refused submission keeps what was typed."""

    template_name = "exchange/shortlist/assignment_review.jinja"

    def load(self):
        self.assignment = self.get_assignment()
        if self.assignment.status != AssignmentStatus.ASSIGNED or not (
            assignment_conflict_confirmed(self.assignment)
        ):
            return redirect("exchange:shortlist-assignment", self.assignment.pk)
        return None

    def review_form(self, data=None) -> ProposalReviewForm:
        panel = self.assignment.panel
        return ProposalReviewForm(data, criteria=scheme_criteria(panel), scale=scheme_scale(panel))

    def get_context_data(self, form=None, **kwargs):
        proposal = self.assignment.proposal
        return super().get_context_data(
            assignment=self.assignment,
            panel=self.assignment.panel,
            proposal=proposal,
            answers=list(proposal.answers.all()),
            form=form or self.review_form(),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        return self.load() or self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        if response := self.load():
            return response
        form = self.review_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        try:
            proposal_review_submit(
                actor=request.user,
                assignment=self.assignment,
                scores=[
                    ScoreInput(c.pk, data[f"criterion_{c.pk}"], data[f"comment_{c.pk}"])
                    for c in form.criteria
                ],
                recommendation=data["recommendation"],
                comment=data["comment"],
            )
        except ExchangeError as error:
            form_add_error(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request, "Your review has been submitted. You can now see the other reviews."
        )
        return redirect("exchange:shortlist-assignment", self.assignment.pk)


# The overview ----------------------------------------------------------------------------------

SORTS = {
    "disagreement": "Largest range first",
    "submitted": "Order of posting",
}


class PanelOverviewView(ShortlistMixin, TemplateView):
    """Every proposal given to the panel with each reviewer's total side by side, the range,
    criteria where reviewers differ, and engagement; each row links to the decision page."""

    template_name = "exchange/shortlist/overview.jinja"

    def get_context_data(self, **kwargs):
        try:
            panel = panel_get_for_overview(user=self.request.user, pk=self.kwargs["pk"])
        except Panel.DoesNotExist as error:
            raise Http404 from error
        proposals = panel_proposals(panel)
        by_id = {p.pk: p for p in proposals}
        table = panel_score_table(
            panel=panel,
            subject_type=ContentType.objects.get_for_model(Proposal),
            subject_ids=by_id,
        )
        sort = self.request.GET.get("sort", "disagreement")
        if sort not in SORTS:
            sort = "disagreement"
        if sort == "submitted":
            order = {pk: index for index, pk in enumerate(by_id)}
            table.sort(key=lambda row: order[row.subject_id])
        progress = reviewer_progress(panel=panel)
        return super().get_context_data(
            panel=panel,
            rows=[{"proposal": by_id[row.subject_id], "scores": row} for row in table],
            progress=[p for p in progress if p["member"].role == PanelRole.REVIEWER],
            conflicts=panel_conflicts(panel),
            sort=sort,
            sorts=SORTS,
            voting_closed=panel.round.voting_closed(),
            can_decide=self.request.user.has_perm("exchange.decide_proposal"),
            **kwargs,
        )
