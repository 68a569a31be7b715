"""Joining Q's own panel pages; the rest of the workspace is the kit's views, mounted in
`urls.py` with `kind.APPLICATION_PANELS`.

The chair's decision on one application (`/panels/<panel>/applications/<pk>/`), recorded here
and released to the applicant later by a scheduled task; and starting review, which sends a
closed round's applications to its panels."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin
from qcommunity.scoring.grid import review_totals, score_grid
from qcommunity.scoring.selectors import (
    scheme_criteria,
    subject_reviews_for_viewer,
)
from qcommunity.scoring.views import chair_panel_get

from ..joining.enums import ApplicationStatus
from ..joining.models import Application, Round
from ..joining.services import JoiningError, application_decide
from . import rules  # noqa: F401 (registers the workspace permission)
from .forms import DecisionForm
from .kind import APPLICATION_PANELS, answers_by_criterion, application_facts
from .selectors import chair_application_get
from .services import round_start_review


class ChairApplicationView(PermissionRequired404Mixin, TemplateView):
    """One application for the chair: its content, every review side by side with comments,
    and the decision."""

    permission_required = APPLICATION_PANELS.workspace_permission
    template_name = "members/panels/chair_application.jinja"

    def load(self):
        self.panel = chair_panel_get(
            APPLICATION_PANELS, user=self.request.user, pk=self.kwargs["panel"]
        )
        try:
            self.application = chair_application_get(panel=self.panel, pk=self.kwargs["pk"])
        except Application.DoesNotExist as error:
            raise Http404 from error

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, form=None, **kwargs):
        criteria = scheme_criteria(self.panel)
        reviews = (
            subject_reviews_for_viewer(
                viewer=self.request.user, panel=self.panel, subject=self.application
            )
            or []
        )
        return super().get_context_data(
            kind=APPLICATION_PANELS,
            panel=self.panel,
            application=self.application,
            subject=self.application,
            facts=application_facts(self.application),
            criteria=criteria,
            answers=answers_by_criterion(self.application, criteria),
            reviews=reviews,
            grid=score_grid(criteria, reviews),
            totals=review_totals(reviews),
            form=form or DecisionForm(),
            can_decide=self.application.status == ApplicationStatus.IN_REVIEW,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.load()
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                application_decide(
                    actor=request.user,
                    application=self.application,
                    accept=form.cleaned_data["decision"] == "accept",
                    rationale=form.cleaned_data["rationale"],
                    feedback=form.cleaned_data["feedback"],
                )
            except JoiningError as error:
                form_add_error(form, error)
            else:
                messages.success(
                    request,
                    f"Your decision on {self.application.reference} has been recorded. The "
                    "applicant will be told on the release date.",
                )
                return redirect(APPLICATION_PANELS.url("chair", self.panel.pk))
        return self.render_to_response(self.get_context_data(form=form))


# Staff -----------------------------------------------------------------------------------------


class StaffRoundMixin(PermissionRequired404Mixin):
    permission_required = APPLICATION_PANELS.staff_permission

    def get_round(self) -> Round:
        try:
            return Round.objects.get(pk=self.kwargs["round"])
        except Round.DoesNotExist as error:
            raise Http404 from error


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
            return redirect(APPLICATION_PANELS.url("staff-panels", round_.pk))
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
        return redirect(APPLICATION_PANELS.url("staff-panels", round_.pk))
