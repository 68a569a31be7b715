"""The outbox on the staff home (`qcommunity.core.attention`): emails that failed for good,
linking to the outbox filtered to them, where each can be sent again.

No model is named for the cache: queuing an email (a save) never changes the count, and every
write that does (failing, requeuing, sending again, erasing) is an UPDATE or a bulk delete in
`outbox.services`, which says so with `attention_changed(FAILED_EMAILS)`."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.core.attention import AttentionLine, AttentionProvider, register

from .enums import EmailStatus
from .selectors import outbox_failed_count
from .services import FAILED_EMAILS


def failed_email_lines(now: dt.datetime) -> list[AttentionLine]:
    n = outbox_failed_count()
    return [
        AttentionLine(
            n,
            ngettext(
                "%(num)d email could not be sent.",
                "%(num)d emails could not be sent.",
                n,
            )
            % {"num": n},
            "Email",
            reverse("outbox:email-list") + f"?status={EmailStatus.FAILED}",
            "See the failed emails and send them again",
            order=10,
        )
    ]


register(AttentionProvider(
    key=FAILED_EMAILS, lines=failed_email_lines, permission="accounts.view_outbox", order=70,
))  # fmt: skip
