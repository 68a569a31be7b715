"""Filters of staff pages: the directory CSV export and a round's audit trail.

The export takes the same parameters as the public directory's filter (region, nation,
role_type, organisation_type, topic, approach, offer, q), so a directory search can be exported
by changing the path. Unknown values are ignored."""

import django_filters
from django.db.models import QuerySet

from qcommunity.audit.models import AuditEntry

from .enums import Nation, OrganisationType, Region, RoleType
from .models import Approach, Offer, Profile, Topic
from .models_joining import Round
from .selectors import profile_search
from .selectors_report import AUDIT_KIND_CHOICES, round_audit_entries


class DirectoryExportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search text")
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label="Any region")
    nation = django_filters.ChoiceFilter(choices=Nation.choices, empty_label="Any nation")
    role_type = django_filters.ChoiceFilter(
        choices=RoleType.choices,
        method="with_role_type",
        label="Role type",
        empty_label="Any role type",
    )
    organisation_type = django_filters.ChoiceFilter(
        choices=OrganisationType.choices,
        label="Organisation type",
        empty_label="Any organisation type",
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        empty_label="Any topic",
    )
    approach = django_filters.ModelChoiceFilter(
        field_name="approaches",
        to_field_name="slug",
        queryset=Approach.objects.all(),
        empty_label="Any approach",
    )
    offer = django_filters.ModelChoiceFilter(
        field_name="offers",
        to_field_name="slug",
        queryset=Offer.objects.all(),
        label="Can offer",
        empty_label="Anything",
    )

    class Meta:
        model = Profile
        fields = ["region", "nation", "organisation_type"]

    def search(self, qs: QuerySet[Profile], name: str, value: str) -> QuerySet[Profile]:
        return profile_search(qs, value)

    def with_role_type(self, qs: QuerySet[Profile], name: str, value: str) -> QuerySet[Profile]:
        return qs.filter(role_types__contains=[value])

    def applied(self) -> dict[str, str]:
        """The filters that took effect, for the audit log."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {
            name: str(getattr(value, "slug", value))
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "")
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
