import django_filters

from .compose_enums import ShowcaseStatus
from .enums import IssueStatus
from .models import Issue, Newsletter, ShowcaseItem


class IssueFilter(django_filters.FilterSet):
    newsletter = django_filters.ModelChoiceFilter(
        queryset=Newsletter.objects.order_by("name"), empty_label="Any newsletter"
    )
    status = django_filters.ChoiceFilter(choices=IssueStatus.choices, empty_label="Any status")

    class Meta:
        model = Issue
        fields = ["newsletter", "status"]


class ShowcaseQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ShowcaseStatus.choices, empty_label="Any status")

    class Meta:
        model = ShowcaseItem
        fields = ["status"]
