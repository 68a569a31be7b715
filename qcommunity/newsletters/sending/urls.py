"""Sending's pages, mounted by the app's `urls.py`: an issue's sending progress and "send now"
at /staff/newsletters/sending/ (namespace "newsletter-sending"), and the mail provider's
tracking webhooks (`anymail_urlpatterns`), mounted at /anymail/ under anymail's own paths and
names (for example /anymail/postmark/tracking/, "anymail:postmark_tracking_webhook").

Only tracking webhooks are mounted: the site receives no inbound mail. Of those, only providers
whose webhook needs nothing but the shared basic-auth secret (ANYMAIL_WEBHOOK_SECRET) are
listed; a provider that also signs its webhooks (Mailgun, MailerSend, Postal, Unisender Go,
Mandrill) is added here with its signing key setting when it is chosen. The views are imported
one by one rather than through `anymail.urls`, which imports every provider (Amazon SES pulls in
boto3, seconds of start-up for each web worker).

Without ANYMAIL_WEBHOOK_SECRET anymail would take unauthenticated posts (anyone could fake a
bounce or a complaint and suppress any address, whatever the mail transport), so the routes are
mounted only when the secret is set (the app's `urls.py`), and each view answers 404 whenever
it is missing."""

from anymail.webhooks.brevo import BrevoTrackingWebhookView
from anymail.webhooks.mailjet import MailjetTrackingWebhookView
from anymail.webhooks.mailtrap import MailtrapTrackingWebhookView
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from anymail.webhooks.resend import ResendTrackingWebhookView
from anymail.webhooks.sparkpost import SparkPostTrackingWebhookView
from django.conf import settings
from django.http import Http404
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import views

VIEWS = {
    "brevo": BrevoTrackingWebhookView,
    "mailjet": MailjetTrackingWebhookView,
    "mailtrap": MailtrapTrackingWebhookView,
    "postmark": PostmarkTrackingWebhookView,
    "resend": ResendTrackingWebhookView,
    "sparkpost": SparkPostTrackingWebhookView,
}


def webhook_secret_configured() -> bool:
    return bool(settings.ANYMAIL.get("WEBHOOK_SECRET"))


def _only_with_secret(view):
    """Refuses every post, as if the route were not there, while no secret is configured."""

    @csrf_exempt
    def guarded(request, *args, **kwargs):
        if not webhook_secret_configured():
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


anymail_urlpatterns = [
    path(
        f"{provider}/tracking/",
        _only_with_secret(view.as_view()),
        name=f"{provider}_tracking_webhook",
    )
    for provider, view in VIEWS.items()
]

urlpatterns = [
    path("<int:pk>/", views.IssueSendingProgressView.as_view(), name="progress"),
    path("<int:pk>/send/", views.IssueSendNowView.as_view(), name="send"),
]
