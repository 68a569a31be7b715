"""Staff pages for running rounds of selection: list, create, change, the round's page and its
moves (open, close, mark all decisions recorded, release decisions now), the irreversible ones
after a confirmation page. A form validates, a service in `joining.services` or
the release services acts, and a `JoiningError` becomes a form error or a message."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import ListView, TemplateView

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin

from .. import services
from ..enums import RoundStatus
from ..filters import RoundApplicationExportFilter
from ..forms import DATES, RoundForm
from ..models import Round
from ..selectors import (
    round_decision_counts,
    round_get_for_staff,
    round_list_for_staff,
    round_release_actor_label,
)
from ..services import ROUNDS, JoiningError, round_release_decisions_now

# Moves staff take from the round's page; the others have pages of their own (panels, release).
PAGE_ACTIONS = {
    "open": "The round is open. Its criteria and scale can no longer change.",
    "close": "The round is closed. No more applications can be submitted.",
    "mark_decided": (
        "Every decision is recorded. Applicants will be told on the release date, when "
        "decisions are released."
    ),
    "release": "Decisions have been released. Each applicant is being emailed their decision.",
}


class RoundStaffMixin(PermissionRequired404Mixin):
    """A round's staff pages: staff administrators, and the round's own managers (the
    permission is checked on the round, so another round answers 404)."""

    permission_required = "members.manage_rounds"

    def get_round(self) -> Round:
        if not hasattr(self, "_round"):
            try:
                self._round = round_get_for_staff(self.kwargs["pk"])
            except Round.DoesNotExist as error:
                raise Http404 from error
        return self._round

    def get_permission_object(self):
        return self.get_round() if "pk" in self.kwargs else None


class RoundListView(RoundStaffMixin, ListView):
    """Every round for staff administrators; a round manager's own rounds for them."""

    permission_required = "members.view_rounds"
    template_name = "members/joining/round_list.jinja"
    context_object_name = "rounds"
    paginate_by = 25

    def get_queryset(self):
        return round_list_for_staff(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_create=self.request.user.has_perm("members.create_rounds"), **kwargs
        )


class RoundCreateView(RoundStaffMixin, TemplateView):
    permission_required = "members.create_rounds"

    template_name = "members/joining/round_form.jinja"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RoundForm())
        return super().get_context_data(round=None, dates=DATES, **kwargs)

    def post(self, request):
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                round_ = services.round_create(actor=request.user, **form.service_kwargs())
            except JoiningError as error:
                form_add_error(form, error, fields=form.service_fields)
            else:
                messages.success(request, "The round has been created as a draft")
                return redirect("members-staff:round-detail", round_.pk)
        return self.render_to_response(self.get_context_data(form=form))


class RoundEditView(RoundStaffMixin, TemplateView):
    """Change a round. Criteria and scale are editable only while it is a draft; dates always
    (each change is kept in the audit log with its old and new values)."""

    template_name = "members/joining/round_form.jinja"

    def get_context_data(self, **kwargs):
        round_ = kwargs.pop("round_", None) or self.get_round()
        locked = round_.status != RoundStatus.DRAFT
        kwargs.setdefault("form", RoundForm(initial=RoundForm.initial_for(round_), locked=locked))
        return super().get_context_data(round=round_, dates=DATES, **kwargs)

    def post(self, request, pk):
        round_ = self.get_round()
        locked = round_.status != RoundStatus.DRAFT
        form = RoundForm(request.POST, initial=RoundForm.initial_for(round_), locked=locked)
        if form.is_valid():
            try:
                services.round_update(actor=request.user, round_=round_, **form.service_kwargs())
            except JoiningError as error:
                form_add_error(form, error, fields=form.service_fields)
            else:
                messages.success(request, "Your changes have been saved")
                return redirect("members-staff:round-detail", round_.pk)
        return self.render_to_response(self.get_context_data(form=form, round_=round_))


class RoundDetailView(RoundStaffMixin, TemplateView):
    template_name = "members/joining/round_detail.jinja"

    def get_context_data(self, **kwargs):
        round_ = self.get_round()
        counts = round_decision_counts(round_)
        actions = [
            t
            for t in ROUNDS.actions_for(round_, self.request.user, PAGE_ACTIONS)
            if not (t.action in {"mark_decided", "release"} and counts.undecided)
        ]
        scale_rows = [
            {"key": {"text": f"{p.value}: {p.label}"}, "value": {"text": p.descriptor}}
            for p in round_.scheme.scale_points.all()
        ]
        now = timezone.now()
        return super().get_context_data(
            round=round_,
            actions=actions,
            scale_rows=scale_rows,
            counts=counts,
            export_filter=RoundApplicationExportFilter(round_=round_),
            may_manage_panels=self.request.user.has_perm("scoring.manage_panels"),
            now=now,
            released_by=round_release_actor_label(round_)
            if round_.status == RoundStatus.RELEASED
            else None,
            # Past the release date with decisions missing: nothing can go out until they are in.
            release_overdue=(
                now >= round_.decisions_release_at
                and round_.status != RoundStatus.RELEASED
                and (round_.status != RoundStatus.DECIDED or counts.undecided > 0)
            ),
            **kwargs,
        )


# Moves staff confirm on a page of their own first, because they cannot be undone.
CONFIRMED_ACTIONS = frozenset({"open", "close", "release"})


class RoundConfirmView(RoundStaffMixin, TemplateView):
    """What a move means, before staff take it: opening locks the criteria and scale; closing
    stops applications. The page's button posts to `RoundTransitionView`."""

    template_name = "members/joining/round_confirm.jinja"

    def get_context_data(self, **kwargs):
        action = kwargs.pop("action")
        if action not in CONFIRMED_ACTIONS:
            raise Http404
        round_ = self.get_round()
        transition = ROUNDS[action]
        counts = round_decision_counts(round_)
        available = round_.status in transition.sources
        return super().get_context_data(
            round=round_,
            action=action,
            transition=transition,
            available=available and not (action == "release" and counts.undecided),
            counts=counts,
            now=timezone.now(),
            **kwargs,
        )


class RoundTransitionView(RoundStaffMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, action):
        if action not in PAGE_ACTIONS:
            raise Http404
        round_ = self.get_round()
        try:
            if action == "release":
                round_release_decisions_now(actor=request.user, round_=round_)
            else:
                services.round_transition(actor=request.user, round_=round_, action=action)
        except JoiningError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, PAGE_ACTIONS[action])
        return redirect("members-staff:round-detail", pk)
