from allauth.account.adapter import DefaultAccountAdapter

from qcommunity.outbox.services import email_queue_message


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's emails through the outbox so each is a row before it is sent."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message = self.render_mail(template_prefix, email, context)
        email_queue_message(message=message, kind=f"account.{template_prefix.rsplit('/', 1)[-1]}")
