import django_filters

from ..subscriptions.models import Newsletter
from .enums import IssueStatus
from .models import Issue


class IssueFilter(django_filters.FilterSet):
    newsletter = django_filters.ModelChoiceFilter(
        queryset=Newsletter.objects.order_by("name"), empty_label="Any newsletter"
    )
    status = django_filters.ChoiceFilter(choices=IssueStatus.choices, empty_label="Any status")

    class Meta:
        model = Issue
        fields = ["newsletter", "status"]
