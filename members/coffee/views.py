"""Random coffee's pages: a member's choice to take part and their past pairings
(`/me/coffee/`), and staff's page with the monthly run (`/staff/directory/coffee/`)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.generic import FormView, ListView, TemplateView

from qcommunity.accounts.enums import Role
from qcommunity.core.permissions import PermissionRequired404Mixin

from ..directory.views import RelayMessageFormMixin
from .selectors import (
    coffee_overview,
    coffee_pairings_for,
    coffee_pairs_in,
    coffee_partner_get,
    coffee_profile_get,
    coffee_taking_part_list,
)
from .services import coffee_run_now, coffee_set_opt_in, month_label


class CoffeeSettingsForm(forms.Form):
    opt_in = forms.TypedChoiceField(
        label="Do you want to be paired for random coffee?",
        choices=[("yes", "Yes, pair me each month"), ("no", "No, do not pair me")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class CoffeeSettingsView(PermissionRequired404Mixin, FormView):
    permission_required = "members.change_own_coffee"
    template_name = "members/coffee/coffee_settings.jinja"
    form_class = CoffeeSettingsForm

    def get_initial(self):
        profile = coffee_profile_get(self.request.user)
        return {"opt_in": "yes" if profile and profile.coffee_opt_in else "no"}

    def get_context_data(self, **kwargs):
        profile = coffee_profile_get(self.request.user)
        return super().get_context_data(
            opted_in=bool(profile and profile.coffee_opt_in),
            pairings=coffee_pairings_for(self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        opt_in = form.cleaned_data["opt_in"]
        coffee_set_opt_in(user=self.request.user, opt_in=opt_in, actor=self.request.user)
        messages.success(
            self.request,
            "You will be paired for random coffee from next month"
            if opt_in
            else "You will not be paired for random coffee",
        )
        return redirect("members:coffee-settings")


class CoffeeMessageView(PermissionRequired404Mixin, RelayMessageFormMixin, FormView):
    """Message a recent coffee partner through the site, even if their entry is not published:
    the same relay as the directory's contact form, so neither address is shown."""

    permission_required = "members.change_own_coffee"
    template_name = "members/coffee/coffee_message.jinja"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_role(Role.MEMBER):
            self.recipient = coffee_partner_get(user=request.user, pairing_id=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(partner=self.recipient, **kwargs)

    def get_back_link(self) -> tuple[str, str]:
        return reverse("members:coffee-settings"), "Back to random coffee"

    def message_sent(self):
        name = self.recipient.display_name
        reply = (
            "They can reply to your email address by answering our email."
            if self.sent_message.allow_reply
            else "We did not share your email address: they can reply with "
            "“Send a message” on their random coffee page."
        )
        messages.success(self.request, f"Your message has been sent to {name}. {reply}")
        return redirect("members:coffee-settings")


# Staff -------------------------------------------------------------------------------------------
#
# Staff's random coffee page: who takes part, who is waiting for this month, the pairs of this
# month and the last, and "Run a round now" (a confirmation page, then the monthly run).


class CoffeeStaffMixin(PermissionRequired404Mixin):
    permission_required = "members.run_coffee"


class CoffeeStaffView(CoffeeStaffMixin, ListView):
    template_name = "members/coffee/coffee_staff.jinja"
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

    template_name = "members/coffee/coffee_staff_run.jinja"

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
        return redirect("members-staff:coffee")
