"""The one way a member writes to another through the site: the directory's contact form and
a coffee partner's message page both relay through `contact_message_send`, so neither address
is shown and the same limits apply."""

from abc import ABCMeta, abstractmethod

from django.shortcuts import redirect, render

from qcommunity.core.errors import form_add_error

from ..forms import ContactForm
from ..models import Profile
from ..selectors import profile_takes_messages
from ..services import ContactNotSentError, contact_message_send


class RelayMessageFormMixin(metaclass=ABCMeta):
    """For a FormView whose `recipient` (a Profile) is set before the form is used; subclasses
    say what happens once the message is on its way (`message_sent`)."""

    form_class = ContactForm
    recipient: Profile

    def get(self, request, *args, **kwargs):
        if not profile_takes_messages(self.recipient):
            return self.not_taking_messages()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not profile_takes_messages(self.recipient):
            return self.not_taking_messages()
        return super().post(request, *args, **kwargs)

    def not_taking_messages(self):
        """One page for every reason a member cannot be messaged, saying none of them."""
        href, text = self.get_back_link()
        return render(
            self.request,
            "members/relay_closed.jinja",
            {"recipient": self.recipient, "back_href": href, "back_text": text},
        )

    @abstractmethod
    def get_back_link(self) -> tuple[str, str]:
        """(href, text) of the way back from the message page."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "recipient_name": self.recipient.display_name}

    def form_valid(self, form):
        try:
            self.sent_message = contact_message_send(
                sender=self.request.user,
                profile=self.recipient,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                allow_reply=form.cleaned_data["allow_reply"],
            )
        except ContactNotSentError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        return self.message_sent()

    def message_sent(self):
        """Where the sender goes next; pages override it to add a message or a place."""
        return redirect(self.get_success_url())
