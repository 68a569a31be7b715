"""Staff pages for Q Exchange rounds: setting up a round, changing it (everything while
it is a draft; only the name, introduction and dates once published, each change audited) and
publishing it after a confirmation page. A form validates, a service acts, and an
`ExchangeError` becomes a form error or a message. The staff list of rounds, which counts
proposals and ballots, is in `exchange.browse.views`."""

from django.contrib import messages
from django.db import transaction
from django.forms.utils import ErrorDict
from django.shortcuts import redirect
from django.views.generic import TemplateView

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin

from . import services
from .forms import BLANK_ROWS, DATES, ExchangeRoundForm
from .selectors import round_get_for_staff
from .services import ExchangeError

ADD_ROW = {"theme": "theme_rows", "section": "section_rows"}


class ExchangeStaffMixin(PermissionRequired404Mixin):
    permission_required = "exchange.manage_rounds"

    def get_round(self):
        return round_get_for_staff(self.kwargs["pk"])


def _with_added_row(request, form_kwargs: dict) -> ExchangeRoundForm | None:
    """When "Add another theme/section" was pressed: the form as typed with one more blank row
    of that kind, and no error messages (nothing was submitted yet)."""
    which = request.POST.get("add")
    if which not in ADD_ROW:
        return None
    data = request.POST.copy()
    try:
        data[ADD_ROW[which]] = str(int(data.get(ADD_ROW[which], 1)) + 1)
    except ValueError:
        data[ADD_ROW[which]] = "2"
    form = ExchangeRoundForm(data, **form_kwargs)
    form._errors = ErrorDict()  # show what was typed, without validating it yet
    return form


class RoundCreateView(ExchangeStaffMixin, TemplateView):
    template_name = "exchange/rounds/staff/round_form.jinja"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ExchangeRoundForm(theme_rows=2, section_rows=4))
        return super().get_context_data(round=None, dates=DATES, **kwargs)

    def post(self, request):
        if form := _with_added_row(request, {}):
            return self.render_to_response(self.get_context_data(form=form))
        form = ExchangeRoundForm(request.POST)
        if form.is_valid():
            try:
                round_ = services.round_create(
                    actor=request.user, dates=form.dates(), **form.content_kwargs()
                )
            except ExchangeError as error:
                form_add_error(form, error, fields=form.service_fields)
            else:
                messages.success(
                    request, f"{round_.name} has been set up. Members cannot see it until you "
                    "publish it.",
                )  # fmt: skip
                return redirect("exchange-staff:round-edit", round_.pk)
        return self.render_to_response(self.get_context_data(form=form))


class RoundEditView(ExchangeStaffMixin, TemplateView):
    """A draft round can change in every part; a published one in its name, introduction and
    dates (the rest is shown read-only with the reason)."""

    template_name = "exchange/rounds/staff/round_form.jinja"

    def form_kwargs(self, round_) -> dict:
        return {
            "initial": ExchangeRoundForm.initial_for(round_),
            "locked": round_.published_at is not None,
            "theme_rows": len(round_.themes.all()) + (0 if round_.published_at else BLANK_ROWS),
            "section_rows": len(round_.sections.all()) + (0 if round_.published_at else BLANK_ROWS),
        }

    def get_context_data(self, **kwargs):
        round_ = kwargs.pop("round_", None) or self.get_round()
        kwargs.setdefault("form", ExchangeRoundForm(**self.form_kwargs(round_)))
        return super().get_context_data(round=round_, dates=DATES, **kwargs)

    def post(self, request, pk):
        round_ = self.get_round()
        form_kwargs = self.form_kwargs(round_)
        if not form_kwargs["locked"] and (form := _with_added_row(request, form_kwargs)):
            return self.render_to_response(self.get_context_data(form=form, round_=round_))
        form = ExchangeRoundForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                with transaction.atomic():  # all of it or nothing
                    if form.locked:
                        services.round_update_text(
                            actor=request.user, round_=round_, **form.text_kwargs()
                        )
                    else:
                        services.round_update_content(
                            actor=request.user, round_=round_, **form.content_kwargs()
                        )
                    services.round_update_dates(
                        actor=request.user, round_=round_, dates=form.dates()
                    )
            except ExchangeError as error:
                form_add_error(form, error, fields=form.service_fields)
            else:
                messages.success(request, "Your changes have been saved")
                return redirect("exchange-staff:round-edit", round_.pk)
        return self.render_to_response(self.get_context_data(form=form, round_=round_))


class RoundPublishView(ExchangeStaffMixin, TemplateView):
    """Asks first (GET), publishes on POST."""

    template_name = "exchange/rounds/staff/round_publish.jinja"

    def get_context_data(self, **kwargs):
        return super().get_context_data(round=self.get_round(), **kwargs)

    def post(self, request, pk):
        round_ = self.get_round()
        if round_.published_at is None:
            try:
                services.round_publish(actor=request.user, round_=round_)
            except ExchangeError as error:
                messages.error(request, str(error))
                return redirect("exchange-staff:round-edit", round_.pk)
            messages.success(request, f"{round_.name} is published. Members can see it now.")
        return redirect("exchange-staff:round-list")
