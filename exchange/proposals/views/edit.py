"""The writing side of proposals: post an idea, edit it (answers with a live word count),
the team (invite co-authors by email, name people, remove, leave; accept an invitation; hand
the lead to another team member, who accepts or declines), the
plan ("how you can contribute" points and the dated timeline; a funded team marks steps done,
moved or dropped), attachments (upload, list, download, remove), turn an idea into a full
proposal, withdraw; and, for everyone who can see the proposal, its plan as iCalendar and a
print-friendly page.

Editing pages are for the lead and co-authors who accepted; anyone else who can see the
proposal gets 404 (visitors are asked to sign in). Each page and service asks the one edit
window (`rules.proposal_edit_window`). Views are thin: the services decide."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from qcommunity.accounts.enums import Role
from qcommunity.core.forms.nhs_fields import kind
from qcommunity.core.permissions import PermissionRequired404Mixin

from ...rounds.selectors import rounds_visible_to
from ...rounds.services import ExchangeError
from ..enums import PROPOSAL_TRANSITIONS, Stage, TeamRole, TimelineStatus
from ..forms import (
    AttachmentForm,
    ContributionsForm,
    IdeaForm,
    LeadHandoverForm,
    ProposalEditForm,
    ReasonForm,
    StepAddForm,
    StepChangeForm,
    TeamInviteForm,
    TeamNamedForm,
    TeamNameForm,
)
from ..ical import plan_ical
from ..models import Proposal
from ..rules import proposal_edit_window
from ..selectors import proposal_get_for_viewer, shown_stage
from ..services import (
    answer_problems,
    attachment_add,
    attachment_remove,
    contributions_set,
    develop_problems,
    lead_candidates,
    lead_handover_accept,
    lead_handover_cancel,
    lead_handover_decline,
    lead_handover_offer,
    proposal_create,
    proposal_transition,
    proposal_update,
    team_invitation_accept,
    team_invite,
    team_member_add,
    team_member_remove,
    team_name_set,
    timeline_item_add,
    timeline_item_change,
    timeline_item_remove,
)
from .context import proposal_context


def _detail_url(proposal: Proposal) -> str:
    return reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})


def _anchor(bound) -> str:
    if kind(bound) in {"checkboxes", "radios", "checkbox"}:
        return bound.auto_id
    if kind(bound) == "date":
        return f"{bound.auto_id}-day"
    return bound.id_for_label or bound.auto_id


def error_list_for(problems: dict[str, str], *forms) -> list[dict]:
    """Error summary items: each problem linked to its field when one of `forms` has it."""
    fields = {}
    for form in forms:
        fields.update({bound.name: bound for bound in form})
    items = []
    for name, message in problems.items():
        if name in fields:
            items.append({"text": message, "href": f"#{_anchor(fields[name])}"})
        else:
            items.append({"text": message})
    return items


def form_problems(form) -> dict[str, str]:
    return {name: " ".join(str(e) for e in errors) for name, errors in form.errors.items()}


def edit_context(proposal: Proposal, user) -> dict:
    """What the proposal page needs for its team's links (from the team already fetched):
    whether the viewer edits it, and whether they have an invitation waiting."""
    signed_in = bool(user and user.is_authenticated and user.is_active)
    mine = [m for m in proposal.team.all() if signed_in and m.user_id == user.pk]
    is_editor = (
        signed_in
        and user.has_role(Role.MEMBER)
        and (
            proposal.lead_id == user.pk
            or any(m.role == TeamRole.CO_AUTHOR and m.accepted_at for m in mine)
        )
    )
    window = proposal_edit_window(proposal)
    offered = _offered(proposal)
    return {
        "edit_lead_offered_to": offered if is_editor else None,
        "edit_lead_offer_to_me": bool(signed_in and offered and offered.pk == user.pk),
        "edit_links": is_editor,
        "edit_stage_editable": bool(window),
        "edit_closed_reason": window.reason,
        "edit_can_develop": proposal.stage == Stage.IDEA and bool(window),
        "edit_can_withdraw": proposal.stage in PROPOSAL_TRANSITIONS["withdraw"].sources,
        "edit_invitation": any(
            m.role == TeamRole.CO_AUTHOR and m.accepted_at is None for m in mine
        ),
    }


# Posting an idea -------------------------------------------------------------------------------


class IdeaCreateView(PermissionRequired404Mixin, TemplateView):
    """Members post an idea in a round that takes ideas now, then go on to its edit page."""

    permission_required = "exchange.create_proposal"
    template_name = "exchange/proposals/edit/idea_new.jinja"

    def get_round(self):
        round_ = rounds_visible_to(self.request.user).filter(year=self.kwargs["year"]).first()
        if round_ is None:
            raise Http404
        return round_

    def get(self, request, *args, **kwargs):
        round_ = self.get_round()
        return self.page(round_, IdeaForm(round_=round_), {})

    def post(self, request, *args, **kwargs):
        round_ = self.get_round()
        form = IdeaForm(request.POST, round_=round_)
        if not round_.accepts_ideas():
            return self.page(round_, form, {})
        problems = {}
        if form.is_valid():
            theme = round_.themes.get(pk=form.cleaned_data["theme"])
            try:
                proposal = proposal_create(
                    actor=request.user,
                    round_=round_,
                    theme=theme,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                )
            except ExchangeError as error:
                problems = error.errors or {"__all__": str(error)}
            else:
                messages.success(
                    request,
                    "Your idea has been posted. Add your answers, team and plan when you are ready",
                )
                return redirect("exchange:proposal-edit", slug=proposal.slug)
        else:
            problems = form_problems(form)
        return self.page(round_, form, problems)

    def page(self, round_, form, problems):
        return self.render_to_response(
            self.get_context_data(
                round=round_,
                form=form,
                problems=problems,
                error_list=error_list_for(problems, form),
                accepts_ideas=round_.accepts_ideas(),
                opens_later=round_.opens_at > timezone.now(),
            )
        )


# The team's pages ------------------------------------------------------------------------------


class EditorMixin:
    """The lead and accepted co-authors of a proposal the viewer can see; others get 404 and
    visitors are asked to sign in. `needs_editable`: the page is only for changing the
    proposal, so once its edit window has closed (`rules.proposal_edit_window`: its stage and
    the round's dates) it goes back to the proposal page, saying why. Pages without it show
    what they can and the services refuse the changes."""

    needs_editable = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.proposal = proposal_get_for_viewer(user=request.user, slug=kwargs["slug"])
        if not request.user.has_perm("exchange.change_proposal", self.proposal):
            raise Http404
        self.window = proposal_edit_window(self.proposal)
        if self.needs_editable and not self.window:
            messages.error(request, self.window.reason)
            return HttpResponseRedirect(_detail_url(self.proposal))
        return super().dispatch(request, *args, **kwargs)

    def reload(self) -> Proposal:
        self.proposal = proposal_get_for_viewer(user=self.request.user, slug=self.proposal.slug)
        return self.proposal

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            proposal=self.proposal,
            round=self.proposal.round,
            detail_url=_detail_url(self.proposal),
            noun="idea" if self.proposal.stage == Stage.IDEA else "proposal",
            edit_window=self.window,
        )
        return context


class ProposalEditView(EditorMixin, TemplateView):
    template_name = "exchange/proposals/edit/edit.jinja"

    def sections(self):
        return list(self.proposal.round.sections.all())

    def get(self, request, *args, **kwargs):
        form = ProposalEditForm(proposal=self.proposal, sections=self.sections())
        return self.page(form, {})

    def post(self, request, *args, **kwargs):
        sections = self.sections()
        form = ProposalEditForm(request.POST, proposal=self.proposal, sections=sections)
        valid = form.is_valid()
        problems = form_problems(form)
        answers = form.answers()
        if not valid:  # show every problem at once: word limits too
            for name, message in answer_problems(sections, answers).items():
                problems.setdefault(name, message)
            return self.page(form, problems)
        data = form.cleaned_data
        theme = next(t for t in self.proposal.round.themes.all() if str(t.pk) == data["theme"])
        try:
            proposal_update(
                actor=request.user,
                proposal=self.proposal,
                title=data["title"],
                summary=data["summary"],
                theme=theme,
                answers=answers,
                regions=data["regions"],
                topic_ids=[int(pk) for pk in data["topics"]],
                amount_requested=data["amount_requested"],
            )
        except ExchangeError as error:
            return self.page(form, error.errors or {"__all__": str(error)})
        messages.success(request, "Your changes have been saved.")
        return HttpResponseRedirect(_detail_url(self.proposal))

    def page(self, form, problems):
        return self.render_to_response(
            self.get_context_data(
                form=form, problems=problems, error_list=error_list_for(problems, form)
            )
        )


class TeamView(EditorMixin, TemplateView):
    """The team: invite a member by email (as co-author or named only), name someone without an
    account, remove people, leave. The lead stays."""

    template_name = "exchange/proposals/edit/team.jinja"

    def get(self, request, *args, **kwargs):
        return self.page(TeamInviteForm(), TeamNamedForm(), {})

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        invite, named = TeamInviteForm(), TeamNamedForm()
        problems: dict[str, str] = {}
        try:
            if action == "invite":
                invite = TeamInviteForm(request.POST)
                if not invite.is_valid():
                    return self.page(invite, named, form_problems(invite))
                member = team_invite(
                    actor=request.user,
                    proposal=self.proposal,
                    email=invite.cleaned_data["email"],
                    role_line=invite.cleaned_data["invite_role_line"],
                    co_author=invite.cleaned_data["co_author"] == "yes",
                )
                name = member.user.get_full_name()
                message = (
                    f"We have emailed {name} an invitation to co-author this proposal."
                    if member.role == TeamRole.CO_AUTHOR
                    else f"{name} has been added to the team."
                )
            elif action == "team_name":
                form = TeamNameForm(request.POST)
                if not form.is_valid():
                    return self.page(invite, named, form_problems(form), team_name_form=form)
                team_name_set(
                    actor=request.user,
                    proposal=self.proposal,
                    team_name=form.cleaned_data["team_name"],
                )
                message = "The team name has been saved."
            elif action == "named":
                named = TeamNamedForm(request.POST)
                if not named.is_valid():
                    return self.page(invite, named, form_problems(named))
                team_member_add(
                    actor=request.user,
                    proposal=self.proposal,
                    name=named.cleaned_data["name"],
                    role_line=named.cleaned_data["role_line"],
                )
                message = f"{named.cleaned_data['name']} has been added to the team."
            elif action in ("remove", "leave"):
                member = self.member(action)
                team_member_remove(actor=request.user, member=member)
                if action == "leave":
                    messages.success(request, "You have left the team.")
                    return HttpResponseRedirect(_detail_url(self.proposal))
                who = member.user.get_full_name() if member.user_id else member.name
                message = f"{who} has been removed from the team."
            else:
                raise Http404
        except ExchangeError as error:
            problems = error.errors or {"__all__": str(error)}
            if action == "invite":
                problems = {("invite_role_line" if k == "role_line" else k): v
                            for k, v in problems.items()}  # fmt: skip
            return self.page(invite, named, problems)
        messages.success(request, message)
        return redirect("exchange:proposal-team", slug=self.proposal.slug)

    def member(self, action):
        if action == "leave":
            found = [m for m in self.proposal.team.all() if m.user_id == self.request.user.pk]
        else:
            found = [
                m for m in self.proposal.team.all() if str(m.pk) == self.request.POST.get("member")
            ]
        if not found:
            raise Http404
        return found[0]

    def page(self, invite, named, problems, team_name_form=None):
        team_name_form = team_name_form or TeamNameForm(
            initial={"team_name": self.proposal.team_name}
        )
        return self.render_to_response(
            self.get_context_data(
                invite=invite,
                named=named,
                team_name_form=team_name_form,
                problems=problems,
                error_list=error_list_for(problems, invite, named, team_name_form),
                team=list(self.proposal.team.all()),
                TeamRole=TeamRole,
                is_lead=self.proposal.lead_id == self.request.user.pk,
                lead_offered_to=_offered(self.proposal),
                lead_candidates=lead_candidates(self.proposal),
            )
        )


def _offered(proposal: Proposal):
    """The team member asked to take over as lead, if a handover is waiting (from the team
    already fetched with its users)."""
    if proposal.lead_offered_to_id is None:
        return None
    return next(
        (m.user for m in proposal.team.all() if m.user_id == proposal.lead_offered_to_id),
        None,
    )


class LeadHandoverView(TemplateView):
    """Handing over the lead. The lead asks a team member who is a member of Q (or cancels a
    waiting handover); the proposed lead accepts or declines. Offering and accepting respect
    the proposal's edit window; declining and cancelling are always possible. 404 for anyone
    else."""

    template_name = "exchange/proposals/edit/lead_handover.jinja"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.proposal = proposal_get_for_viewer(user=request.user, slug=kwargs["slug"])
        user = request.user
        self.is_lead = self.proposal.lead_id == user.pk and user.has_perm(
            "exchange.change_proposal", self.proposal
        )
        self.is_offered = self.proposal.lead_offered_to_id == user.pk
        if not (self.is_lead or self.is_offered):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.page(None, {})

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        proposal = self.proposal
        form = None
        try:
            if action == "offer" and self.is_lead:
                form = LeadHandoverForm(request.POST, candidates=lead_candidates(proposal))
                if not form.is_valid():
                    return self.page(form, form_problems(form))
                member = next(
                    m for m in proposal.team.all() if str(m.pk) == form.cleaned_data["member"]
                )
                lead_handover_offer(actor=request.user, proposal=proposal, member=member)
                messages.success(
                    request,
                    f"We have asked {member.user.get_full_name()} to take over as lead. You stay "
                    "the lead until they accept.",
                )
                return redirect("exchange:proposal-team", slug=proposal.slug)
            if action == "cancel" and self.is_lead:
                lead_handover_cancel(actor=request.user, proposal=proposal)
                messages.success(
                    request, "The handover has been cancelled. You are still the lead."
                )
                return redirect("exchange:proposal-team", slug=proposal.slug)
            if action == "accept" and self.is_offered:
                lead_handover_accept(actor=request.user, proposal=proposal)
                messages.success(request, f"You are now the lead of “{proposal.title}”.")
                return HttpResponseRedirect(_detail_url(proposal))
            if action == "decline" and self.is_offered:
                lead_handover_decline(actor=request.user, proposal=proposal)
                messages.success(
                    request,
                    f"You have declined. {proposal.lead.get_full_name()} is still the lead.",
                )
                return HttpResponseRedirect(_detail_url(proposal))
        except ExchangeError as error:
            return self.page(form, error.errors or {"__all__": str(error)})
        raise Http404

    def page(self, form, problems):
        proposal = self.proposal
        candidates = lead_candidates(proposal)
        form = form or LeadHandoverForm(candidates=candidates)
        return self.render_to_response(
            self.get_context_data(
                proposal=proposal,
                round=proposal.round,
                detail_url=_detail_url(proposal),
                edit_window=proposal_edit_window(proposal),
                is_lead=self.is_lead,
                is_offered=self.is_offered,
                lead_offered_to=_offered(proposal),
                candidates=candidates,
                form=form,
                problems=problems,
                error_list=error_list_for(problems, form),
            )
        )


class TeamAcceptView(TemplateView):
    """The invited member accepts (then edits) or declines. 404 for anyone without an invitation
    to this proposal."""

    template_name = "exchange/proposals/edit/team_accept.jinja"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.proposal = proposal_get_for_viewer(user=request.user, slug=kwargs["slug"])
        self.invitation = next(
            (
                m
                for m in self.proposal.team.all()
                if m.user_id == request.user.pk and m.role == TeamRole.CO_AUTHOR
            ),
            None,
        )
        if self.invitation is None:
            raise Http404
        if self.invitation.accepted_at is not None:
            messages.info(request, "You are already a co-author of this proposal.")
            return HttpResponseRedirect(_detail_url(self.proposal))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            proposal=self.proposal,
            round=self.proposal.round,
            edit_window=proposal_edit_window(self.proposal),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            if request.POST.get("action") == "decline":
                team_member_remove(actor=request.user, member=self.invitation)
                messages.success(request, "You have declined the invitation.")
                return HttpResponseRedirect(_detail_url(self.proposal))
            team_invitation_accept(actor=request.user, member=self.invitation)
        except ExchangeError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(_detail_url(self.proposal))
        if not request.user.has_perm("exchange.change_proposal", self.proposal):
            messages.info(request, "You are now a co-author of this proposal.")
            return HttpResponseRedirect(_detail_url(self.proposal))
        messages.success(request, "You are now a co-author. You can change the proposal here.")
        if proposal_edit_window(self.proposal):
            return redirect("exchange:proposal-edit", slug=self.proposal.slug)
        return HttpResponseRedirect(_detail_url(self.proposal))


class PlanView(EditorMixin, TemplateView):
    """ "How you can contribute" points and the dated plan. Ideas and proposals: set the points,
    add and remove steps. Funded projects: mark steps done, moved or dropped."""

    template_name = "exchange/proposals/edit/plan.jinja"
    needs_editable = False

    def get(self, request, *args, **kwargs):
        return self.page({})

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        forms = {}
        try:
            if action == "points":
                form = forms["points"] = ContributionsForm(request.POST)
                if not form.is_valid():
                    return self.page(forms, form_problems(form))
                contributions_set(
                    actor=request.user,
                    proposal=self.proposal,
                    points=form.cleaned_data["points"].splitlines(),
                )
                message = "The ways people can contribute have been saved."
            elif action == "add":
                form = forms["add"] = StepAddForm(request.POST)
                if not form.is_valid():
                    return self.page(forms, form_problems(form))
                timeline_item_add(
                    actor=request.user,
                    proposal=self.proposal,
                    on=form.cleaned_data["on"],
                    title=form.cleaned_data["title"],
                )
                message = "The step has been added to the plan."
            elif action == "remove":
                timeline_item_remove(actor=request.user, item=self.item())
                message = "The step has been removed from the plan."
            elif action == "change":
                item = self.item()
                form = forms[f"change{item.pk}"] = StepChangeForm(
                    request.POST, prefix=f"step{item.pk}"
                )
                if not form.is_valid():
                    return self.page(forms, self.prefixed(form, form_problems(form)))
                data = form.cleaned_data
                try:
                    timeline_item_change(
                        actor=request.user,
                        item=item,
                        status=data["status"],
                        on=data["new_on"],
                        reason=data["reason"],
                    )
                except ExchangeError as error:
                    problems = {{"on": "new_on"}.get(k, k): v for k, v in error.errors.items()} or {
                        "status": str(error)
                    }
                    return self.page(forms, self.prefixed(form, problems))
                message = f"“{item.title}” has been updated."
            else:
                raise Http404
        except ExchangeError as error:
            return self.page(forms, error.errors or {"__all__": str(error)})
        messages.success(request, message)
        return redirect("exchange:proposal-plan", slug=self.proposal.slug)

    def item(self):
        pk = self.request.POST.get("item", "")
        found = [i for i in self.proposal.timeline.all() if str(i.pk) == pk]
        if not found:
            raise Http404
        return found[0]

    @staticmethod
    def prefixed(form, problems):
        return {form.add_prefix(name): message for name, message in problems.items()}

    def page(self, forms, problems=None):
        problems = problems or {}
        proposal = self.proposal
        editable = bool(self.window)
        funded = proposal.stage == Stage.FUNDED
        points = forms.get("points") or ContributionsForm(
            initial={"points": "\n".join(p.text for p in proposal.contributions.all())}
        )
        add = forms.get("add") or StepAddForm()
        steps = []
        for item in proposal.timeline.all():
            change = None
            if funded:
                change = forms.get(f"change{item.pk}") or StepChangeForm(prefix=f"step{item.pk}")
            steps.append((item, change))
        all_forms = [points, add, *(c for _, c in steps if c is not None)]
        # Problems of a step's form are named with its prefix ("step12-reason").
        field_problems = {}
        for form in all_forms:
            for bound in form:
                if bound.html_name in problems:
                    field_problems[bound.html_name] = problems[bound.html_name]
                elif form.prefix is None and bound.name in problems:
                    field_problems[bound.html_name] = problems[bound.name]
        error_list = []
        for name, message in problems.items():
            match = next(
                (
                    b
                    for f in all_forms
                    for b in f
                    if b.html_name == name or (f.prefix is None and b.name == name)
                ),
                None,
            )
            error_list.append(
                {"text": message, "href": f"#{_anchor(match)}"} if match else {"text": message}
            )
        return self.render_to_response(
            self.get_context_data(
                points_form=points,
                add_form=add,
                steps=steps,
                problems=field_problems,
                error_list=error_list,
                editable=editable,
                funded=funded,
                TimelineStatus=TimelineStatus,
            )
        )


class AttachmentsView(EditorMixin, TemplateView):
    template_name = "exchange/proposals/edit/attachments.jinja"

    def get(self, request, *args, **kwargs):
        return self.page(AttachmentForm(), {})

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "remove":
            token = request.POST.get("token", "")
            found = [a for a in self.proposal.attachments.all() if a.token == token]
            if not found:
                raise Http404
            try:
                attachment_remove(actor=request.user, attachment=found[0])
            except ExchangeError as error:
                return self.page(AttachmentForm(), {"__all__": str(error)})
            messages.success(request, f"“{found[0]}” has been removed.")
            return redirect("exchange:proposal-attachments", slug=self.proposal.slug)
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form, form_problems(form))
        try:
            attachment = attachment_add(
                actor=request.user,
                proposal=self.proposal,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ExchangeError as error:
            return self.page(form, error.errors or {"__all__": str(error)})
        messages.success(request, f"“{attachment}” has been attached.")
        return redirect("exchange:proposal-attachments", slug=self.proposal.slug)

    def page(self, form, problems):
        return self.render_to_response(
            self.get_context_data(
                form=form,
                problems=problems,
                error_list=error_list_for(problems, form),
                files=list(self.proposal.attachments.all()),
            )
        )


class DevelopView(EditorMixin, TemplateView):
    """Turn an idea into a full proposal: what changes, what is still unanswered."""

    template_name = "exchange/proposals/edit/develop.jinja"

    def get(self, request, *args, **kwargs):
        if self.proposal.stage != Stage.IDEA:
            return self.not_an_idea()
        return self.page(develop_problems(self.proposal))

    def post(self, request, *args, **kwargs):
        if self.proposal.stage != Stage.IDEA:
            return self.not_an_idea()
        try:
            proposal_transition(actor=request.user, proposal=self.proposal, action="develop")
        except ExchangeError as error:
            self.reload()
            return self.page(error.errors, message=str(error))
        messages.success(
            request, "Your idea is now a full proposal. Members can comment on it and vote for it."
        )
        return HttpResponseRedirect(_detail_url(self.proposal))

    def not_an_idea(self):
        messages.info(self.request, "This is already a full proposal.")
        return HttpResponseRedirect(_detail_url(self.proposal))

    def page(self, problems, message=""):
        edit = reverse("exchange:proposal-edit", kwargs={"slug": self.proposal.slug})
        error_list = [
            {"text": text, "href": f"{edit}#id_{name}"} for name, text in problems.items()
        ]
        if message and not error_list:
            error_list = [{"text": message}]
        return self.render_to_response(
            self.get_context_data(
                problems=problems,
                error_list=error_list,
                submitted=bool(message),
            )
        )


class WithdrawView(EditorMixin, TemplateView):
    template_name = "exchange/proposals/edit/withdraw.jinja"
    needs_editable = False

    def allowed(self) -> bool:
        return self.proposal.stage in PROPOSAL_TRANSITIONS["withdraw"].sources

    def get(self, request, *args, **kwargs):
        if not self.allowed():
            return self.refuse()
        return self.page(ReasonForm(), {})

    def post(self, request, *args, **kwargs):
        if not self.allowed():
            return self.refuse()
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.page(form, form_problems(form))
        try:
            proposal_transition(
                actor=request.user,
                proposal=self.proposal,
                action="withdraw",
                reason=form.cleaned_data["reason"],
            )
        except ExchangeError as error:
            return self.page(form, error.errors or {"__all__": str(error)})
        messages.success(request, f"“{self.proposal.title}” has been withdrawn.")
        return HttpResponseRedirect(_detail_url(self.proposal))

    def refuse(self):
        messages.info(
            self.request,
            f"This proposal is {self.proposal.get_stage_display().lower()}, so it cannot be "
            "withdrawn.",
        )
        return HttpResponseRedirect(_detail_url(self.proposal))

    def page(self, form, problems):
        return self.render_to_response(
            self.get_context_data(
                form=form, problems=problems, error_list=error_list_for(problems, form)
            )
        )


# For everyone who can see the proposal ---------------------------------------------------------


class AttachmentDownloadView(View):
    """The file, if the viewer can see its proposal (404 otherwise): always as a download, its
    type fixed by what the upload check found, never sniffed by the browser."""

    def get(self, request, slug, token):
        proposal = proposal_get_for_viewer(user=request.user, slug=slug)
        attachment = next((a for a in proposal.attachments.all() if a.token == token), None)
        if attachment is None and shown_stage(proposal, user=request.user) == Stage.FUNDED:
            # A progress update's file, once the viewer may read the updates.
            update_files = (a for u in proposal.updates.all() for a in u.attachments.all())
            attachment = next((a for a in update_files if a.token == token), None)
        if attachment is None:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        name = attachment.original_name
        if not name.lower().endswith(attachment.extension):
            name = f"{name}{attachment.extension}"
        response = FileResponse(
            handle, as_attachment=True, filename=name, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class PlanCalendarView(View):
    def get(self, request, slug):
        proposal = proposal_get_for_viewer(user=request.user, slug=slug)
        response = HttpResponse(
            plan_ical(proposal, proposal.timeline.all()),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{proposal.slug}-plan.ics"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ProposalPrintView(TemplateView):
    """Everything on the proposal, no navigation, laid out for paper."""

    template_name = "exchange/proposals/edit/print.jinja"

    def get_context_data(self, **kwargs):
        user = self.request.user
        proposal = proposal_get_for_viewer(user=user, slug=self.kwargs["slug"])
        context = super().get_context_data(**kwargs)
        context.update(proposal_context(proposal, user))
        return context
