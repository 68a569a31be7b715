"""Staff views of the directory as a whole: insights and the CSV export."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from qcommunity.core.permissions import PermissionRequired404Mixin

from ..export import export_rows
from ..filters_staff import DirectoryExportFilter
from ..insights import bar_chart_svg, directory_insights, published_profiles
from ..services import directory_export_record


class DirectoryInsightsView(PermissionRequired404Mixin, TemplateView):
    permission_required = "members.view_directory_insights"
    template_name = "members/insights.jinja"

    def get_context_data(self, **kwargs):
        breakdowns = directory_insights(self.request.user)
        return super().get_context_data(
            breakdowns=[(b, bar_chart_svg(b)) for b in breakdowns],
            total=breakdowns[0].total,
            filter=DirectoryExportFilter(queryset=published_profiles(self.request.user)),
            **kwargs,
        )


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


class DirectoryExportView(PermissionRequired404Mixin, View):
    permission_required = "members.export_directory"

    def get(self, request):
        filterset = DirectoryExportFilter(request.GET, queryset=published_profiles(request.user))
        rows = filterset.qs
        directory_export_record(
            actor=request.user, filters=filterset.applied(), row_count=rows.count()
        )
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow(row) for row in export_rows(rows)), content_type="text/csv"
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="q-directory-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response
