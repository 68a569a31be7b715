import django_filters
from django.db.models import Q

from .enums import SubscriptionStatus
from .models import Contact, Newsletter


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="Search by email address, name or organisation"
    )
    newsletter = django_filters.ModelChoiceFilter(
        queryset=Newsletter.objects.order_by("name"),
        field_name="subscriptions__newsletter",
        empty_label="Any newsletter",
        label="Newsletter",
        method="by_subscription",
    )
    status = django_filters.ChoiceFilter(
        choices=SubscriptionStatus.choices,
        empty_label="Any status",
        label="Subscription status",
        method="by_subscription",
    )

    class Meta:
        model = Contact
        fields = ["q", "newsletter", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(email__icontains=value) | Q(name__icontains=value) | Q(organisation__icontains=value)
        )

    def by_subscription(self, queryset, name, value):
        # Newsletter and status filter the same subscription together (applied once, below).
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        sub = {}
        if data.get("newsletter"):
            sub["subscriptions__newsletter"] = data["newsletter"]
        if data.get("status"):
            sub["subscriptions__status"] = data["status"]
        if sub:
            queryset = queryset.filter(**sub).distinct()
        return queryset
