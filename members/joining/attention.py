"""Joining Q on the staff home (`qcommunity.core.attention`): rounds whose decisions are not
released yet, with decisions still to record or recorded and waiting for release."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.core.attention import AttentionLine, AttentionProvider, register
from qcommunity.core.formatting import uk_datetime

from .enums import RoundStatus
from .selectors import rounds_with_unreleased_decisions

GROUP = "Joining Q"


def _sentence(round_, to_record: int, recorded: int) -> tuple[int, str]:
    words = {"round": round_.name, "date": uk_datetime(round_.decisions_release_at)}
    if to_record:
        return to_record, ngettext(
            "%(num)d application in %(round)s still waits for a decision (release on %(date)s).",
            "%(num)d applications in %(round)s still wait for a decision (release on %(date)s).",
            to_record,
        ) % {"num": to_record, **words}
    if round_.status == RoundStatus.REVIEWING:
        return recorded, ngettext(
            "%(num)d decision in %(round)s is recorded: mark all decisions recorded so it is "
            "released on %(date)s.",
            "%(num)d decisions in %(round)s are recorded: mark all decisions recorded so they "
            "are released on %(date)s.",
            recorded,
        ) % {"num": recorded, **words}
    return recorded, ngettext(
        "%(num)d decision in %(round)s is recorded and waits for release on %(date)s.",
        "%(num)d decisions in %(round)s are recorded and wait for release on %(date)s.",
        recorded,
    ) % {"num": recorded, **words}


def unreleased_decision_lines(now: dt.datetime) -> list[AttentionLine]:
    lines = []
    for row in rounds_with_unreleased_decisions():
        round_ = row["round"]
        count, text = _sentence(round_, row["to_record"], row["recorded"])
        lines.append(AttentionLine(
            count, text, GROUP, reverse("members-staff:round-detail", kwargs={"pk": round_.pk}),
            f"Go to {round_.name}", order=30,
        ))  # fmt: skip
    return lines


register(AttentionProvider(
    key="members.decisions_unreleased", lines=unreleased_decision_lines,
    permission="members.manage_rounds", models=("members.Application", "members.Round"),
    order=30,
))  # fmt: skip
