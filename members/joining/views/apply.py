"""Applying to join Q: the join page and eligibility check (no account needed), then a person's
own applications: start, fill in (autosaved with htmx, saved by a button without it), check,
submit, withdraw, and see where each stands.

An application is reached only through `application_get_for_applicant`, so anyone but its
applicant (staff included) gets 404. Applicants see their status in plain words and, once
released, the decision and feedback; never scores or reviewer names."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View
from markupsafe import Markup, escape

from qcommunity.core.formatting import uk_datetime
from qcommunity.core.forms.nhs_fields import kind
from qcommunity.core.permissions import PermissionRequired404Mixin
from qcommunity.core.taxonomy import Region

from ..eligibility import eligibility_check, nomination_code_find
from ..enums import ApplicationStatus, Phase
from ..forms import ApplicationForm, EligibilityForm
from ..models import Application, Round
from ..selectors import (
    application_get_for_applicant,
    application_status_for_applicant,
    applications_for_applicant,
    apply_again_text,
    next_round_for_region,
    round_get_published,
    rounds_accepting,
    rounds_opening_soon,
)
from ..services import (
    APPLICATIONS,
    JoiningError,
    application_create,
    application_over_limit_problems,
    application_save_draft,
    application_submit,
    application_submit_problems,
    application_withdraw,
)

# What applicants are told about each status, in plain words, and the tag colour for it.
STATUS_TAGS = {
    ApplicationStatus.DRAFT: ("Draft: not sent yet", "nhsuk-tag--grey"),
    ApplicationStatus.SUBMITTED: ("Submitted", "nhsuk-tag--blue"),
    ApplicationStatus.IN_REVIEW: ("Being reviewed", "nhsuk-tag--purple"),
    ApplicationStatus.ACCEPTED: ("Accepted", "nhsuk-tag--green"),
    ApplicationStatus.NOT_YET: ("Not accepted yet", "nhsuk-tag--orange"),
    ApplicationStatus.WITHDRAWN: ("Withdrawn", "nhsuk-tag--white"),
}


def status_tag(application: Application) -> dict:
    text, classes = STATUS_TAGS[ApplicationStatus(application_status_for_applicant(application))]
    return {"text": text, "classes": classes}


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _accepting_rounds() -> list[Round]:
    return list(rounds_accepting().prefetch_related("eligible_courses"))


# The join page and the eligibility check -------------------------------------------------------


class JoinLandingView(TemplateView):
    template_name = "members/joining/landing.jinja"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = _accepting_rounds()
        context["rounds"] = rounds
        context["opening_soon"] = list(rounds_opening_soon())
        context["form"] = EligibilityForm(rounds=rounds)
        return context


class EligibilityView(TemplateView):
    """GET, so the answer can be bookmarked and come back after signing in (?next=)."""

    template_name = "members/joining/eligibility.jinja"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = _accepting_rounds()
        form = EligibilityForm(self.request.GET, rounds=rounds)
        context["rounds"] = rounds
        context["form"] = form
        if not rounds or not form.is_valid():
            return context
        user = self.request.user
        typed = form.cleaned_data.get("code", "")
        code = nomination_code_find(code=typed, rounds=rounds, user=user)
        existing = {}
        if user.is_authenticated:
            existing = {
                a.round_id: a for a in applications_for_applicant(user).filter(round__in=rounds)
            }
        results = eligibility_check(
            rounds=rounds,
            region=form.cleaned_data["region"],
            course_id=form.course_id,
            code=code,
            code_typed=typed,
            existing=existing,
        )
        context["results"] = results
        context["region_label"] = dict(Region.choices)[form.cleaned_data["region"]]
        context["start_fields"] = {
            "region": form.cleaned_data["region"],
            "course": str(form.course_id or ""),
            "code": typed.strip().upper(),
        }
        here = f"{self.request.path}?{self.request.GET.urlencode()}"
        context["sign_in_url"] = f"{reverse('account_login')}?{urlencode({'next': here})}"
        context["sign_up_url"] = f"{reverse('account_signup')}?{urlencode({'next': here})}"
        return context


# Starting and filling in an application --------------------------------------------------------


class ApplicantMixin(PermissionRequired404Mixin):
    """Signed-in people, and only their own applications (404 otherwise)."""

    permission_required = "members.apply_to_join"

    def get_application(self) -> Application:
        try:
            return application_get_for_applicant(user=self.request.user, pk=self.kwargs["pk"])
        except Application.DoesNotExist:
            raise Http404 from None


def _continue_url(application: Application) -> str:
    if application.is_editable:
        return reverse("members:application-edit", kwargs={"pk": application.pk})
    return reverse("members:application-detail", kwargs={"pk": application.pk})


class ApplicationStartView(PermissionRequired404Mixin, View):
    """POST only: one application per person per round. A second start goes to the first."""

    permission_required = "members.apply_to_join"
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            round_ = round_get_published(pk)
        except Round.DoesNotExist:
            raise Http404 from None
        if existing := self._existing(round_):
            return self._to_existing(existing)
        region = request.POST.get("region", "")
        region = region if region in Region.values else ""
        try:
            application = application_create(actor=request.user, round_=round_, region=region)
        except JoiningError as error:
            if existing := self._existing(round_):  # started a moment ago, in another tab
                return self._to_existing(existing)
            messages.error(request, str(error))
            back = {"region": region} if region else {}
            return HttpResponseRedirect(
                f"{reverse('members:eligibility')}?{urlencode(back)}"
                if back
                else reverse("members:join")
            )
        facts = {}
        course = request.POST.get("course", "")
        if round_.phase == Phase.ALUMNI and course.isdigit():
            facts["course"] = int(course)
        code = request.POST.get("code", "").strip()
        if round_.phase == Phase.FOUNDING and code:
            facts["nomination_code"] = code[:20]
        if facts:
            # A code or course that does not fit is left out; the form asks for it again.
            application_save_draft(actor=request.user, application=application, facts=facts)
        messages.success(
            request,
            "Your application has been started. Your answers are saved as you go, and you can "
            "come back to them at any time before the round closes.",
        )
        return redirect("members:application-edit", pk=application.pk)

    def _existing(self, round_: Round) -> Application | None:
        return applications_for_applicant(self.request.user).filter(round=round_).first()

    def _to_existing(self, application: Application):
        messages.info(
            self.request,
            "You already have an application in this round, so we have taken you to it. "
            "Each person can make one application per round.",
        )
        return HttpResponseRedirect(_continue_url(application))


def _anchor(bound) -> str:
    if kind(bound) in {"checkboxes", "radios", "checkbox"}:
        return bound.auto_id
    return bound.id_for_label or bound.auto_id


class ApplicationEditView(ApplicantMixin, TemplateView):
    """The application form. A POST from htmx (the autosave) answers with the small status
    region only; a POST from the buttons saves and moves on, or shows what needs changing."""

    template_name = "members/joining/application_form.jinja"

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        if not application.is_editable:
            return HttpResponseRedirect(_continue_url(application))
        form = ApplicationForm(application=application)
        return self.render_to_response(
            self.page_context(application, form, application_over_limit_problems(application))
        )

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        form = ApplicationForm(request.POST, application=application)
        form.is_valid()
        facts, answers, commitments = form.changes()
        try:
            saved = application_save_draft(
                actor=request.user,
                application=application,
                facts=facts,
                answers=answers,
                commitments=commitments,
            )
        except JoiningError as error:
            if _is_htmx(request):
                return self.status(error=str(error))
            messages.error(request, str(error))
            return HttpResponseRedirect(_continue_url(application))
        problems = dict(saved.problems)
        for name, errors in form.errors.items():
            problems[name] = " ".join(errors)
        if _is_htmx(request):
            return self.status(
                saved_at=saved.application.updated_at,
                unsaved=bool(form.errors) or bool(set(saved.problems) - set(over_limit(saved))),
                over_limit=len(over_limit(saved)),
            )
        if problems:
            application = self.get_application()
            return self.render_to_response(
                self.page_context(application, form, problems, saved_now=True)
            )
        if request.POST.get("action") == "continue":
            return redirect("members:application-check", pk=application.pk)
        messages.success(
            request,
            "Your application has been saved. You can come back to it at any time before "
            f"the round closes on {_closes(application)}.",
        )
        return redirect("members:application-detail", pk=application.pk)

    def status(self, **context):
        return TemplateResponse(self.request, "members/joining/_autosave_status.jinja", context)

    def page_context(self, application, form, problems, *, saved_now=False) -> dict:
        fields = {bound.name: bound for bound in form}
        error_list = [
            {"text": message, "href": f"#{_anchor(fields[name])}"}
            for name, message in problems.items()
            if name in fields
        ]
        return self.get_context_data(
            application=application,
            round=application.round,
            form=form,
            problems=problems,
            error_list=error_list,
            saved_now=saved_now,
            is_accepting=application.round.is_accepting(),
        )


def over_limit(saved) -> list[str]:
    return [
        name
        for name, message in saved.problems.items()
        if name.startswith("answer_") and "over the limit" in message
    ]


def _closes(application: Application) -> str:
    return uk_datetime(application.round.closes_at)


# Checking, submitting, withdrawing -------------------------------------------------------------


class ApplicationCheckView(ApplicantMixin, TemplateView):
    """Check your answers; POST submits. A second submit is told it is already in."""

    template_name = "members/joining/application_check.jinja"

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        if not application.is_editable:
            return HttpResponseRedirect(_continue_url(application))
        return self.render_to_response(
            self.check_context(application, application_submit_problems(application))
        )

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        try:
            application_submit(actor=request.user, application=application)
        except JoiningError as error:
            application = self.get_application()
            if not application.is_editable:  # submitted already (a second click) or withdrawn
                messages.info(request, str(error))
                if application.status == ApplicationStatus.WITHDRAWN:
                    return redirect("members:application-detail", pk=application.pk)
                return redirect("members:application-submitted", pk=application.pk)
            problems = error.errors or {"round": str(error)}
            return self.render_to_response(self.check_context(application, problems))
        return redirect("members:application-submitted", pk=application.pk)

    def check_context(self, application, problems) -> dict:
        edit = reverse("members:application-edit", kwargs={"pk": application.pk})
        form = ApplicationForm(application=application)
        fields = {bound.name: bound for bound in form}
        error_list = []
        for name, message in problems.items():
            if name in fields:
                error_list.append({"text": message, "href": f"{edit}#{_anchor(fields[name])}"})
            else:
                error_list.append({"text": message})
        return self.get_context_data(
            application=application,
            round=application.round,
            form=form,
            problems=problems,
            error_list=error_list,
            rows=summary_rows(application, form, change_url=edit),
        )


def summary_rows(application: Application, form: ApplicationForm, *, change_url: str | None):
    """Sections of the check-your-answers (and status) page: (heading, rows), each row a
    summary-list row with a Change link to its field when `change_url` is given."""
    fields = {bound.name: bound for bound in form}

    def row(name, label, value, *, html=False):
        item = {"key": {"text": label}, "value": {"html" if html else "text": value or "Not given"}}
        if change_url and name in fields:
            item["actions"] = {
                "items": [
                    {
                        "href": f"{change_url}#{_anchor(fields[name])}",
                        "text": "Change",
                        "visuallyHiddenText": label[0].lower() + label[1:],
                    }
                ]
            }
        return item

    role_labels = dict(fields["role_types"].field.choices)
    about = [
        row("job_title", "Job title or role", application.job_title),
        row("organisation", "Where you work", application.organisation),
        row(
            "organisation_type",
            "Type of organisation",
            application.get_organisation_type_display(),
        ),
        row(
            "role_types",
            "What describes you",
            ", ".join(role_labels.get(r, r) for r in application.role_types),
        ),
        row("region", "Region", application.region_label),
    ]
    sections = [("About you", about)]
    phase = application.round.phase
    if phase == Phase.ALUMNI:
        sections.append(
            (
                "Your improvement course",
                [
                    row("course", "Course", str(application.course or "")),
                    row("course_year", "Year you finished", str(application.course_year or "")),
                ],
            )
        )
    if phase == Phase.FOUNDING:
        code = application.nomination_code
        sections.append(
            (
                "Your nomination",
                [
                    row(
                        "nomination_code",
                        "Nomination code",
                        f"{code.code} (from {code.nominating_organisation})" if code else "",
                    )
                ],
            )
        )
    answers = {a.criterion_id: a for a in application.answers.all()}
    answer_rows = []
    for criterion in form.criteria:
        answer = answers.get(criterion.pk)
        words = answer.words if answer else 0
        limit = f" of {criterion.word_limit}" if criterion.word_limit else ""
        text = answer.text if answer else ""
        item = row(f"answer_{criterion.pk}", criterion.title, text)
        item["value"] = {"html": answer_html(text, f"{words}{limit} words")}
        answer_rows.append(item)
    sections.append(("Your answers", answer_rows))
    accepted = {c["commitment"]: c for c in application.commitments}
    commitment_labels = dict(fields["commitments"].field.choices)
    sections.append(
        (
            "Your commitments",
            [
                row(
                    "commitments",
                    "Commitments accepted",
                    "; ".join(commitment_labels[c] for c in commitment_labels if c in accepted),
                )
            ],
        )
    )
    return sections


def answer_html(text: str, words: str) -> Markup:
    """An answer as paragraphs (escaped), then its word count."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in p.split("\n")))
        for p in paragraphs
    )
    if not paragraphs:
        body = Markup("<p>Not answered yet</p>")
    count = Markup('<p class="nhsuk-body-s nhsuk-u-secondary-text-color">{}</p>')
    return body + count.format(words)


class ApplicationSubmittedView(ApplicantMixin, TemplateView):
    template_name = "members/joining/application_submitted.jinja"

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        if application.submitted_at is None:
            return HttpResponseRedirect(_continue_url(application))
        return self.render_to_response(
            self.get_context_data(application=application, round=application.round)
        )


class ApplicationDetailView(ApplicantMixin, TemplateView):
    """Where an application stands, in plain words, with what the applicant sent."""

    template_name = "members/joining/application_detail.jinja"

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        shown = application_status_for_applicant(application)
        form = ApplicationForm(application=application)
        apply_again = ""
        if shown == ApplicationStatus.NOT_YET:
            next_round = next_round_for_region(
                application.region, exclude_round_id=application.round_id
            )
            apply_again = apply_again_text(next_round, application.region_label)
        return self.render_to_response(
            self.get_context_data(
                application=application,
                round=application.round,
                status=shown,
                apply_again=apply_again,
                tag=status_tag(application),
                can_withdraw=_can_withdraw(application),
                rows=summary_rows(application, form, change_url=None),
                now=timezone.now(),
            )
        )


def _can_withdraw(application: Application) -> bool:
    shown = application_status_for_applicant(application)
    return shown in APPLICATIONS["withdraw"].sources


class ApplicationWithdrawView(ApplicantMixin, TemplateView):
    template_name = "members/joining/application_withdraw.jinja"

    def get(self, request, *args, **kwargs):
        application = self.get_application()
        if not _can_withdraw(application):
            messages.info(request, "This application can no longer be withdrawn.")
            return redirect("members:application-detail", pk=application.pk)
        return self.render_to_response(
            self.get_context_data(application=application, round=application.round)
        )

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        try:
            application_withdraw(actor=request.user, application=application)
        except JoiningError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, "Your application has been withdrawn.")
        return redirect("members:application-detail", pk=application.pk)


class ApplicationListView(ApplicantMixin, TemplateView):
    template_name = "members/joining/application_list.jinja"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        applications = list(applications_for_applicant(self.request.user))
        context["rows"] = [(a, status_tag(a)) for a in applications]
        return context
