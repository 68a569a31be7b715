"""The filter of a round's audit trail (staff)."""

import django_filters
from django.db.models import QuerySet

from qcommunity.audit.models import AuditEntry

from .models import Round
from .selectors import AUDIT_KIND_CHOICES, round_audit_entries


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
