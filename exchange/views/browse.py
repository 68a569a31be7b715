"""`/exchange/`: the rounds; `/exchange/<year>/`: one round with its proposals as cards, to
filter and search; `/exchange/<year>/feed/`: an Atom feed of the round's new proposals."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.generic import TemplateView
from markupsafe import Markup

from qcommunity.core.paging import page_with_total

from ..filters_browse import ProposalBrowseFilter
from ..models import ProgressUpdate
from ..page_cache import page_get, page_key, page_set
from ..rules import may_vote
from ..selectors_browse import (
    card_counts_attach,
    idea_action_for,
    proposal_cards,
    proposals_of_member,
    round_feed_items,
    round_feed_updates,
    round_get_for_viewer,
    round_groups_for_viewer,
    round_proposals,
    round_topics,
)
from .context import STAGE_LABELS
from .proposals import STAGE_TAG_CLASSES

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
    template_name = "exchange/round_list.jinja"

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
    template_name = "exchange/round_detail.jinja"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated or not settings.EXCHANGE_PAGE_CACHE:
            return super().get(request, *args, **kwargs)
        # Visitors share one rendering of each search's main content (exchange.page_cache).
        round_ = round_get_for_viewer(user=request.user, year=kwargs["year"])
        # One moment for the key and the rendering, so a page rendered after a date (outcomes
        # announced, voting closed) is never stored under the key of the phase before it.
        self.now = timezone.now()
        key = page_key("round", round_=round_, query_items=list(request.GET.lists()), now=self.now)
        version, entry = page_get(key)
        if entry is None:
            context = self.get_context_data(**kwargs)
            entry = {
                "html": render_to_string("exchange/_round_main.jinja", context, request),
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
        return item.lead.get_full_name()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return getattr(item, "updated_at", item.created_at)

    def item_categories(self, item):
        if isinstance(item, ProgressUpdate):
            return [item.proposal.theme.name, "Progress update"]
        return [item.theme.name, STAGE_LABELS[item.shown_stage]]
