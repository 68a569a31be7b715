"""Q Exchange on the home page (`qcommunity.core.home`): a round taking ideas, a ballot open
(and whether this member voted), ideas still to turn into proposals, new comments on the
person's own proposals, invitations to co-author, shortlisting reviews due, the round's next
date, and for moderators the reported comments waiting."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.accounts.enums import Role
from qcommunity.core.formatting import uk_date, uk_datetime
from qcommunity.core.home import HomeItem, HomeProvider, register
from qcommunity.scoring.selectors import workspace_memberships

from ..comments.selectors import comments_reported_count
from ..proposals.enums import Stage
from ..proposals.selectors import team_invitations_waiting
from ..shortlist.kind import PROPOSAL_PANELS
from ..shortlist.selectors import panels_before_announcement
from .selectors import rounds_ahead, team_proposals_with_news

GROUP = "Q Exchange"


def _next_date(round_, now: dt.datetime) -> str:
    """The round's next moment, in one sentence."""
    if now < round_.opens_at:
        return f"{round_.name} opens for ideas on {uk_date(round_.opens_at)}."
    if now < round_.proposals_close_at:
        due = uk_datetime(round_.proposals_close_at)
        return f"Full proposals for {round_.name} are due by {due}."
    if now < round_.voting_opens_at:
        return f"Voting in {round_.name} opens on {uk_datetime(round_.voting_opens_at)}."
    if now < round_.voting_closes_at:
        return f"Voting in {round_.name} is open until {uk_datetime(round_.voting_closes_at)}."
    return f"Decisions in {round_.name} will be announced on {uk_date(round_.decisions_at)}."


def _round_items(user, now, is_member: bool) -> list[HomeItem]:
    items = []
    for round_ in rounds_ahead(user, now):
        round_url = reverse("exchange:round-detail", kwargs={"year": round_.year})
        if is_member and round_.accepts_ideas(now):
            items.append(HomeItem(
                f"{round_.name} is taking ideas until {uk_datetime(round_.proposals_close_at)}.",
                reverse("exchange:idea-new", kwargs={"year": round_.year}),
                "Post an idea", GROUP, order=10,
            ))  # fmt: skip
        elif is_member and round_.voting_open(now):
            ballot_url = reverse("exchange:ballot", kwargs={"year": round_.year})
            until = uk_datetime(round_.voting_closes_at)
            if round_.has_ballot:
                items.append(HomeItem(
                    f"You have voted in {round_.name}. You can change your ballot until {until}.",
                    ballot_url, "Change your ballot", GROUP, order=10,
                ))  # fmt: skip
            else:
                items.append(HomeItem(
                    f"Voting in {round_.name} is open until {until}. You have not voted yet.",
                    ballot_url, "Vote", GROUP, order=5,
                ))  # fmt: skip
        else:
            items.append(HomeItem(_next_date(round_, now), round_url, f"Go to {round_.name}",
                                  GROUP, order=60))  # fmt: skip
    return items


def _team_items(user, now) -> list[HomeItem]:
    items = []
    for proposal in team_proposals_with_news(user, now):
        detail = reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
        if proposal.stage == Stage.IDEA and proposal.round.accepts_ideas(now):
            items.append(HomeItem(
                f"“{proposal.title}” is still an idea: turn it into a full proposal by "
                f"{uk_datetime(proposal.round.proposals_close_at)}.",
                reverse("exchange:proposal-develop", kwargs={"slug": proposal.slug}),
                "Turn it into a full proposal", GROUP, order=20,
            ))  # fmt: skip
        if proposal.new_comment_count:
            items.append(HomeItem(
                ngettext(
                    "%(num)d new comment on “%(title)s”.",
                    "%(num)d new comments on “%(title)s”.",
                    proposal.new_comment_count,
                ) % {"num": proposal.new_comment_count, "title": proposal.title},
                f"{detail}#comments", "Read and reply", GROUP, order=15,
            ))  # fmt: skip
    for invitation in team_invitations_waiting(user):
        items.append(HomeItem(
            f"You have been invited to co-author “{invitation.proposal.title}”.",
            reverse("exchange:team-accept", kwargs={"slug": invitation.proposal.slug}),
            "Accept or decline", GROUP, order=12,
        ))  # fmt: skip
    return items


def _review_items(user) -> list[HomeItem]:
    items = []
    for membership in workspace_memberships(PROPOSAL_PANELS, user):
        n = membership.n_outstanding
        if not n:
            continue
        panel = membership.panel
        items.append(HomeItem(
            ngettext(
                "%(num)d proposal waits for your review on %(panel)s (%(round)s).",
                "%(num)d proposals wait for your review on %(panel)s (%(round)s).",
                n,
            ) % {"num": n, "panel": panel.name, "round": panel.round.name},
            reverse("exchange:shortlist-panel", kwargs={"pk": panel.pk}),
            "Review them" if n > 1 else "Review it", "Panels", order=20,
        ))  # fmt: skip
    return items


def _overview_items(now) -> list[HomeItem]:
    """Moderators record the decisions: each shortlisting panel at work leads to its overview."""
    items = []
    for panel in panels_before_announcement(now):
        if not (panel.done or panel.outstanding):
            continue
        items.append(HomeItem(
            f"{panel.name} ({panel.round.name}): "
            + ngettext("%(num)d review in", "%(num)d reviews in", panel.done) % {"num": panel.done}
            + f", {panel.outstanding} still to do.",
            PROPOSAL_PANELS.url("chair", panel.pk), "Open the panel's overview", "Staff", order=35,
        ))  # fmt: skip
    return items


def exchange_home_items(user, now: dt.datetime) -> list[HomeItem]:
    is_member = user.has_role(Role.MEMBER)
    items = _round_items(user, now, is_member)
    if is_member:
        items += _team_items(user, now)
    if user.has_role(Role.PANEL_MEMBER):
        items += _review_items(user)
    if user.has_perm("exchange.decide_proposal"):
        items += _overview_items(now)
    if user.has_perm("exchange.moderate_comments"):
        reported = comments_reported_count()
        if reported:
            items.append(HomeItem(
                ngettext(
                    "%(num)d reported comment in Q Exchange waits for moderation.",
                    "%(num)d reported comments in Q Exchange wait for moderation.",
                    reported,
                ) % {"num": reported},
                reverse("exchange:moderation-queue"), "Moderate comments", "Staff", order=30,
            ))  # fmt: skip
    return items


register(HomeProvider(key="exchange", items=exchange_home_items, order=30))
