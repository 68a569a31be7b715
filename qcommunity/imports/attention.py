"""Imports on the staff home (`qcommunity.core.attention`): files previewed whose import
nobody has confirmed or discarded yet, one line per kind (past members, past Q Exchange
rounds...), linking to the oldest one's preview."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.core.attention import AttentionLine, AttentionProvider, register
from qcommunity.core.formatting import uk_datetime

from .kinds import KINDS
from .selectors import imports_awaiting_confirmation


def imports_waiting_lines(now: dt.datetime) -> list[AttentionLine]:
    by_kind: dict[str, list] = {}
    for waiting in imports_awaiting_confirmation():
        by_kind.setdefault(waiting.kind, []).append(waiting)
    lines = []
    for kind, waiting in by_kind.items():
        oldest, n = waiting[0], len(waiting)
        label = KINDS.get(kind).label if kind in KINDS else kind
        lines.append(
            AttentionLine(
                n,
                ngettext(
                    "%(num)d import of %(kind)s (%(file)s, checked on %(when)s) waits for "
                    "confirmation.",
                    "%(num)d imports of %(kind)s wait for confirmation, the oldest (%(file)s) "
                    "checked on %(when)s.",
                    n,
                )
                % {
                    "num": n,
                    "kind": label.lower(),
                    "file": oldest.filename,
                    "when": uk_datetime(oldest.created_at),
                },
                "Imports",
                reverse("imports:import-detail", kwargs={"pk": oldest.pk}),
                f"Check and confirm {oldest.filename}",
                order=30,
            )
        )
    return lines


register(AttentionProvider(
    key="imports.waiting", lines=imports_waiting_lines,
    permission="imports.manage_imports", models=("imports.DataImport",), order=66,
))  # fmt: skip
