import django_filters

from .enums import ShowcaseStatus
from .models import ShowcaseItem


class ShowcaseQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ShowcaseStatus.choices, empty_label="Any status")

    class Meta:
        model = ShowcaseItem
        fields = ["status"]
