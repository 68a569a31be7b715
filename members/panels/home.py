"""The joining panels on the home page (`qcommunity.core.home`): applications waiting for this
person's review on their regional panels (with the review deadline), and applications waiting
for the chair's decision."""

import datetime as dt

from django.utils.translation import ngettext

from qcommunity.accounts.enums import Role
from qcommunity.core.formatting import uk_datetime
from qcommunity.core.home import HomeItem, HomeProvider, register
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.selectors import workspace_memberships

from .kind import APPLICATION_PANELS
from .selectors import chair_decisions_waiting


def _panel_items(user) -> list[HomeItem]:
    items = []
    memberships = workspace_memberships(APPLICATION_PANELS, user)
    for membership in memberships:
        n, panel = membership.n_outstanding, membership.panel
        if not n or panel.round is None:
            continue
        deadline = uk_datetime(panel.round.review_deadline)
        items.append(HomeItem(
            ngettext(
                "%(num)d application waits for your review on %(panel)s, by %(deadline)s.",
                "%(num)d applications wait for your review on %(panel)s, by %(deadline)s.",
                n,
            ) % {"num": n, "panel": panel.name, "deadline": deadline},
            APPLICATION_PANELS.url("panel", panel.pk),
            "Review them" if n > 1 else "Review it", "Panels", order=10,
        ))  # fmt: skip
    chaired = [m.panel for m in memberships if m.role == PanelRole.CHAIR]
    for panel, n in chair_decisions_waiting(chaired):
        items.append(HomeItem(
            ngettext(
                "As chair of %(panel)s, %(num)d application waits for your decision.",
                "As chair of %(panel)s, %(num)d applications wait for your decision.",
                n,
            ) % {"num": n, "panel": panel.name},
            APPLICATION_PANELS.url("chair", panel.pk),
            "Open the chair's workspace", "Panels", order=15,
        ))  # fmt: skip
    return items


def panels_home_items(user, now: dt.datetime) -> list:
    if not user.has_role(Role.PANEL_MEMBER):
        return []
    return _panel_items(user)


register(HomeProvider(key="members.panels", items=panels_home_items, order=20))
