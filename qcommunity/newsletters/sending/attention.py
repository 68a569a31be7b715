"""Newsletter sending on the staff home (`qcommunity.core.attention`): issues sent in the last
30 days whose deliveries failed or bounced, each linking to its sending page, which lists who it
did not reach with the server's or the provider's reply."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.core.attention import (
    DEADLINE_SECONDS,
    AttentionLine,
    AttentionProvider,
    register,
)

from .selectors import issues_with_failed_deliveries
from .services import FAILED_DELIVERIES

GROUP = "Email"


def failed_delivery_lines(now: dt.datetime) -> list[AttentionLine]:
    return [
        AttentionLine(
            n,
            ngettext(
                "%(num)d delivery of “%(issue)s” bounced or could not be sent.",
                "%(num)d deliveries of “%(issue)s” bounced or could not be sent.",
                n,
            )
            % {"num": n, "issue": issue.title},
            GROUP,
            reverse("newsletters-staff:progress", kwargs={"pk": issue.pk}),
            f"See who “{issue.title}” did not reach",
            order=20,
        )
        for issue, n in issues_with_failed_deliveries(now)
    ]


# Recomputed each minute too: an issue's lines leave after 30 days.
register(AttentionProvider(
    key=FAILED_DELIVERIES, lines=failed_delivery_lines,
    permission="newsletters.view_issue_sending",
    models=("newsletters.Delivery", "newsletters.Issue"), order=70, expires=DEADLINE_SECONDS,
))  # fmt: skip
