"""The joining panels on the staff home (`qcommunity.core.attention`): applications in review
with fewer submitted reviews than their panel needs, and panels past their review deadline with
reviews still to do."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.core.attention import (
    DEADLINE_SECONDS,
    AttentionLine,
    AttentionProvider,
    register,
)
from qcommunity.core.formatting import uk_datetime

from .kind import APPLICATION_PANELS
from .selectors import panels_overdue, rounds_short_of_reviews

GROUP = "Joining Q"


def short_of_reviews_lines(now: dt.datetime) -> list[AttentionLine]:
    return [
        AttentionLine(
            n,
            ngettext(
                "%(num)d application in %(round)s has fewer reviews than its panel needs.",
                "%(num)d applications in %(round)s have fewer reviews than their panel needs.",
                n,
            )
            % {"num": n, "round": round_.name},
            GROUP,
            reverse("members-staff:panel-list", kwargs={"round": round_.pk}),
            f"Give out reviews for {round_.name}",
            order=10,
        )
        for round_, n in rounds_short_of_reviews()
    ]


def overdue_panel_lines(now: dt.datetime) -> list[AttentionLine]:
    return [
        AttentionLine(
            panel.outstanding,
            ngettext(
                "%(panel)s (%(round)s) is past its review deadline (%(deadline)s) with "
                "%(num)d review still to do.",
                "%(panel)s (%(round)s) is past its review deadline (%(deadline)s) with "
                "%(num)d reviews still to do.",
                panel.outstanding,
            )
            % {
                "panel": panel.name,
                "round": panel.round.name,
                "deadline": uk_datetime(panel.round.review_deadline),
                "num": panel.outstanding,
            },
            GROUP,
            APPLICATION_PANELS.url("staff-panel", panel.round.pk, panel.pk),
            f"Reassign reviews on {panel.name}",
            order=20,
        )
        for panel in panels_overdue(now)
    ]


_COUNTED = ("members.Application", "members.Round", "scoring.Panel", "scoring.Assignment")

register(AttentionProvider(
    key="members.applications_short_of_reviews", lines=short_of_reviews_lines,
    permission="scoring.manage_panels", models=_COUNTED, order=10,
))  # fmt: skip
register(AttentionProvider(
    key="members.panels_overdue", lines=overdue_panel_lines,
    permission="scoring.manage_panels", models=_COUNTED, order=20, expires=DEADLINE_SECONDS,
))  # fmt: skip
