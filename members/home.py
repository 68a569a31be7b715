"""Joining Q and the directory on the home page (`qcommunity.core.home`): a draft application
with its round's closing date, applications waiting for this person's review on their regional
panels (with the review deadline), applications waiting for the chair's decision, and for new
members their first steps and the directory entry to check."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.accounts.enums import Role
from qcommunity.core.formatting import uk_datetime
from qcommunity.core.home import HomeBlock, HomeItem, HomeProvider, register
from qcommunity.scoring.enums import PanelRole

from .selectors import profile_needing_confirmation
from .selectors_home import chair_decisions_waiting, draft_applications_open
from .selectors_panels import panel_memberships_for_user
from .selectors_release import member_first_steps


def _panel_items(user) -> list[HomeItem]:
    items = []
    memberships = panel_memberships_for_user(user)
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
            reverse("panels:panel-detail", kwargs={"pk": panel.pk}),
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
            reverse("panels:chair", kwargs={"panel": panel.pk}),
            "Open the chair's workspace", "Panels", order=15,
        ))  # fmt: skip
    return items


def members_home_items(user, now: dt.datetime) -> list:
    entries: list = []
    if user.has_role(Role.MEMBER):
        profile = profile_needing_confirmation(user)
        if profile is not None:
            entries.append(HomeBlock("members/_home_profile_confirm.jinja",
                                     {"profile_to_confirm": profile}, order=10))  # fmt: skip
        first_steps = member_first_steps(user, now)
        if first_steps is not None:
            entries.append(HomeBlock("core/_first_steps.jinja", {"first_steps": first_steps},
                                     order=20))  # fmt: skip
    for application in draft_applications_open(user, now):
        entries.append(HomeItem(
            f"You have a draft application to join Q in {application.round.name}. The round "
            f"closes on {uk_datetime(application.round.closes_at)}.",
            reverse("joining:application-edit", kwargs={"pk": application.pk}),
            "Continue your application", "Joining Q", order=10,
        ))  # fmt: skip
    if user.has_role(Role.PANEL_MEMBER):
        entries += _panel_items(user)
    return entries


register(HomeProvider(key="members", items=members_home_items, order=20))
