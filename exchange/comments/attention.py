"""Comment moderation on the staff home (`qcommunity.core.attention`): reported comments waiting
in the moderation queue. Moderators' home page already says so (`exchange.browse.home`), so the
line is not repeated there."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.core.attention import AttentionLine, AttentionProvider, register

from .selectors import comments_reported_count
from .services import REPORTED_COMMENTS


def reported_comment_lines(now: dt.datetime) -> list[AttentionLine]:
    n = comments_reported_count()
    return [
        AttentionLine(
            n,
            ngettext(
                "%(num)d reported comment in Q Exchange waits for moderation.",
                "%(num)d reported comments in Q Exchange wait for moderation.",
                n,
            )
            % {"num": n},
            "Q Exchange",
            reverse("exchange:moderation-queue"),
            "Moderate comments",
            order=10,
        )
    ]


register(AttentionProvider(
    key=REPORTED_COMMENTS, lines=reported_comment_lines, permission="exchange.moderate_comments",
    models=("exchange.Comment", "exchange.CommentReport"), order=40, on_home=False,
))  # fmt: skip
