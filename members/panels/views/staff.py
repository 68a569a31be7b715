"""Staff panel management for a round (`/staff/rounds/<round>/panels/`): create a panel per
region, add reviewers and a chair by email, send the round's applications to its panels, see
every assignment and give an unfinished one to someone else. Audit rows are written by the
services."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin
from qcommunity.scoring.models import Assignment, Panel
from qcommunity.scoring.selectors import reviewer_progress
from qcommunity.scoring.views import AssignmentReassignViewBase

from ...joining.enums import RoundStatus
from ...joining.models import Round
from ...joining.services import ROUNDS, JoiningError
from ..forms import PanelCreateForm, PanelMemberInviteForm, ReassignForm
from ..selectors import (
    assignment_get_for_staff,
    panel_applications_short_of_reviews,
    panel_assignments_for_staff,
    panel_get_for_staff,
    panel_members_with_two_factor,
    panel_reviewers,
    round_panels_for_staff,
    round_submitted_count,
)
from ..services import (
    application_assignment_reassign,
    application_assignments_distribute,
    panel_member_invite,
    round_panel_create,
    round_start_review,
)


class StaffRoundMixin(PermissionRequired404Mixin):
    permission_required = "scoring.manage_panels"

    def get_round(self) -> Round:
        try:
            return Round.objects.get(pk=self.kwargs["round"])
        except Round.DoesNotExist as error:
            raise Http404 from error

    def get_panel(self, round_: Round) -> Panel:
        try:
            return panel_get_for_staff(round_=round_, pk=self.kwargs["panel"])
        except Panel.DoesNotExist as error:
            raise Http404 from error


class RoundPanelListView(StaffRoundMixin, TemplateView):
    """The round's panels with their progress, a form to add a panel for a region without
    one, and (once the round has closed) the button that sends applications to the panels."""

    template_name = "panels/staff_panel_list.jinja"

    def get_context_data(self, form=None, **kwargs):
        round_ = self.get_round()
        panels = round_panels_for_staff(round_)
        free = [r for r in round_.regions if r not in {p.region for p in panels}]
        context = super().get_context_data(**kwargs)
        context.update(
            round=round_,
            panels=panels,
            form=form or PanelCreateForm(regions=free),
            free_regions=free,
            can_start_review=round_.status in ROUNDS["start_review"].sources,
            start_review_label=ROUNDS["start_review"].label,
            submitted_count=round_submitted_count(round_)
            if round_.status == RoundStatus.CLOSED
            else 0,
        )
        return context

    def post(self, request, *args, **kwargs):
        round_ = self.get_round()
        taken = {p.region for p in round_panels_for_staff(round_)}
        form = PanelCreateForm(request.POST, regions=[r for r in round_.regions if r not in taken])
        if form.is_valid():
            try:
                panel = round_panel_create(
                    actor=request.user,
                    round_=round_,
                    region=form.cleaned_data["region"],
                    name=form.cleaned_data["name"].strip(),
                )
            except JoiningError as error:
                form_add_error(form, error)
            else:
                messages.success(
                    request, f"The {panel.name} has been created. Now add its members."
                )
                return redirect("panels-staff:panel-detail", round_.pk, panel.pk)
        return self.render_to_response(self.get_context_data(form=form))


class RoundStartReviewView(StaffRoundMixin, View):
    """Send every submitted application of a closed round to its region's panel, with
    assignments given out evenly (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        round_ = self.get_round()
        try:
            distributions = round_start_review(actor=request.user, round_=round_)
        except JoiningError as error:
            messages.error(request, str(error))
            return redirect("panels-staff:panel-list", round_.pk)
        created = sum(len(d.created) for d in distributions.values())
        short = sum(len(d.short) for d in distributions.values())
        text = "Applications have been sent to the panels: " + ngettext(
            "%(num)d review given out.", "%(num)d reviews given out.", created
        ) % {"num": created}
        if short:
            text += " " + ngettext(
                "%(num)d application could not get enough reviewers: add reviewers to its "
                "panel and give out reviews again.",
                "%(num)d applications could not get enough reviewers: add reviewers to those "
                "panels and give out reviews again.",
                short,
            ) % {"num": short}
        messages.success(request, text)
        return redirect("panels-staff:panel-list", round_.pk)


class PanelStaffDetailView(StaffRoundMixin, TemplateView):
    """A panel's members (with whether they have set up two-factor authentication), the form
    to add someone, each reviewer's progress and every assignment with a way to reassign it."""

    template_name = "panels/staff_panel_detail.jinja"

    def get_context_data(self, form=None, **kwargs):
        round_ = self.get_round()
        panel = self.get_panel(round_)
        context = super().get_context_data(**kwargs)
        context.update(
            round=round_,
            panel=panel,
            members=panel_members_with_two_factor(panel),
            progress=reviewer_progress(panel=panel),
            assignments=panel_assignments_for_staff(panel),
            form=form or PanelMemberInviteForm(),
            can_distribute=round_.status == RoundStatus.REVIEWING,
            short_of_reviews=panel_applications_short_of_reviews(panel)
            if round_.status == RoundStatus.REVIEWING
            else 0,
        )
        return context

    def post(self, request, *args, **kwargs):
        round_ = self.get_round()
        panel = self.get_panel(round_)
        form = PanelMemberInviteForm(request.POST)
        if form.is_valid():
            try:
                member = panel_member_invite(actor=request.user, panel=panel, **form.cleaned_data)
            except JoiningError as error:
                form_add_error(form, error)
            else:
                text = (
                    f"{member.user.get_full_name()} is on the panel as "
                    f"{member.get_role_display().lower()}."
                )
                if not is_mfa_enabled(member.user):
                    text += " They need two-factor authentication to open the panel workspace."
                messages.success(request, text)
                return redirect("panels-staff:panel-detail", round_.pk, panel.pk)
        return self.render_to_response(self.get_context_data(form=form))


class PanelDistributeView(StaffRoundMixin, View):
    """Give out reviews again: applications still short of reviewers get them from the
    panel's current reviewers (after adding someone, or after conflicts). POST only."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        round_ = self.get_round()
        panel = self.get_panel(round_)
        if round_.status != RoundStatus.REVIEWING:
            messages.error(request, "Reviews can be given out while the panels are reviewing.")
            return redirect("panels-staff:panel-detail", round_.pk, panel.pk)
        result = application_assignments_distribute(actor=request.user, panel=panel)
        created, short = len(result.created), len(result.short)
        text = ngettext("%(num)d review given out.", "%(num)d reviews given out.", created) % {
            "num": created
        }
        if short:
            text += " " + ngettext(
                "%(num)d application is still short of reviewers.",
                "%(num)d applications are still short of reviewers.",
                short,
            ) % {"num": short}
        messages.success(request, text)
        return redirect("panels-staff:panel-detail", round_.pk, panel.pk)


class AssignmentReassignView(StaffRoundMixin, AssignmentReassignViewBase):
    """Give an unfinished review to another reviewer of the panel. The service refuses anyone
    from the applicant's organisation, or who declared a conflict or already has it."""

    form_class = ReassignForm
    refusals = JoiningError
    subject_label = "Application"

    def get_assignment(self, panel: Panel) -> Assignment:
        try:
            return assignment_get_for_staff(panel=panel, pk=self.kwargs["pk"])
        except Assignment.DoesNotExist as error:
            raise Http404 from error

    def reviewer_choices(self, panel, assignment):
        return [
            m
            for m in panel_reviewers(panel)
            if m.user_id != assignment.reviewer_id and m.user.is_active
        ]

    def reassign(self, *, actor, assignment, to_user):
        return application_assignment_reassign(actor=actor, assignment=assignment, to_user=to_user)

    def subject_name(self, assignment) -> str:
        return assignment.application.reference

    def panel_url(self, round_, panel) -> str:
        return reverse("panels-staff:panel-detail", args=[round_.pk, panel.pk])
