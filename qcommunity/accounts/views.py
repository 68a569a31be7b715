from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class TwoFactorRequiredView(LoginRequiredMixin, TemplateView):
    """Shown to people whose roles need two-factor authentication before they may continue."""

    template_name = "accounts/two_factor_required.jinja"
