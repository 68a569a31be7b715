"""Random coffee: a member's choice to take part, and their past pairings."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from qcommunity.accounts.enums import Role
from qcommunity.core.permissions import PermissionRequired404Mixin

from ..selectors_coffee import coffee_pairings_for, coffee_partner_get, coffee_profile_get
from ..services import coffee_set_opt_in
from .relay import RelayMessageFormMixin


class CoffeeSettingsForm(forms.Form):
    opt_in = forms.TypedChoiceField(
        label="Do you want to be paired for random coffee?",
        choices=[("yes", "Yes, pair me each month"), ("no", "No, do not pair me")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class CoffeeSettingsView(PermissionRequired404Mixin, FormView):
    permission_required = "members.change_own_coffee"
    template_name = "members/coffee_settings.jinja"
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
        return redirect("coffee:settings")


class CoffeeMessageView(PermissionRequired404Mixin, RelayMessageFormMixin, FormView):
    """Message a recent coffee partner through the site, even if their entry is not published:
    the same relay as the directory's contact form, so neither address is shown."""

    permission_required = "members.change_own_coffee"
    template_name = "members/coffee_message.jinja"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_role(Role.MEMBER):
            self.recipient = coffee_partner_get(user=request.user, pairing_id=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(partner=self.recipient, **kwargs)

    def get_back_link(self) -> tuple[str, str]:
        return reverse("coffee:settings"), "Back to random coffee"

    def message_sent(self):
        name = self.recipient.display_name
        reply = (
            "They can reply to your email address by answering our email."
            if self.sent_message.allow_reply
            else "We did not share your email address: they can reply with "
            "“Send a message” on their random coffee page."
        )
        messages.success(self.request, f"Your message has been sent to {name}. {reply}")
        return redirect("coffee:settings")
