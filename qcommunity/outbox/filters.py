import django_filters

from .enums import EmailStatus
from .models import OutboxEmail


class OutboxEmailFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EmailStatus.choices, empty_label="Any status")
    recipient = django_filters.CharFilter(lookup_expr="iexact", label="Recipient email address")

    class Meta:
        model = OutboxEmail
        fields = ["status", "recipient"]
