"""`/exchange/`: the rounds; `/exchange/<year>/`: one round with its proposals as cards, to
filter and search; `/exchange/<year>/feed/`: an Atom feed of the round's new proposals;
`/exchange/proposals/<slug>/`: a proposal's page, put together from every feature's part of it;
`/staff/exchange/rounds/`: the staff list of rounds with their counts;
`/staff/exchange/rounds/<pk>/export/` and `.../proposals.csv`: which of a round's proposals to
download, and the download of their votes and outcomes."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views import View
from django.views.generic import ListView, TemplateView
from markupsafe import Markup

from qcommunity.core.exports import csv_response, export_record
from qcommunity.core.paging import page_with_total

from ..comments.views import comments_context
from ..decisions.services import DECISION_ACTIONS
from ..proposals.enums import PROPOSAL_TRANSITIONS, Stage, TimelineStatus
from ..proposals.models import ProgressUpdate
from ..proposals.selectors import proposal_get_for_viewer, proposal_get_public_heading
from ..proposals.views.context import STAGE_LABELS, STAGE_TAG_CLASSES, proposal_context
from ..proposals.views.edit import edit_context
from ..rounds.page_cache import page_get, page_key, page_set
from ..rounds.views import ExchangeStaffMixin
from ..voting.rules import may_vote
from ..voting.selectors import voting_context
from .filters import ProposalBrowseFilter, ProposalExportFilter
from .selectors import (
    PROPOSAL_EXPORT_COLUMNS,
    card_counts_attach,
    idea_action_for,
    proposal_cards,
    proposals_of_member,
    round_export_rows,
    round_feed_items,
    round_feed_updates,
    round_get_for_viewer,
    round_groups_for_viewer,
    round_list_for_staff,
    round_proposals,
    round_topics,
)

PER_PAGE = 24


def _round_dates(round_) -> list[tuple[str, object]]:
    return [
        ("Ideas open", round_.opens_at),
        ("Full proposals due", round_.proposals_close_at),
        ("Comments close", round_.comments_close_at),
        ("Voting opens", round_.voting_opens_at),
        ("Voting closes", round_.voting_closes_at),
        ("Decisions announced", round_.decisions_at),
    ]


class RoundListView(TemplateView):
    template_name = "exchange/browse/round_list.jinja"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        user = self.request.user
        groups = round_groups_for_viewer(user, now=now)
        return super().get_context_data(
            groups=groups,
            now=now,
            idea_actions={r.pk: idea_action_for(user, r, now) for r in groups.current},
            my_proposals=proposals_of_member(user),
            may_support=may_vote(user),
            **kwargs,
        )


class RoundDetailView(TemplateView):
    template_name = "exchange/browse/round_detail.jinja"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated or not settings.EXCHANGE_PAGE_CACHE:
            return super().get(request, *args, **kwargs)
        # Visitors share one rendering of each search's main content (exchange.rounds.page_cache).
        round_ = round_get_for_viewer(user=request.user, year=kwargs["year"])
        # One moment for the key and the rendering, so a page rendered after a date (outcomes
        # announced, voting closed) is never stored under the key of the phase before it.
        self.now = timezone.now()
        key = page_key("round", round_=round_, query_items=list(request.GET.lists()), now=self.now)
        version, entry = page_get(key)
        if entry is None:
            context = self.get_context_data(**kwargs)
            entry = {
                "html": render_to_string("exchange/browse/_round_main.jinja", context, request),
                "page_number": context["page_number"],
            }
            page_set(key, version=version, entry=entry)
        return self.render_to_response(
            {
                "view": self,
                "round": round_,
                "page_number": entry["page_number"],
                "main_html": Markup(entry["html"]),  # noqa: S704 (our own rendering)
            }
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        now = getattr(self, "now", None) or timezone.now()
        round_ = round_get_for_viewer(user=user, year=self.kwargs["year"])
        now = timezone.now()
        filterset = ProposalBrowseFilter(
            self.request.GET,
            queryset=round_proposals(round_, user=user, now=now),
            round_=round_,
            topics=round_topics(round_),
        )
        cards = proposal_cards(filterset.qs)
        number = self.request.GET.get("page")
        if filterset.is_text_search():
            # A ranked search reads every match to sort it: the count comes in the same query.
            page_obj = page_with_total(cards, number, PER_PAGE)
        else:
            page_obj = Paginator(cards, PER_PAGE).get_page(number)
        return super().get_context_data(
            round=round_,
            now=now,
            idea_action=idea_action_for(user, round_, now),
            themes=list(round_.themes.all()),
            key_dates=_round_dates(round_),
            filter=filterset,
            page_obj=page_obj,
            page_number=page_obj.number,
            proposals=card_counts_attach(list(page_obj.object_list)),
            stage_tag_classes=STAGE_TAG_CLASSES,
            stage_labels=STAGE_LABELS,
            can_vote=may_vote(user),
            signed_in=user.is_authenticated,
            **kwargs,
        )


class RoundFeed(Feed):
    """The round's newest ideas and proposals, and its funded projects' progress updates (once
    the round has announced its funding), newest first, as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request, year):
        round_ = round_get_for_viewer(user=request.user, year=year)
        # The feed object is shared by every request: the viewer travels with the round.
        round_.feed_viewer = request.user
        return round_

    def title(self, round_):
        return f"New proposals and updates in {round_.name}"

    def subtitle(self, round_):
        return (
            f"Ideas and proposals posted to {round_.name} on Q Community, and progress updates "
            "from its funded projects."
        )

    def link(self, round_):
        return reverse("exchange:round-detail", kwargs={"year": round_.year})

    def feed_url(self, round_):
        return reverse("exchange:round-feed", kwargs={"year": round_.year})

    def items(self, round_):
        entries = [
            *round_feed_items(round_, user=round_.feed_viewer),
            *round_feed_updates(round_, user=round_.feed_viewer),
        ]
        entries.sort(key=lambda item: (item.created_at, item.pk), reverse=True)
        return entries[:50]

    def item_title(self, item):
        if isinstance(item, ProgressUpdate):
            return f"Progress update: {item.title} ({item.proposal.title})"
        return item.title

    def item_description(self, item):
        if isinstance(item, ProgressUpdate):
            return item.body_html
        return item.summary

    def item_link(self, item):
        if isinstance(item, ProgressUpdate):
            slug = item.proposal.slug
            return reverse("exchange:proposal-detail", kwargs={"slug": slug}) + f"#update-{item.pk}"
        return reverse("exchange:proposal-detail", kwargs={"slug": item.slug})

    def item_author_name(self, item):
        if isinstance(item, ProgressUpdate):
            return item.author.get_full_name() if item.author else "Former member"
        return item.lead.get_full_name() if item.lead else ""

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return getattr(item, "updated_at", item.created_at)

    def item_categories(self, item):
        if isinstance(item, ProgressUpdate):
            theme = item.proposal.theme
            return [theme.name, "Progress update"] if theme else ["Progress update"]
        stage = STAGE_LABELS[item.shown_stage]
        return [item.theme.name, stage] if item.theme else [stage]


class StaffRoundListView(ExchangeStaffMixin, ListView):
    template_name = "exchange/browse/staff/round_list.jinja"
    context_object_name = "rounds"
    paginate_by = 25

    def get_queryset(self):
        return round_list_for_staff()


class StaffRoundExportView(ExchangeStaffMixin, TemplateView):
    """The choice of which proposals to download (stage, theme, region, text), sent to
    `StaffRoundProposalsCsvView`; filters in the address are shown chosen."""

    template_name = "exchange/browse/staff/round_export.jinja"

    def get_context_data(self, **kwargs):
        round_ = self.get_round()
        return super().get_context_data(
            round=round_,
            filter=ProposalExportFilter(self.request.GET or None, round_=round_),
            **kwargs,
        )


class StaffRoundProposalsCsvView(ExchangeStaffMixin, View):
    """A round's proposals, votes and outcomes as a CSV (columns: `round_export_rows`), with the
    filters chosen on the round's staff page in the file name and the audit row."""

    def get(self, request, pk):
        round_ = self.get_round()
        filterset = ProposalExportFilter(request.GET, round_=round_)
        proposals = filterset.qs
        filters = filterset.applied()
        export_record(
            actor=request.user,
            action="exchange_round.export_proposals",
            permission=self.permission_required,
            filters=filters,
            row_count=proposals.count(),
            target=round_,
        )
        return csv_response(
            filename_parts=["exchange", str(round_.year), "proposals"],
            filters=filters,
            header=PROPOSAL_EXPORT_COLUMNS,
            rows=round_export_rows(round_, proposals),
        )


class ProposalDetailView(TemplateView):
    template_name = "exchange/browse/proposal_detail.jinja"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated or not settings.EXCHANGE_PAGE_CACHE:
            return super().get(request, *args, **kwargs)
        # Visitors share one rendering of the page's main content (exchange.rounds.page_cache).
        proposal = proposal_get_public_heading(slug=kwargs["slug"])
        # One moment for the key and the rendering, so a page rendered after the round's
        # announcement is never stored under the key of the phase before it.
        self.now = timezone.now()
        key = page_key(f"proposal:{proposal.pk}", round_=proposal.round, now=self.now)
        version, entry = page_get(key)
        if entry is None:
            context = self.get_context_data(**kwargs)
            html = render_to_string("exchange/browse/_proposal_main.jinja", context, request)
            page_set(key, version=version, entry={"html": html})
        else:
            html = entry["html"]
        context = {"view": self, "proposal": proposal, "round": proposal.round}
        return self.render_to_response({**context, "main_html": Markup(html)})  # noqa: S704

    def get_context_data(self, **kwargs):
        user = self.request.user
        proposal = proposal_get_for_viewer(user=user, slug=self.kwargs["slug"])
        context = super().get_context_data(**kwargs)
        context.update(proposal_context(proposal, user, now=getattr(self, "now", None)))
        context.update(
            stage_tag_class=STAGE_TAG_CLASSES[context["shown_stage"]],
            can_edit=user.has_perm("exchange.change_proposal", proposal),
            TimelineStatus=TimelineStatus,
        )
        context.update(decisions_context(proposal, user, can_edit=context["can_edit"]))
        context.update(comments_context(proposal, user))
        context.update(voting_context(proposal, user))
        context.update(edit_context(proposal, user))
        return context


def decisions_context(proposal, user, *, can_edit: bool) -> dict:
    """What the page offers moderators (record a decision) and a funded team (post an update),
    and who reads the decision's reason (the team and moderators)."""
    can_decide = user.has_perm("exchange.decide_proposal", proposal) and any(
        proposal.stage in PROPOSAL_TRANSITIONS[action].sources for action in DECISION_ACTIONS
    )
    return {
        "can_decide": can_decide,
        "can_post_update": can_edit and proposal.stage == Stage.FUNDED,
        "show_decision_reason": bool(proposal.decision_reason)
        and (can_edit or user.has_perm("exchange.decide_proposal", proposal)),
    }
