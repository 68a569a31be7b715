"""Q Exchange shortlisting's own pages; the rest of the workspace (reviewers' pages, the
overview, the staff panel page, sharing out, reassigning) is the kit's views, mounted in
`urls.py` with `kind.PROPOSAL_PANELS`.

Staff (`/staff/exchange/rounds/<pk>/criteria/`): the round's criteria and scale, read-only once
shortlisting has started."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from qcommunity.core.errors import form_add_error

from ..rounds.services import ExchangeError
from ..rounds.views import ExchangeStaffMixin
from .forms import CriteriaForm
from .kind import PROPOSAL_PANELS
from .services import round_criteria_set, shortlisting_started


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
                return redirect(PROPOSAL_PANELS.url("staff-panels", round_.pk))
        return self.render_to_response(self.get_context_data(round_=round_, form=form))
