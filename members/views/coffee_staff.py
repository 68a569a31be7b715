"""Staff's random coffee page: who takes part, who is waiting for this month, the pairs of this
month and the last, and "Run a round now" (a confirmation page, then the monthly run)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.generic import ListView, TemplateView

from qcommunity.core.permissions import PermissionRequired404Mixin

from ..selectors_coffee import coffee_overview, coffee_pairs_in, coffee_taking_part_list
from ..services import coffee_run_now, month_label


class CoffeeStaffMixin(PermissionRequired404Mixin):
    permission_required = "members.run_coffee"


class CoffeeStaffView(CoffeeStaffMixin, ListView):
    template_name = "members/coffee_staff.jinja"
    paginate_by = 50
    context_object_name = "taking_part"

    def get_queryset(self):
        self.overview = coffee_overview()
        return coffee_taking_part_list(self.overview.month)

    def get_context_data(self, **kwargs):
        overview = self.overview
        return super().get_context_data(
            overview=overview,
            month_label=month_label(overview.month),
            last_month_label=month_label(overview.last_month),
            pairs_this_month=coffee_pairs_in(overview.month),
            pairs_last_month=coffee_pairs_in(overview.last_month),
            **kwargs,
        )


class CoffeeRunView(CoffeeStaffMixin, TemplateView):
    """GET asks to confirm; POST runs this month's pairing (safe to repeat: only people not yet
    paired this month are paired)."""

    template_name = "members/coffee_staff_run.jinja"

    def get_context_data(self, **kwargs):
        overview = coffee_overview()
        return super().get_context_data(
            overview=overview, month_label=month_label(overview.month), **kwargs
        )

    def post(self, request):
        run = coffee_run_now(actor=request.user)
        pairs = len(run.pairings)
        made = ngettext("%(num)d pair made", "%(num)d pairs made", pairs) % {"num": pairs}
        left = ngettext(
            "%(num)d person left unpaired", "%(num)d people left unpaired", run.unpaired
        ) % {"num": run.unpaired}
        emailed = " We have emailed each person their partner's name." if pairs else ""
        messages.success(
            request, f"Random coffee for {month_label(run.month)}: {made}, {left}.{emailed}"
        )
        return redirect("directory-staff:coffee")
