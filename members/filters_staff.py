"""Filters of staff pages: the directory CSV export and a round's audit trail.

The export takes the same parameters as the public directory's filter (region, nation,
role_type, organisation_type, topic, approach, offer, q), so a directory search can be exported
by changing the path. Unknown values are ignored."""

import django_filters
from django.db.models import QuerySet

from qcommunity.audit.models import AuditEntry

from .filters import PROFILE_GROUPS, ProfileFilterSet, SelectFilter
from .models_joining import Round
from .selectors_report import AUDIT_KIND_CHOICES, round_audit_entries


class DirectoryExportFilter(ProfileFilterSet):
    """The directory's filter with one value a group, chosen from a select."""

    q = django_filters.CharFilter(method="filter_text", label="Search text")
    region = SelectFilter(**PROFILE_GROUPS["region"], label="Region", empty_label="Any region")
    nation = SelectFilter(**PROFILE_GROUPS["nation"], label="Nation", empty_label="Any nation")
    role_type = SelectFilter(
        **PROFILE_GROUPS["role_type"], label="Role type", empty_label="Any role type"
    )
    organisation_type = SelectFilter(
        **PROFILE_GROUPS["organisation_type"],
        label="Organisation type",
        empty_label="Any organisation type",
    )
    topic = SelectFilter(**PROFILE_GROUPS["topic"], label="Topics", empty_label="Any topic")
    approach = SelectFilter(
        **PROFILE_GROUPS["approach"], label="Approaches", empty_label="Any approach"
    )
    offer = SelectFilter(**PROFILE_GROUPS["offer"], label="Can offer", empty_label="Anything")

    def applied(self) -> dict[str, str]:
        """The filters that took effect, for the audit log."""
        if not self.is_bound:
            return {}
        return {
            name: value if isinstance(value, str) else ", ".join(value)
            for name, value in self.cleaned_data.items()
            if value
        }


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
