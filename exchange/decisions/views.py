"""Moderators record shortlisting and funding decisions; funded teams post progress updates."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin

from ..proposals.enums import Stage
from ..proposals.selectors import proposal_get_for_viewer
from ..rounds.services import ExchangeError
from .forms import DecisionForm, ProgressUpdateForm
from .services import progress_update_post, proposal_decide


class ProposalMixin(PermissionRequired404Mixin):
    """Loads the proposal at the slug (404 if the user may not see it) and checks the
    permission against it."""

    def get_proposal(self):
        if not hasattr(self, "_proposal"):
            self._proposal = proposal_get_for_viewer(
                user=self.request.user, slug=self.kwargs["slug"]
            )
        return self._proposal

    def has_permission(self):
        # Django's mixin checks model-level permissions only; ours depend on the proposal.
        return self.request.user.has_perm(self.permission_required, self.get_proposal())

    def get_context_data(self, **kwargs):
        proposal = self.get_proposal()
        return super().get_context_data(proposal=proposal, round=proposal.round, **kwargs)

    def proposal_url(self):
        return redirect("exchange:proposal-detail", slug=self.get_proposal().slug)


class ProposalDecideView(ProposalMixin, FormView):
    permission_required = "exchange.decide_proposal"
    template_name = "exchange/decisions/proposal_decide.jinja"
    form_class = DecisionForm

    def get_form_kwargs(self):
        proposal = self.get_proposal()
        return {
            **super().get_form_kwargs(),
            "stage": proposal.stage,
            "voting_closed": proposal.round.voting_closed(),
        }

    def form_valid(self, form):
        proposal = self.get_proposal()
        try:
            proposal = proposal_decide(
                actor=self.request.user,
                proposal=proposal,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except ExchangeError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Decision recorded: {proposal.get_stage_display().lower()}. The team has been told.",
        )
        return self.proposal_url()


class ProgressUpdateCreateView(ProposalMixin, FormView):
    permission_required = "exchange.change_proposal"
    template_name = "exchange/decisions/update_form.jinja"
    form_class = ProgressUpdateForm

    def get(self, request, *args, **kwargs):
        if self.get_proposal().stage != Stage.FUNDED:
            raise Http404
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            progress_update_post(
                actor=self.request.user,
                proposal=self.get_proposal(),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                files=[form.cleaned_data.get("file")],
            )
        except ExchangeError as error:
            form_add_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your progress update is on the proposal page.")
        url = reverse("exchange:proposal-detail", kwargs={"slug": self.get_proposal().slug})
        return redirect(f"{url}#updates")
