"""A proposal's public page."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import TemplateView
from markupsafe import Markup

from ..enums import PROPOSAL_TRANSITIONS, Stage, TimelineStatus
from ..page_cache import page_get, page_key, page_set
from ..selectors import proposal_get_for_viewer, proposal_get_public_heading
from ..selectors_voting import voting_context
from ..services_decisions import DECISION_ACTIONS
from .comments import comments_context
from .context import proposal_context
from .edit import edit_context

STAGE_TAG_CLASSES = {
    Stage.IDEA: "nhsuk-tag--white",
    Stage.PROPOSAL: "nhsuk-tag--blue",
    Stage.SHORTLISTED: "nhsuk-tag--purple",
    Stage.FUNDED: "nhsuk-tag--green",
    Stage.NOT_FUNDED: "nhsuk-tag--grey",
    Stage.WITHDRAWN: "nhsuk-tag--grey",
}


class ProposalDetailView(TemplateView):
    template_name = "exchange/proposal_detail.jinja"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated or not settings.EXCHANGE_PAGE_CACHE:
            return super().get(request, *args, **kwargs)
        # Visitors share one rendering of the page's main content (exchange.page_cache).
        proposal = proposal_get_public_heading(slug=kwargs["slug"])
        # One moment for the key and the rendering, so a page rendered after the round's
        # announcement is never stored under the key of the phase before it.
        self.now = timezone.now()
        key = page_key(f"proposal:{proposal.pk}", round_=proposal.round, now=self.now)
        version, entry = page_get(key)
        if entry is None:
            context = self.get_context_data(**kwargs)
            html = render_to_string("exchange/_proposal_main.jinja", context, request)
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
