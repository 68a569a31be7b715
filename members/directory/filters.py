"""The directory's search and filters, and what the staff export's filter shares with them.
The queryset always comes from `members.directory.selectors.profiles_visible_to` (or, for
staff, `members.directory.insights.published_profiles`), so filters narrow what the viewer may
see and never widen it. Every choice is lenient: a value it does not know (a stale or mistyped
link) is dropped rather than turned into an error, so a shared URL keeps working."""

import copy

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, QuerySet
from django_filters.filters import FilterMethod

from qcommunity.core.taxonomy import Nation, OrganisationType, Region, RoleType

from .models import Profile
from .selectors import profile_search, taxonomy_terms

MAX_VALUES = 50  # more ticked boxes than any real group has; keeps IN lists small


class SharedChoicesMixin:
    """Copies share the choices list instead of deep-copying it. Every search builds a form
    from these fields, and ChoiceField.__deepcopy__ copies each (value, label) pair of every
    group: the choices are never changed in place, so sharing them is safe and much cheaper."""

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)


class LenientMultipleChoiceField(SharedChoicesMixin, forms.MultipleChoiceField):
    """Keeps the submitted values it knows, in choice order, and drops the rest."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        if not isinstance(value, list | tuple):
            value = [value] if value else []
        submitted = {str(v) for v in value[:MAX_VALUES]}
        return [str(k) for k, _ in self.choices if str(k) in submitted]


class LenientChoiceField(SharedChoicesMixin, forms.ChoiceField):
    """One choice, or None when the value is missing or unknown."""

    def clean(self, value):
        known = {str(k) for k, _ in self.choices}
        return value if isinstance(value, str) and value in known else None


class LenientSelectField(LenientChoiceField):
    """One choice from a select whose first option, `empty_label`, means any. Cleans to a list
    of the chosen value (or an empty one), the shape a filter of ticked boxes reads."""

    def __init__(self, *, empty_label: str, choices=(), **kwargs):
        super().__init__(choices=[("", empty_label), *choices], **kwargs)

    def clean(self, value):
        chosen = super().clean(value)
        return [chosen] if chosen else []


class SharedExtraMixin:
    """Each FilterSet deep-copies its filters; the `extra` arguments (the choices) are only
    ever replaced, never changed in place, so a copy needs its own dict, not copies of them."""

    def __deepcopy__(self, memo):
        copied = copy.copy(self)
        copied.extra = dict(self.extra)
        if isinstance(self.__dict__.get("filter"), FilterMethod):
            copied.filter = FilterMethod(copied)  # bound to the copy, whose parent is set
        memo[id(self)] = copied
        return copied


class ChoicesFilter(SharedExtraMixin, django_filters.Filter):
    """Several values of one field, OR-ed together (`lookup_expr` says how: `in`, `overlap`)."""

    field_class = LenientMultipleChoiceField


class SelectFilter(ChoicesFilter):
    """One value of one field from a select, matched as `ChoicesFilter` matches ticked boxes."""

    field_class = LenientSelectField


class SortFilter(SharedExtraMixin, django_filters.Filter):
    """Read by `ProfileDirectoryFilter.filter_queryset`; ordering needs to know about `q`."""

    field_class = LenientChoiceField

    def filter(self, qs, value):
        return qs


class Sort:
    RELEVANCE = "relevance"
    NAME = "name"
    RECENT = "recent"
    CHOICES = [
        (RELEVANCE, "Best match"),
        (NAME, "Name (A to Z)"),
        (RECENT, "Recently joined"),
    ]


# The groups a search narrows profiles by, and how each matches the chosen values: a profile
# field and lookup, or a taxonomy's through table (`ProfileFilterSet.filter_term`, whose choices
# are the terms). The public directory ticks boxes and the staff export picks one value from a
# select, each with its own labels; both filter the same way.
PROFILE_GROUPS = {
    "region": {"field_name": "region", "lookup_expr": "in", "choices": Region.choices},
    "nation": {"field_name": "nation", "lookup_expr": "in", "choices": Nation.choices},
    "role_type": {
        "field_name": "role_types",
        "lookup_expr": "overlap",
        "choices": RoleType.choices,
    },
    "organisation_type": {
        "field_name": "organisation_type",
        "lookup_expr": "in",
        "choices": OrganisationType.choices,
    },
    "topic": {"method": "filter_term", "choices": []},
    "approach": {"method": "filter_term", "choices": []},
    "offer": {"method": "filter_term", "choices": []},
}
TAXONOMIES = ("topic", "approach", "offer")
TAXONOMY_THROUGH = {
    "topic": (Profile.topics.through, "topic_id"),
    "approach": (Profile.approaches.through, "approach_id"),
    "offer": (Profile.offers.through, "offer_id"),
}


class ProfileFilterSet(django_filters.FilterSet):
    """Search text and the groups of `PROFILE_GROUPS` (AND across groups, OR within one), with
    the taxonomy terms as choices. Subclasses declare `q` (filtered by `filter_text`) and each
    group's filter, with the labels their page shows."""

    class Meta:
        model = Profile
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, terms=None, **kwargs):
        """`terms`: {"topic": [(id, slug, name), ...], ...} as `taxonomy_terms` gives them;
        read from the database when not given."""
        super().__init__(data, queryset=queryset, **kwargs)
        # The choices, and slug -> id so filters use the through tables' indexes without
        # joining the term tables.
        terms = terms if terms is not None else taxonomy_terms()
        self.term_ids: dict[str, dict[str, int]] = {}
        for name in TAXONOMIES:
            rows = terms[name]
            self.term_ids[name] = {slug: pk for pk, slug, _ in rows}
            self.filters[name].extra["choices"] = [(slug, label) for _, slug, label in rows]

    def filter_text(self, qs: QuerySet[Profile], name: str, value: str) -> QuerySet[Profile]:
        return profile_search(qs, value)

    def filter_term(self, qs: QuerySet[Profile], name: str, value: list[str]) -> QuerySet[Profile]:
        if not value:
            return qs
        through, column = TAXONOMY_THROUGH[name]
        ids = [self.term_ids[name][slug] for slug in value]
        # EXISTS rather than a join: several ticked terms must not repeat a profile.
        return qs.filter(
            Exists(through.objects.filter(profile_id=OuterRef("pk"), **{f"{column}__in": ids}))
        )

    @property
    def cleaned_data(self) -> dict:
        """The form's valid values; a field that fails (only `q`, on a NUL byte) is left out."""
        self.form.is_valid()
        return self.form.cleaned_data


class ProfileDirectoryFilter(ProfileFilterSet):
    """Search text, filters and sort for `/directory/`. All state is in the query string, so a
    URL can be shared and opens the same search."""

    q = django_filters.CharFilter(method="filter_text", label="Search")
    region = ChoicesFilter(**PROFILE_GROUPS["region"], label="Region")
    nation = ChoicesFilter(**PROFILE_GROUPS["nation"], label="Nation")
    role_type = ChoicesFilter(**PROFILE_GROUPS["role_type"], label="Role")
    organisation_type = ChoicesFilter(
        **PROFILE_GROUPS["organisation_type"], label="Type of organisation"
    )
    topic = ChoicesFilter(**PROFILE_GROUPS["topic"], label="Topic")
    approach = ChoicesFilter(**PROFILE_GROUPS["approach"], label="Improvement approach")
    offer = ChoicesFilter(**PROFILE_GROUPS["offer"], label="Can offer")
    sort = SortFilter(choices=Sort.CHOICES, label="Sort by")

    # Groups whose choices never change: their form fields are built once, here, and shared by
    # every search's copies (building one normalises every choice again).
    STATIC_GROUPS = ("region", "nation", "role_type", "organisation_type", "sort")

    @property
    def effective_sort(self) -> str:
        data = self.cleaned_data
        chosen = data.get("sort")
        searching = bool((data.get("q") or "").strip())
        if chosen == Sort.RELEVANCE and not searching:
            return Sort.NAME
        return chosen or (Sort.RELEVANCE if searching else Sort.NAME)

    def filter_queryset(self, queryset: QuerySet[Profile]) -> QuerySet[Profile]:
        qs = super().filter_queryset(queryset)
        sort = self.effective_sort
        if sort == Sort.RELEVANCE and "rank" in qs.query.annotations:
            return qs.order_by("-rank", "sort_name", "pk")
        if sort == Sort.RECENT:
            return qs.order_by(F("published_at").desc(nulls_last=True), "-pk")
        return qs.order_by("sort_name", "pk")

    # What the template needs to draw the filter panel, without touching the database again.

    GROUPS = tuple(PROFILE_GROUPS)

    def checkbox_groups(self) -> list[dict]:
        groups = []
        for name in self.GROUPS:
            bound = self.form[name]
            chosen = set(self.cleaned_data.get(name) or [])
            items = [
                {"value": str(value), "text": str(label), "checked": str(value) in chosen}
                for value, label in bound.field.choices
            ]
            if items:
                groups.append(
                    {
                        "name": name,
                        "legend": str(bound.label),
                        "items": items,
                        "chosen": len(chosen),
                    }
                )
        return groups

    def sort_items(self) -> list[dict]:
        current = self.effective_sort
        return [
            {"value": value, "text": label, "selected": value == current}
            for value, label in Sort.CHOICES
        ]

    def is_text_search(self) -> bool:
        return bool((self.cleaned_data.get("q") or "").strip())

    @property
    def is_filtered(self) -> bool:
        data = self.cleaned_data
        return bool((data.get("q") or "").strip()) or any(data.get(n) for n in self.GROUPS)


for _name in ProfileDirectoryFilter.STATIC_GROUPS:
    ProfileDirectoryFilter.base_filters[_name].field  # noqa: B018 (builds and keeps the field)


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
