from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from markupsafe import Markup

from qcommunity.accounts.session_terms import ip_counter_lifetime, session_cookie_expiry

from .attention import STAFF_HOME_PERMISSION, attention_for
from .health import run_checks
from .home import home_for
from .permissions import PermissionRequired404Mixin


class HomeView(TemplateView):
    """The front door. Signed in, it says what waits for this person, from every app's own
    home providers (`qcommunity.core.home`); core knows none of the apps."""

    template_name = "core/home.jinja"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_authenticated:
            home = home_for(user)
            context["home"] = home
            context["home_blocks"] = [
                Markup(render_to_string(block.template, block.context, self.request))  # noqa: S704
                for block in home.blocks
            ]
        return context


class AccessibilityStatementView(TemplateView):
    template_name = "core/accessibility.jinja"


class PrivacyNoticeView(TemplateView):
    template_name = "core/privacy.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(ip_counter_lifetime=ip_counter_lifetime(), **kwargs)


class CookiesView(TemplateView):
    template_name = "core/cookies.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(session_expiry=session_cookie_expiry(), **kwargs)


class ContactView(TemplateView):
    template_name = "core/contact.jinja"


class StaffIndexView(PermissionRequired404Mixin, TemplateView):
    """The staff home: what needs attention (the lines of every app's attention providers
    this person may see, `qcommunity.core.attention`), then the staff pages."""

    permission_required = STAFF_HOME_PERMISSION
    template_name = "core/staff_index.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(attention=attention_for(self.request.user), **kwargs)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    result = run_checks()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error(request, "errors/400.jinja", 400)


def permission_denied(request, exception=None):
    return _error(request, "errors/403.jinja", 403)


def page_not_found(request, exception=None):
    return _error(request, "errors/404.jinja", 404)


def server_error(request):
    return _error(request, "errors/500.jinja", 500)


def too_many_requests(request, exception=None):
    """allauth's rate limits answer through this (ROOT_URLCONF.handler429)."""
    return _error(request, "errors/429.jinja", 429)


def csrf_failure(request, reason=""):
    return _error(request, "errors/csrf.jinja", 403)
