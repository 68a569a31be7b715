"""Random coffee: a member's choice to take part, and their past pairings."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from qcommunity.core.permissions import PermissionRequired404Mixin

from ..selectors_coffee import coffee_pairings_for, coffee_profile_get
from ..services import coffee_set_opt_in


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
