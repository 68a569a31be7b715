from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.generic import TemplateView


class TwoFactorRequiredView(LoginRequiredMixin, TemplateView):
    """Shown to people whose roles need two-factor authentication before they may continue."""

    template_name = "accounts/two_factor_required.jinja"


def admin_login(request):
    """Takes the place of the Django admin's own sign-in form, which would sign people in with a
    password alone (no two-factor step, no sign-in lockout): everyone signs in through allauth,
    then comes back to the admin page they asked for."""
    admin_index = reverse("admin:index")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = admin_index
    user = request.user
    if user.is_authenticated:
        if user.is_active and user.is_staff:
            return HttpResponseRedirect(next_url)
        raise Http404
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
