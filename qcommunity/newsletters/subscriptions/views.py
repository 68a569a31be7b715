"""Public newsletter pages: subscribe, confirm by emailed link, unsubscribe (page and RFC 8058
one-click); none of them says whether an address was already on a list. And the staff pages
for subscribers: newsletters with counts, contacts, consent history, the suppression list."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, ListView, TemplateView

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin

from .enums import SubscriptionStatus
from .filters import ContactFilter
from .forms import SubscribeForm
from .selectors import (
    contact_get,
    contact_list,
    contact_suppressions,
    newsletter_list_with_counts,
    newsletters_public,
    subscription_for_token,
    suppression_list,
)
from .services import (
    CONSENT_WORDING,
    SubscribeRateLimitedError,
    confirmable_subscriptions,
    subscribe_rate_check,
    subscribe_request,
    subscription_confirm,
    subscription_unsubscribe,
)
from .tokens import CONFIRM_MAX_AGE, LinkError


def client_ip(request) -> str:
    # Behind the production proxy REMOTE_ADDR is the proxy; gunicorn is configured to pass the
    # client address through (forwarded_allow_ips), so REMOTE_ADDR is what we count.
    return request.META.get("REMOTE_ADDR", "")


class SubscribeView(FormView):
    template_name = "newsletters/subscriptions/subscribe_form.jinja"
    form_class = SubscribeForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            newsletters=list(newsletters_public()), consent_wording=CONSENT_WORDING, **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            subscribe_rate_check(ip=client_ip(self.request), email=data["email"])
        except SubscribeRateLimitedError as error:
            form_add_error(form, error)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        outcome = subscribe_request(
            email=data["email"],
            name=data["name"],
            organisation=data["organisation"],
            newsletters=data["newsletters"],
            wording=CONSENT_WORDING,
            source=f"{settings.SITE_URL}{reverse('newsletters:subscribe')}",
            actor=self.request.user,
        )
        if outcome.confirmed_now and not outcome.pending:
            # Only someone signed in with this verified address gets here, so saying so
            # reveals nothing they do not already know.
            return render(
                self.request,
                "newsletters/subscriptions/subscribe_done.jinja",
                {"subscriptions": outcome.confirmed_now + outcome.already},
            )
        return redirect("newsletters:subscribe-sent")


class SubscribeSentView(TemplateView):
    template_name = "newsletters/subscriptions/subscribe_sent.jinja"


# A link that was changed or cut short is the request's fault (400); one that was good once but
# no longer is, is gone (410). Either way the page says which and what to do next.
LINK_ERROR_STATUS = {"invalid": 400, "expired": 410, "gone": 410}


class SignedLinkMixin:
    """Turns a link that cannot be used into a page that says why, instead of a bare 404."""

    purpose: str

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except LinkError as error:
            return render(
                request,
                "newsletters/subscriptions/link_problem.jinja",
                {
                    "purpose": self.purpose,
                    "reason": error.reason,
                    "confirm_days": CONFIRM_MAX_AGE // (24 * 60 * 60),
                },
                status=LINK_ERROR_STATUS[error.reason],
            )


class ConfirmView(SignedLinkMixin, View):
    """GET shows a button; only the POST confirms, so a mail scanner fetching the link does
    not subscribe anyone."""

    purpose = "confirm"

    def get(self, request, token):
        subscription = subscription_for_token(token, purpose="confirm")
        return render(
            request,
            "newsletters/subscriptions/subscribe_confirm.jinja",
            {
                "subscription": subscription,
                "pending": confirmable_subscriptions(subscription),
            },
        )

    def post(self, request, token):
        subscription = subscription_for_token(token, purpose="confirm")
        confirmed = subscription_confirm(subscription=subscription, actor=request.user)
        if not confirmed:
            return redirect("newsletters:confirm", token=token)
        return render(
            request, "newsletters/subscriptions/subscribe_done.jinja", {"subscriptions": confirmed}
        )


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(SignedLinkMixin, View):
    """GET shows what you are leaving and a button; POST leaves at once. Mail clients send the
    RFC 8058 one-click POST (body `List-Unsubscribe=One-Click`) without cookies or a CSRF token,
    so this route is exempt from CSRF: the signed token is the authority."""

    purpose = "unsubscribe"

    def get(self, request, token):
        subscription = subscription_for_token(token, purpose="unsubscribe")
        return render(
            request,
            "newsletters/subscriptions/unsubscribe_confirm.jinja",
            {"subscription": subscription},
        )

    def post(self, request, token):
        subscription = subscription_for_token(token, purpose="unsubscribe")
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        subscription_unsubscribe(
            subscription=subscription,
            actor=request.user,
            source="one-click unsubscribe from the email" if one_click else "unsubscribe page",
        )
        return render(
            request,
            "newsletters/subscriptions/unsubscribe_done.jinja",
            {"subscription": subscription},
        )


# Staff: newsletters with counts, contacts, consent history and the suppression list. Editors
# and staff admins, both two-factor roles.


class StaffMixin(PermissionRequired404Mixin):
    permission_required = "newsletters.manage_subscribers"


class NewsletterListView(StaffMixin, TemplateView):
    template_name = "newsletters/subscriptions/subscribe_newsletters.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            newsletters=list(newsletter_list_with_counts()),
            statuses=SubscriptionStatus.choices,
            **kwargs,
        )


class ContactListView(StaffMixin, ListView):
    template_name = "newsletters/subscriptions/contact_list.jinja"
    paginate_by = 50
    context_object_name = "contacts"

    def get_queryset(self):
        self.filterset = ContactFilter(self.request.GET, queryset=contact_list())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class ContactDetailView(StaffMixin, TemplateView):
    template_name = "newsletters/subscriptions/contact_detail.jinja"

    def get_context_data(self, **kwargs):
        contact = contact_get(self.kwargs["pk"])
        return super().get_context_data(
            contact=contact, suppressions=contact_suppressions(contact), **kwargs
        )


class SuppressionListView(StaffMixin, ListView):
    template_name = "newsletters/subscriptions/suppression_list.jinja"
    paginate_by = 50
    context_object_name = "suppressions"

    def get_queryset(self):
        return suppression_list()
