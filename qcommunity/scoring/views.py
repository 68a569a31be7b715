"""Page logic every kind of panel shares (membership rounds, Exchange shortlisting). Nothing here
is routed: each app subclasses with its own permission, URLs, selectors and service, so the
kit never learns what its subjects are."""

from abc import ABCMeta, abstractmethod

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from qcommunity.core.errors import form_add_error

from .enums import AssignmentStatus
from .models import Assignment, Panel, PanelMember


class AssignmentReassignViewBase(TemplateView, metaclass=ABCMeta):
    """Staff give an unfinished review to another reviewer of the panel: GET shows the subject,
    the reviewer now and a choice of who may take it; POST hands it over through the app's
    service and goes back to the panel's page. A finished review shows why it cannot move.

    Subclasses set `form_class` (a form taking `reviewers=`), `refusals` (the app's service
    error) and `subject_label`, and supply `get_round`, `get_panel(round_)`,
    `get_assignment(panel)` (each raising Http404), `reviewer_choices(panel, assignment)`,
    `reassign(actor=, assignment=, to_user=)`, `subject_name(assignment)` and
    `panel_url(round_, panel)`."""

    template_name = "scoring/assignment_reassign.jinja"
    form_class = None
    refusals: type[Exception] | tuple[type[Exception], ...] = ()
    subject_label = ""

    @abstractmethod
    def get_round(self): ...

    @abstractmethod
    def get_panel(self, round_) -> Panel: ...

    @abstractmethod
    def get_assignment(self, panel: Panel) -> Assignment: ...

    @abstractmethod
    def reviewer_choices(self, panel: Panel, assignment: Assignment) -> list[PanelMember]: ...

    @abstractmethod
    def reassign(self, *, actor, assignment: Assignment, to_user) -> Assignment: ...

    @abstractmethod
    def subject_name(self, assignment: Assignment) -> str: ...

    @abstractmethod
    def panel_url(self, round_, panel: Panel) -> str: ...

    def load(self) -> None:
        self.round = self.get_round()
        self.panel = self.get_panel(self.round)
        self.assignment = self.get_assignment(self.panel)
        self.reviewers = self.reviewer_choices(self.panel, self.assignment)

    def get(self, request, *args, **kwargs):
        self.load()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            round=self.round,
            panel=self.panel,
            assignment=self.assignment,
            subject_label=self.subject_label,
            subject_name=self.subject_name(self.assignment),
            back_url=self.panel_url(self.round, self.panel),
            can_reassign=self.assignment.status == AssignmentStatus.ASSIGNED,
            reviewers=self.reviewers,
            form=form or self.form_class(reviewers=self.reviewers),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.form_class(request.POST, reviewers=self.reviewers)
        if form.is_valid():
            to_user = next(
                m.user for m in self.reviewers if m.user_id == form.cleaned_data["to_user"]
            )
            try:
                self.reassign(actor=request.user, assignment=self.assignment, to_user=to_user)
            except self.refusals as error:
                form_add_error(form, error)
            else:
                messages.success(
                    request,
                    f"The review of {self.subject_name(self.assignment)} has been given to "
                    f"{to_user.get_full_name()}.",
                )
                return redirect(self.panel_url(self.round, self.panel))
        return self.render_to_response(self.get_context_data(form=form))
