"""Staff reports on a round of selection: the report page (totals, acceptance rate and the mix
of applications as charts with tables), the decisions CSV, and the round's audit trail. Staff
who manage rounds only; everyone else gets what the other staff round pages give (sign in, or
404)."""

from dataclasses import dataclass

from django.http import Http404
from django.views import View
from django.views.generic import ListView, TemplateView

from qcommunity.audit.describe import AuditLabels, describe_details
from qcommunity.core.exports import csv_response, export_record
from qcommunity.core.permissions import PermissionRequired404Mixin
from qcommunity.scoring.enums import AssignmentStatus

from ...directory.insights import bar_chart_svg
from ..enums import ApplicationStatus, RoundStatus
from ..filters import RoundApplicationExportFilter, RoundAuditFilter
from ..models import Round
from ..selectors import (
    COUNT_HEADING,
    RECOMMENDATION_LABELS,
    round_audit_names,
    round_criteria,
    round_export_header,
    round_export_rows,
    round_report,
)

AUDIT_PAGE_SIZE = 50

# What each audit action means, in words; other actions show as recorded.
ACTION_LABELS = {
    "join_round.create": "Round created",
    "join_round.update": "Round changed",
    "join_round.open": "Round opened",
    "join_round.close": "Round closed",
    "join_round.start_review": "Round sent to panels",
    "join_round.mark_decided": "All decisions recorded",
    "join_round.release": "Decisions released",
    "join_round.release_now": "Release brought forward to now by staff",
    "join_round.export_decisions": "Decisions downloaded",
    "join_round.export_applications": "Applications and decisions downloaded",
    "scoring_scheme.create": "Criteria and scale set",
    "scoring_scheme.update": "Criteria or scale changed",
    "scoring_scheme.lock": "Criteria and scale locked",
    "application.create": "Application started",
    "application.save_draft": "Draft saved",
    "application.submit": "Application submitted",
    "application.withdraw": "Application withdrawn",
    "application.start_review": "Application sent to the panel",
    "application.accept": "Decision: accepted",
    "application.not_yet": "Decision: not yet",
    "application.reopen": "Decision reopened",
    "scoring_panel.create": "Panel created",
    "scoring_panel.member_add": "Panel member added",
    "scoring_panel.member_remove": "Panel member removed",
    "scoring_panel.distribute": "Applications given to reviewers",
    "scoring_assignment.create": "Review assigned",
    "scoring_assignment.no_conflict": "Reviewer declared no conflict of interest",
    "scoring_assignment.declare_conflict": "Reviewer declared a conflict of interest",
    "scoring_assignment.submit": "Review marked as submitted",
    "scoring_assignment.withdraw": "Review taken off the reviewer",
    "scoring_assignment.reinstate": "Review given back to the reviewer",
    "scoring_review.submit": "Review and scores submitted",
}
STATUS_LABELS = {
    "round": dict(RoundStatus.choices),
    "application": dict(ApplicationStatus.choices),
    "assignment": dict(AssignmentStatus.choices),
}


class RoundReportMixin(PermissionRequired404Mixin):
    """A round's report, download and audit trail: staff administrators and the round's
    managers."""

    permission_required = "members.manage_rounds"

    def get_round(self) -> Round:
        if not hasattr(self, "_round"):
            try:
                self._round = Round.objects.get(pk=self.kwargs["pk"])
            except Round.DoesNotExist as error:
                raise Http404 from error
        return self._round

    def get_permission_object(self):
        return self.get_round()


class RoundReportView(RoundReportMixin, TemplateView):
    template_name = "members/joining/round_report.jinja"

    def get_context_data(self, **kwargs):
        round_ = self.get_round()
        report = round_report(round_)
        return super().get_context_data(
            round=round_,
            totals=report.totals,
            breakdowns=[(b, bar_chart_svg(b)) for b in report.breakdowns],
            count_heading=COUNT_HEADING,
            **kwargs,
        )


class RoundApplicationsCsvView(RoundReportMixin, View):
    """The round's applications and decisions as a CSV (columns: `round_export_rows`), for one
    region and status if chosen on the round's page; the choice is in the file name and the
    audit row."""

    def get(self, request, pk):
        round_ = self.get_round()
        filterset = RoundApplicationExportFilter(request.GET, round_=round_)
        applications = filterset.qs
        filters = filterset.applied()
        export_record(
            actor=request.user,
            action="join_round.export_applications",
            permission=self.permission_required,
            filters=filters,
            row_count=applications.count(),
            target=round_,
        )
        criteria = round_criteria(round_)
        return csv_response(
            filename_parts=["q-round", str(round_.pk), round_.name, "applications"],
            filters=filters,
            header=round_export_header(criteria),
            rows=round_export_rows(round_, criteria, applications),
        )


@dataclass(frozen=True)
class AuditNames:
    """What ids in audit details stand for, looked up once for a page of entries."""

    criteria: dict[str, str]
    applications: dict[int, str]
    people: dict[int, str]


def _details(entry, names: AuditNames) -> list[str]:
    """An audit entry's data in words (qcommunity.audit.describe): status moves by their
    labels, scores by criterion, applications by reference, people by email address,
    recommendations by their label."""
    data = dict(entry.data or {})
    lines = []
    scores = data.pop("scores", None)
    if isinstance(scores, dict):
        lines.extend(
            f"{names.criteria.get(str(cid), f'Criterion {cid}')}: {value}"
            for cid, value in scores.items()
        )
    labels = AuditLabels(
        values={
            "subject": names.applications,
            "application": names.applications,
            "recommendation": RECOMMENDATION_LABELS,
        },
        statuses=STATUS_LABELS.get(entry.target_type.model if entry.target_type else "", {}),
        fields={"subject": "Application"},
        people=names.people,
    )
    details = describe_details(data, labels)
    # The status move reads first, then the scores, then the rest, as the page always showed.
    if details and details[0].startswith("From ") and "from" in data:
        return [details[0], *lines, *details[1:]]
    return [*lines, *details]


class RoundAuditView(RoundReportMixin, ListView):
    """Every audit entry about the round and what belongs to it, newest first, 50 a page,
    filtered by what the entry is about."""

    template_name = "members/joining/round_audit.jinja"
    paginate_by = AUDIT_PAGE_SIZE
    context_object_name = "entries"

    def get_queryset(self):
        self.round = self.get_round()
        self.filterset = RoundAuditFilter(self.request.GET, round_=self.round)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = list(context["entries"])
        names = AuditNames(
            {str(c.pk): f"{c.position}. {c.title}" for c in round_criteria(self.round)},
            *round_audit_names(self.round, entries),
        )
        context.update(
            round=self.round,
            filter=self.filterset,
            rows=[
                (entry, ACTION_LABELS.get(entry.action, entry.action), _details(entry, names))
                for entry in entries
            ],
        )
        return context
