"""Pages for composing issues (editors), the preview and test send, and the public web archive.
Views validate with a form, act through a service in `services.py`, and turn a `ComposeError`
into a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.generic import ListView, TemplateView, View

from qcommunity.core.errors import form_add_error
from qcommunity.core.permissions import PermissionRequired404Mixin
from qcommunity.core.taxonomy import Region, RoleType

from . import services
from .enums import (
    EDITABLE_STATUSES,
    FROZEN_STATUSES,
    ISSUE_BUTTON_ACTIONS,
    SENDABLE,
    IssueStatus,
)
from .filters import IssueFilter
from .forms import (
    BlockForm,
    BlockInsertForm,
    IssueCreateForm,
    IssueForm,
    ScheduleForm,
    SectionForm,
    ShowcaseInsertForm,
)
from .render import issue_render_email, issue_render_web, issue_title_web
from .selectors import (
    archive_issue_get,
    archive_issue_list,
    archive_newsletter_get,
    archive_newsletters,
    block_get,
    block_list,
    issue_delivery_counts,
    issue_get,
    issue_list,
    issue_recipient_subscriptions,
    issue_sections,
    issue_segment_topics,
    showcase_approved_for_issue,
)
from .services import ISSUES, ComposeError


class EditorMixin(PermissionRequired404Mixin):
    permission_required = "newsletters.compose_issues"


# Issues -------------------------------------------------------------------------------------


class IssueListView(EditorMixin, ListView):
    template_name = "newsletters/issues/issue_list.jinja"
    paginate_by = 25
    context_object_name = "issues"

    def get_queryset(self):
        self.filterset = IssueFilter(self.request.GET, queryset=issue_list())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset,
            sendable=SENDABLE if can_send_now(self.request.user) else frozenset(),
            **kwargs,
        )


def can_send_now(user) -> bool:
    """Whether `user` may start sending issues, where the sending part is installed."""
    return bool(sending_progress_url_name()) and user.has_perm("newsletters.send_issue")


class IssueCreateView(EditorMixin, TemplateView):
    template_name = "newsletters/issues/issue_form.jinja"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", IssueCreateForm())
        return super().get_context_data(issue=None, **kwargs)

    def post(self, request):
        form = IssueCreateForm(request.POST)
        if form.is_valid():
            try:
                issue = services.issue_create(
                    actor=request.user,
                    newsletter=form.cleaned_data["newsletter"],
                    **form.service_kwargs(),
                )
            except ValidationError as error:
                form_add_error(form, error)
            else:
                messages.success(request, "The issue has been created as a draft")
                return redirect("newsletters-staff:issue-detail", issue.pk)
        return self.render_to_response(self.get_context_data(form=form))


def sending_progress_url_name() -> str:
    """The route of the sending part's progress page, or "" when that part is not installed."""
    try:
        reverse("newsletters-staff:progress", args=[0])
    except NoReverseMatch:
        return ""
    return "newsletters-staff:progress"


def sending_progress_url(issue) -> str:
    """The sending part's progress page, when that part is installed."""
    name = sending_progress_url_name()
    return reverse(name, args=[issue.pk]) if name else ""


def segment_summary(issue, topics) -> list[dict]:
    regions = [Region(r).label for r in issue.segment_regions if r in Region.values]
    role_types = [RoleType(r).label for r in issue.segment_role_types if r in RoleType.values]
    return [
        {"key": "Regions", "value": ", ".join(regions) or "Any region"},
        {"key": "Role types", "value": ", ".join(role_types) or "Any role type"},
        {"key": "Topics", "value": ", ".join(t.name for t in topics) or "Any topic"},
    ]


class IssueDetailView(EditorMixin, TemplateView):
    """The issue's page: status, the actions the transition table allows, its segment and
    recipients, its sections with controls to add, change, reorder and remove them."""

    template_name = "newsletters/issues/issue_detail.jinja"

    def get_context_data(self, **kwargs):
        issue = issue_get(self.kwargs["pk"])
        topics = issue_segment_topics(issue)
        editable = issue.status in EDITABLE_STATUSES
        context = super().get_context_data(**kwargs)
        context.update(
            issue=issue,
            sections=issue_sections(issue),
            editable=editable,
            actions=ISSUES.actions_for(issue, self.request.user, ISSUE_BUTTON_ACTIONS),
            can_schedule=issue.status in ISSUES["schedule"].sources,
            segmented=bool(issue.segment_regions or issue.segment_role_types or topics),
            segment_rows=segment_summary(issue, topics),
            progress_url=sending_progress_url(issue),
            can_send_now=issue.status in SENDABLE and can_send_now(self.request.user),
        )
        # Once sending starts, the deliveries are the truth about who it went to; before, who it
        # would go to if it went now.
        if issue.status in FROZEN_STATUSES:
            context["delivery_counts"] = issue_delivery_counts(issue)
        elif issue.status != IssueStatus.CANCELLED:
            context["recipient_count"] = issue_recipient_subscriptions(issue).count()
        if editable:
            context.setdefault("block_form", BlockInsertForm())
            context.setdefault(
                "showcase_form", ShowcaseInsertForm(queryset=showcase_approved_for_issue(issue))
            )
        if context["can_schedule"]:
            context.setdefault("schedule_form", ScheduleForm(auto_id="schedule-%s"))
        return context


class IssueEditView(EditorMixin, TemplateView):
    template_name = "newsletters/issues/issue_form.jinja"

    def get_context_data(self, **kwargs):
        issue = issue_get(self.kwargs["pk"])
        if issue.status not in EDITABLE_STATUSES:
            raise Http404
        kwargs.setdefault("form", IssueForm(initial=IssueForm.initial_for(issue)))
        return super().get_context_data(issue=issue, **kwargs)

    def post(self, request, pk):
        issue = issue_get(pk)
        form = IssueForm(request.POST)
        if form.is_valid():
            try:
                services.issue_update(actor=request.user, issue=issue, **form.service_kwargs())
            except ComposeError as error:
                messages.error(request, str(error))
                return redirect("newsletters-staff:issue-detail", pk)
            except ValidationError as error:
                form_add_error(form, error)
            else:
                messages.success(request, "The issue has been saved")
                return redirect("newsletters-staff:issue-detail", pk)
        return self.render_to_response(self.get_context_data(form=form))


class IssueActionView(EditorMixin, View):
    """POST-only actions on an issue; errors come back as a message on the issue page."""

    http_method_names = ["post"]
    success = ""

    def act(self, request, issue):
        raise NotImplementedError

    def post(self, request, pk, **kwargs):
        issue = issue_get(pk)
        try:
            self.act(request, issue, **kwargs)
        except ComposeError as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if self.success:
                messages.success(request, self.success)
        return redirect(f"{reverse('newsletters-staff:issue-detail', args=[pk])}{self.anchor}")

    anchor = ""


TRANSITION_MESSAGES = {
    "approve": "The issue is approved. You can now schedule it.",
    "return_to_draft": "The issue is a draft again. You can change it.",
    "unschedule": "The issue is no longer scheduled. It is still approved.",
    "cancel": "The issue has been cancelled. It will not be sent.",
    "restore": "The issue is a draft again.",
}


class IssueTransitionView(IssueActionView):
    def post(self, request, pk, action):
        if action not in TRANSITION_MESSAGES:
            raise Http404
        self.success = TRANSITION_MESSAGES[action]
        return super().post(request, pk, action=action)

    def act(self, request, issue, action):
        services.issue_transition(actor=request.user, issue=issue, action=action)


class IssueScheduleView(IssueDetailView):
    http_method_names = ["post"]

    def post(self, request, pk):
        issue = issue_get(pk)
        form = ScheduleForm(request.POST, auto_id="schedule-%s")
        if form.is_valid():
            try:
                services.issue_schedule(
                    actor=request.user,
                    issue=issue,
                    scheduled_for=form.cleaned_data["scheduled_for"],
                )
            except ComposeError as error:
                form_add_error(form, error)
            else:
                messages.success(request, "The issue is scheduled")
                return redirect("newsletters-staff:issue-detail", pk)
        return self.render_to_response(self.get_context_data(schedule_form=form))


class IssueTestSendView(IssueActionView):
    def act(self, request, issue):
        services.issue_test_send(actor=request.user, issue=issue)
        self.success = f"A test has been sent to {request.user.email}"


class IssuePreviewView(EditorMixin, TemplateView):
    template_name = "newsletters/issues/issue_preview.jinja"

    def get_context_data(self, **kwargs):
        issue = issue_get(self.kwargs["pk"])
        email = issue_render_email(issue, unsubscribe_url="")
        return super().get_context_data(
            issue=issue,
            title=issue_title_web(issue),
            content=issue_render_web(issue),
            email=email,
            **kwargs,
        )


# The email as sent, for the preview's frame: no scripts at all, inline styles as email
# programs need them, images from this site or https, framed only by our own pages.
EMAIL_PREVIEW_CSP = {
    "default-src": [CSP.NONE],
    "img-src": [CSP.SELF, "https:", "data:"],
    "style-src": [CSP.UNSAFE_INLINE],
    "frame-ancestors": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
}


@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(csp_override(EMAIL_PREVIEW_CSP), name="dispatch")
class IssuePreviewEmailView(EditorMixin, View):
    def get(self, request, pk):
        issue = issue_get(pk)
        response = HttpResponse(issue_render_email(issue)["body_html"])
        response["Cache-Control"] = "private, no-store"
        return response


# Sections -----------------------------------------------------------------------------------


class SectionFormView(EditorMixin, TemplateView):
    template_name = "newsletters/issues/issue_section_form.jinja"

    def get_objects(self):
        issue = issue_get(self.kwargs["pk"])
        if issue.status not in EDITABLE_STATUSES:
            raise Http404
        section = None
        if "section_pk" in self.kwargs:
            section = next(
                (s for s in issue_sections(issue) if s.pk == self.kwargs["section_pk"]), None
            )
            if section is None or section.kind != "text":
                raise Http404
        return issue, section

    def get_context_data(self, **kwargs):
        issue, section = self.get_objects()
        initial = {"heading": section.heading, "body": section.body} if section else {}
        kwargs.setdefault("form", SectionForm(initial=initial))
        return super().get_context_data(issue=issue, section=section, **kwargs)

    def post(self, request, pk, section_pk=None):
        issue, section = self.get_objects()
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                if section is None:
                    section = services.section_add(
                        actor=request.user, issue=issue, **form.cleaned_data
                    )
                    messages.success(request, "The section has been added")
                else:
                    services.section_update(
                        actor=request.user, section=section, **form.cleaned_data
                    )
                    messages.success(request, "The section has been saved")
            except ComposeError as error:
                messages.error(request, str(error))
            except ValidationError as error:
                form_add_error(form, error)
                return self.render_to_response(self.get_context_data(form=form))
            return redirect(
                f"{reverse('newsletters-staff:issue-detail', args=[pk])}#section-{section.pk}"
            )
        return self.render_to_response(self.get_context_data(form=form))


class SectionAddBlockView(IssueActionView):
    anchor = "#sections"

    def act(self, request, issue):
        form = BlockInsertForm(request.POST)
        if not form.is_valid():
            raise ComposeError("Choose a block to add.")
        services.section_add_block(
            actor=request.user, issue=issue, block=form.cleaned_data["block"]
        )
        self.success = f"The block \u201c{form.cleaned_data['block'].name}\u201d has been added"


class SectionAddShowcaseView(IssueActionView):
    anchor = "#sections"

    def act(self, request, issue):
        form = ShowcaseInsertForm(request.POST, queryset=showcase_approved_for_issue(issue))
        if not form.is_valid():
            raise ComposeError("Choose an approved showcase item to add.")
        item = form.cleaned_data["item"]
        services.section_add_showcase(actor=request.user, issue=issue, item=item)
        self.success = f"\u201c{item.title}\u201d has been added"


class SectionActionView(IssueActionView):
    anchor = "#sections"

    def section(self, issue, section_pk):
        try:
            return issue.sections.get(pk=section_pk)
        except issue.sections.model.DoesNotExist:
            raise Http404 from None


class SectionMoveView(SectionActionView):
    def act(self, request, issue, section_pk):
        section = self.section(issue, section_pk)
        services.section_move(
            actor=request.user, section=section, direction=request.POST.get("direction", "")
        )
        self.anchor = f"#section-{section.pk}"


class SectionRemoveView(SectionActionView):
    success = "The section has been removed"

    def act(self, request, issue, section_pk):
        services.section_remove(actor=request.user, section=self.section(issue, section_pk))


# Reusable blocks ----------------------------------------------------------------------------


class BlockListView(EditorMixin, ListView):
    template_name = "newsletters/issues/issue_block_list.jinja"
    paginate_by = 50
    context_object_name = "blocks"

    def get_queryset(self):
        return block_list()


class BlockFormView(EditorMixin, TemplateView):
    template_name = "newsletters/issues/issue_block_form.jinja"

    def get_block(self):
        return block_get(self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get_context_data(self, **kwargs):
        block = self.get_block()
        initial = (
            {"name": block.name, "heading": block.heading, "body": block.body} if block else {}
        )
        kwargs.setdefault("form", BlockForm(initial=initial, block=block))
        return super().get_context_data(block=block, **kwargs)

    def post(self, request, pk=None):
        block = self.get_block()
        form = BlockForm(request.POST, block=block)
        if form.is_valid():
            try:
                if block is None:
                    services.block_create(actor=request.user, **form.cleaned_data)
                else:
                    services.block_update(actor=request.user, block=block, **form.cleaned_data)
            except ValidationError as error:
                form_add_error(form, error)
            else:
                messages.success(request, "The block has been saved")
                return redirect("newsletters-staff:block-list")
        return self.render_to_response(self.get_context_data(form=form))


# Public web archive -------------------------------------------------------------------------


class ArchiveListView(TemplateView):
    """Sent issues, newest first, of every public newsletter or of one."""

    template_name = "newsletters/issues/archive_list.jinja"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        newsletter = None
        if "newsletter" in self.kwargs:
            newsletter = archive_newsletter_get(self.kwargs["newsletter"])
        paginator = Paginator(archive_issue_list(newsletter), self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        context = super().get_context_data(**kwargs)
        context.update(
            newsletter=newsletter,
            newsletters=list(archive_newsletters()),
            page_obj=page,
            issues=page.object_list,
        )
        return context


class ArchiveIssueView(TemplateView):
    template_name = "newsletters/issues/archive_issue.jinja"

    def get_context_data(self, **kwargs):
        issue = archive_issue_get(
            newsletter_slug=self.kwargs["newsletter"], issue_slug=self.kwargs["issue"]
        )
        context = super().get_context_data(**kwargs)
        context.update(issue=issue, title=issue_title_web(issue), content=issue_render_web(issue))
        return context
