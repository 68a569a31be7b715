"""Newsletter contact imports on the staff home (`qcommunity.core.attention`): files previewed
whose import nobody has confirmed yet, linking to the oldest one's preview."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.core.attention import AttentionLine, AttentionProvider, register
from qcommunity.core.formatting import uk_datetime

from .selectors import imports_waiting


def imports_waiting_lines(now: dt.datetime) -> list[AttentionLine]:
    waiting = imports_waiting()
    if not waiting:
        return []
    oldest = waiting[0]
    n = len(waiting)
    return [
        AttentionLine(
            n,
            ngettext(
                "%(num)d newsletter contact import (%(file)s, previewed on %(when)s) waits "
                "for confirmation.",
                "%(num)d newsletter contact imports wait for confirmation, the oldest "
                "(%(file)s) previewed on %(when)s.",
                n,
            )
            % {"num": n, "file": oldest.filename, "when": uk_datetime(oldest.created_at)},
            "Newsletters",
            reverse("newsletters-staff:import-preview", kwargs={"pk": oldest.pk}),
            f"Check and confirm {oldest.filename}",
            order=20,
        )
    ]


register(AttentionProvider(
    key="newsletters.contact_imports_waiting", lines=imports_waiting_lines,
    permission="newsletters.manage_subscribers", models=("newsletters.ImportBatch",), order=65,
))  # fmt: skip
