"""Editors watch an issue go out (/staff/newsletters/sending/<issue>/) and send an approved issue
now. The progress region refreshes itself through htmx while the issue is sending; without
JavaScript a refresh link does the same."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views import View

from qcommunity.core.permissions import PermissionRequired404Mixin

from ..issues.enums import SENDABLE, IssueStatus
from ..issues.models import Issue
from ..issues.selectors import issue_delivery_counts
from . import services
from .selectors import issue_failed_deliveries

FAILURES_PER_PAGE = 50
# How often the page asks for fresh figures while the issue is sending.
POLL_SECONDS = 3


def _is_partial(request) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


class IssueSendingProgressView(PermissionRequired404Mixin, View):
    permission_required = "newsletters.view_issue_sending"
    template_name = "newsletters/sending/sending_progress.jinja"
    partial_template_name = "newsletters/sending/sending_progress_figures.jinja"

    def get(self, request, pk: int):
        issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
        counts = issue_delivery_counts(issue)
        done = counts["sent"] + counts["failed"] + counts["suppressed"]
        context = {
            "issue": issue,
            "counts": counts,
            "done": done,
            "percent": (100 * done // counts["total"]) if counts["total"] else 0,
            "is_sending": issue.status == IssueStatus.SENDING,
            "can_send": issue.status in SENDABLE
            and request.user.has_perm("newsletters.send_issue"),
            "poll_seconds": POLL_SECONDS,
        }
        if _is_partial(request):
            response = render(request, self.partial_template_name, context)
        else:
            paginator = Paginator(issue_failed_deliveries(issue), FAILURES_PER_PAGE)
            page_obj = paginator.get_page(request.GET.get("page"))
            context |= {"page_obj": page_obj, "failures": list(page_obj.object_list)}
            response = render(request, self.template_name, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


class IssueSendNowView(PermissionRequired404Mixin, View):
    permission_required = "newsletters.send_issue"
    http_method_names = ["post"]

    def post(self, request, pk: int):
        issue = get_object_or_404(Issue, pk=pk)
        try:
            services.issue_send_now(actor=request.user, issue=issue)
        except services.SendingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"“{issue.title}” is being sent.")
        return redirect("newsletters-staff:progress", pk=issue.pk)
