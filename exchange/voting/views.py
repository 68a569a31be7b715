"""Supporting proposals, the ballot, the member's own ballot, the results and turnout.

The ballot pages are members' (signed-in people who are not members get 404, like every page
that is not theirs). Results are public pages of a published round but show counts only once
voting has closed. Turnout is for moderators and staff."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View
from markupsafe import Markup

from qcommunity.core.formatting import uk_datetime
from qcommunity.core.permissions import PermissionRequired404Mixin

from ..proposals.selectors import proposals_visible_to
from ..proposals.views.context import STAGE_LABELS, STAGE_TAG_CLASSES
from ..rounds.services import ExchangeError
from .rules import may_support, may_vote
from .selectors import (
    ballot_by_theme,
    ballot_for,
    results_visible,
    round_get_for_year,
    round_had_ballots,
    round_results,
    round_turnout,
    supported_proposals_for,
    voting_context,
)
from .services import ballot_cast, ballot_rules, support_add, support_remove


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# Supporting ------------------------------------------------------------------------------------


class SupportView(PermissionRequired404Mixin, View):
    """POST: support the proposal, or stop ("action=stop"). Answers htmx with the support box
    alone, and a plain form post by going back to the proposal page."""

    permission_required = "exchange.support_proposal"
    http_method_names = ["post"]

    def has_permission(self):
        # The role itself: `has_perm` would let every superuser through.
        return may_support(self.request.user)

    def post(self, request, slug):
        proposal = (
            proposals_visible_to(request.user).select_related("round").filter(slug=slug).first()
        )
        if proposal is None:
            raise Http404
        stop = request.POST.get("action") == "stop"
        error = ""
        try:
            if stop:
                support_remove(actor=request.user, proposal=proposal)
            else:
                support_add(actor=request.user, proposal=proposal)
        except ExchangeError as exc:
            error = str(exc)
        if _is_htmx(request):
            context = {"proposal": proposal, **voting_context(proposal, request.user)}
            context["support_message"] = error or (
                "You no longer support this proposal." if stop else "You support this proposal."
            )
            return TemplateResponse(request, "exchange/_support.jinja", context)
        if error:
            messages.error(request, error)
        elif stop:
            messages.success(request, f"You no longer support {proposal.title}.")
        else:
            messages.success(
                request,
                f"You support {proposal.title}. It is listed on your page of proposals you "
                "support.",
            )
        return redirect(reverse("exchange:proposal-detail", kwargs={"slug": slug}) + "#support")


SUPPORTED_PER_PAGE = 20


class SupportedListView(PermissionRequired404Mixin, TemplateView):
    """The proposals the member supports, most recent first."""

    permission_required = "exchange.support_proposal"
    template_name = "exchange/voting/supported.jinja"

    def has_permission(self):
        return may_support(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(supported_proposals_for(self.request.user), SUPPORTED_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            proposals=page.object_list,
            tags=STAGE_TAG_CLASSES,
            stage_labels=STAGE_LABELS,
        )
        return context


# Voting ----------------------------------------------------------------------------------------


def _theme_field(theme) -> str:
    return f"theme_{theme.pk}"


def _proposal_hint(proposal) -> Markup:
    href = reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
    return Markup(
        '{summary}<br><a href="{href}">Read the proposal'
        '<span class="nhsuk-u-visually-hidden">: {title}</span></a>'
    ).format(summary=proposal.summary, href=href, title=proposal.title)


def ballot_groups(theme_rules, chosen: set[int], problems: dict[str, str]) -> list[dict]:
    """Parameters for one checkboxes component per theme that has standing proposals."""
    groups = []
    for rule in theme_rules:
        if not rule.standing:
            continue
        name = _theme_field(rule.theme)
        every = rule.needed == len(rule.standing)
        hint = (
            f"Choose all {rule.needed}: only {rule.needed} stand in this theme."
            if every and rule.needed > 1
            else (
                "Choose the one proposal standing in this theme."
                if every
                else f"Choose {rule.needed} {'proposal' if rule.needed == 1 else 'proposals'}."
            )
        )
        params = {
            "idPrefix": name,
            "name": name,
            "fieldset": {"legend": {"text": rule.theme.name, "size": "m"}},
            "hint": {"text": f"{rule.theme.question} {hint}"},
            "items": [
                {
                    "value": str(p.pk),
                    "text": p.title,
                    "hint": {"html": _proposal_hint(p)},
                    "checked": p.pk in chosen,
                }
                for p in rule.standing
            ],
        }
        if name in problems:
            params["errorMessage"] = {"text": problems[name]}
        groups.append({"rule": rule, "params": params})
    return groups


class VoterMixin(PermissionRequired404Mixin):
    """Members only. Visitors are asked to sign in; a signed-in person who is not a member (a
    staff administrator included) gets a page saying who can vote and how to join Q, with
    status 403, for a round they may see (404 for one they may not)."""

    permission_required = "exchange.vote"

    def has_permission(self):
        # The role itself: `has_perm` would let every superuser through.
        return may_vote(self.request.user)

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return super().handle_no_permission()
        round_ = self.get_round()
        return TemplateResponse(
            self.request, "exchange/voting/ballot_members_only.jinja", {"round": round_}, status=403
        )

    def get_round(self):
        return round_get_for_year(user=self.request.user, year=self.kwargs["year"])


class BallotView(VoterMixin, TemplateView):
    """The ballot: during the voting window a form with the standing proposals of each theme;
    before it, when voting opens; after it, the member's ballot as it stands and the results."""

    template_name = "exchange/voting/ballot.jinja"

    def get(self, request, *args, **kwargs):
        round_ = self.get_round()
        ballot = ballot_for(user=request.user, round_=round_)
        chosen = {c.proposal_id for c in ballot.choices.all()} if ballot else set()
        return self.render_to_response(self.ballot_context(round_, ballot, chosen, {}))

    def post(self, request, *args, **kwargs):
        round_ = self.get_round()
        if not round_.voting_open():
            messages.error(request, "Voting is not open, so your ballot was not saved.")
            return redirect("exchange:ballot", year=round_.year)
        theme_rules = ballot_rules(round_)
        chosen = set()
        for rule in theme_rules:
            for value in request.POST.getlist(_theme_field(rule.theme)):
                if value.isdigit():
                    chosen.add(int(value))
        try:
            ballot_cast(actor=request.user, round_=round_, proposal_ids=chosen)
        except ExchangeError as error:
            if not round_.voting_open():  # voting closed while the member was choosing
                messages.error(request, str(error))
                return redirect("exchange:ballot", year=round_.year)
            ballot = ballot_for(user=request.user, round_=round_)
            problems = error.errors or {"ballot": str(error)}
            context = self.ballot_context(round_, ballot, chosen, problems, theme_rules)
            return self.render_to_response(context)
        messages.success(
            request,
            "Your ballot has been saved. You can change it until voting closes on "
            f"{uk_datetime(round_.voting_closes_at)}.",
        )
        return redirect("exchange:your-ballot", year=round_.year)

    def ballot_context(self, round_, ballot, chosen, problems, theme_rules=None) -> dict:
        now = timezone.now()
        context = self.get_context_data(round=round_, ballot=ballot, problems=problems)
        if round_.voting_open(now):
            theme_rules = theme_rules if theme_rules is not None else ballot_rules(round_)
            groups = ballot_groups(theme_rules, chosen, problems)
            error_list = [
                {"text": problems[_theme_field(g["rule"].theme)],
                 "href": f"#{_theme_field(g['rule'].theme)}"}
                for g in groups
                if _theme_field(g["rule"].theme) in problems
            ]  # fmt: skip
            if "ballot" in problems:
                error_list.insert(0, {"text": problems["ballot"]})
            context.update(state="open", groups=groups, error_list=error_list)
        elif now < round_.voting_opens_at:
            context.update(state="before")
        else:
            context.update(
                state="closed",
                by_theme=ballot_by_theme(round_, ballot),
                show_results=results_visible(round_, now),
            )
        return context


class YourBallotView(VoterMixin, TemplateView):
    """The member's ballot as saved, theme by theme, with a link to change it while voting is
    open."""

    template_name = "exchange/voting/your_ballot.jinja"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = self.get_round()
        ballot = ballot_for(user=self.request.user, round_=round_)
        context.update(
            round=round_,
            ballot=ballot,
            by_theme=ballot_by_theme(round_, ballot),
            voting_open=round_.voting_open(),
            voting_closed=round_.voting_closed(),
        )
        return context


# Results and turnout ---------------------------------------------------------------------------


class ResultsView(TemplateView):
    """Votes per proposal, theme by theme, once voting has closed; before that, when they will
    be shown. Anyone who can see the round may read it."""

    template_name = "exchange/voting/results.jinja"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = round_get_for_year(user=self.request.user, year=self.kwargs["year"])
        context.update(
            round=round_,
            show_results=results_visible(round_),
            results=round_results(round_, user=self.request.user),
            had_ballots=round_had_ballots(round_),
            tags=STAGE_TAG_CLASSES,
            stage_labels=STAGE_LABELS,
            can_view_turnout=self.request.user.has_perm("exchange.view_turnout"),
        )
        return context


class TurnoutView(PermissionRequired404Mixin, TemplateView):
    """Ballots cast, members who may vote, the percentage and ballots by day: for moderators
    and staff, at any time (no choices or counts per proposal are shown)."""

    permission_required = "exchange.view_turnout"
    template_name = "exchange/voting/turnout.jinja"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = round_get_for_year(user=self.request.user, year=self.kwargs["year"])
        context.update(round=round_, turnout=round_turnout(round_))
        return context
