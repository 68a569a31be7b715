"""The mail provider's tracking webhooks, mounted at /anymail/ under anymail's own paths and
names (for example /anymail/postmark/tracking/, "anymail:postmark_tracking_webhook").

Only tracking webhooks are mounted: the site receives no inbound mail. Of those, only the
providers whose webhook needs nothing but the shared basic-auth secret (ANYMAIL_WEBHOOK_SECRET)
are listed; a provider that also signs its webhooks (Mailgun, MailerSend, Postal, Unisender
Go, Mandrill) is added here together with its signing key setting when it is chosen."""

from anymail.urls import urlpatterns as anymail_patterns

app_name = "anymail"

PROVIDERS = ("amazon_ses", "brevo", "mailjet", "mailtrap", "postmark", "resend", "sparkpost")

urlpatterns = [
    pattern
    for pattern in anymail_patterns
    if pattern.name in {f"{provider}_tracking_webhook" for provider in PROVIDERS}
]
