"""Staff filters of a round: its audit trail, and which applications its CSV download holds."""

import django_filters
from django.db.models import QuerySet

from members.directory.filters import SelectFilter
from qcommunity.audit.models import AuditEntry

from .enums import ApplicationStatus
from .models import REGION_LABELS, Application, Round
from .selectors import AUDIT_KIND_CHOICES, round_audit_entries, round_export_applications


class RoundAuditFilter(django_filters.FilterSet):
    """The filter of a round's audit trail: what the entries are about, or only status
    changes. An unknown value shows everything."""

    kind = django_filters.ChoiceFilter(
        choices=AUDIT_KIND_CHOICES,
        method="by_kind",
        label="Show entries about",
        empty_label="Everything",
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, data=None, *, round_: Round, **kwargs):
        self.round = round_
        super().__init__(data, queryset=round_audit_entries(round_), **kwargs)

    def by_kind(self, qs: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        return round_audit_entries(self.round, kind=value)


class RoundApplicationExportFilter(django_filters.FilterSet):
    """Which applications of a round the CSV holds: one region of the round's and one status
    (drafts are never in it), each chosen from a select whose first option means any. Unknown
    values are dropped, so a stale link still downloads. Both are indexed
    (members_app_round_region_idx, members_app_round_status_idx)."""

    region = SelectFilter(
        field_name="region", lookup_expr="in", choices=[], label="Region", empty_label="Any region"
    )
    status = SelectFilter(
        field_name="status",
        lookup_expr="in",
        choices=[c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT],
        label="Status",
        empty_label="Any status",
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, data=None, *, round_: Round, **kwargs):
        super().__init__(data, queryset=round_export_applications(round_), **kwargs)
        self.filters["region"].extra["choices"] = [
            (code, REGION_LABELS[code]) for code in round_.regions
        ]

    def applied(self) -> dict[str, str]:
        """The filters that took effect (for the audit log and the file name)."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {name: value[0] for name, value in self.form.cleaned_data.items() if value}
