"""The mail provider's tracking webhooks, mounted at /anymail/ under anymail's own paths and
names (for example /anymail/postmark/tracking/, "anymail:postmark_tracking_webhook").

Only tracking webhooks are mounted: the site receives no inbound mail. Of those, only providers
whose webhook needs nothing but the shared basic-auth secret (ANYMAIL_WEBHOOK_SECRET) are
listed; a provider that also signs its webhooks (Mailgun, MailerSend, Postal, Unisender Go,
Mandrill) is added here with its signing key setting when it is chosen. The views are imported
one by one rather than through `anymail.urls`, which imports every provider (Amazon SES pulls in
boto3, seconds of start-up for each web worker)."""

from anymail.webhooks.brevo import BrevoTrackingWebhookView
from anymail.webhooks.mailjet import MailjetTrackingWebhookView
from anymail.webhooks.mailtrap import MailtrapTrackingWebhookView
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from anymail.webhooks.resend import ResendTrackingWebhookView
from anymail.webhooks.sparkpost import SparkPostTrackingWebhookView
from django.urls import path

app_name = "anymail"

VIEWS = {
    "brevo": BrevoTrackingWebhookView,
    "mailjet": MailjetTrackingWebhookView,
    "mailtrap": MailtrapTrackingWebhookView,
    "postmark": PostmarkTrackingWebhookView,
    "resend": ResendTrackingWebhookView,
    "sparkpost": SparkPostTrackingWebhookView,
}

urlpatterns = [
    path(f"{provider}/tracking/", view.as_view(), name=f"{provider}_tracking_webhook")
    for provider, view in VIEWS.items()
]
