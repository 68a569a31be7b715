"""The showcase on the staff home (`qcommunity.core.attention`): items members put forward that
wait for an editor. Editors' home page already says so (`showcase.home`), so the line is not
repeated there."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.core.attention import AttentionLine, AttentionProvider, register

from .enums import ShowcaseStatus
from .selectors import showcase_waiting_count


def showcase_lines(now: dt.datetime) -> list[AttentionLine]:
    n = showcase_waiting_count()
    return [
        AttentionLine(
            n,
            ngettext(
                "%(num)d showcase item from members waits for approval.",
                "%(num)d showcase items from members wait for approval.",
                n,
            )
            % {"num": n},
            "Newsletters",
            reverse("newsletters-staff:showcase-queue") + f"?status={ShowcaseStatus.SUBMITTED}",
            "Review showcase items",
            order=10,
        )
    ]


register(AttentionProvider(
    key="newsletters.showcase_waiting", lines=showcase_lines,
    permission="newsletters.review_showcase", models=("newsletters.ShowcaseItem",), order=60,
    on_home=False,
))  # fmt: skip
