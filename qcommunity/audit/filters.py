import django_filters

from .models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(
        field_name="action", lookup_expr="startswith", label="Action starts with"
    )
    actor = django_filters.CharFilter(
        field_name="actor_label", lookup_expr="iexact", label="Who (email address)"
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "actor"]
