import django_filters

from .models import SentReminder
from .registry import all_kinds


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.description) for kind in all_kinds()]


class SentReminderFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=_kind_choices, empty_label="Any reminder", label="Reminder"
    )

    class Meta:
        model = SentReminder
        fields = ["kind"]
