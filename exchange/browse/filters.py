"""Search and filters for a round's page, `/exchange/<year>/`. The queryset always comes from
`exchange.browse.selectors.round_proposals`, so filters narrow what the viewer may see and never
widen it. As in the directory, unknown values (a stale or mistyped link) are dropped, not
turned into errors, so a shared URL keeps working. Every filter has an index: theme and stage
(exchange_prop_theme_stage_idx, exchange_prop_round_stage_idx), topic (the topics table's
topic_id index), region (GIN on regions) and text (GIN on search_vector)."""

import django_filters
from django.db.models import Exists, OuterRef, QuerySet

from members.directory.filters import ChoicesFilter, SelectFilter
from qcommunity.core.taxonomy import Region

from ..proposals.enums import Stage
from ..proposals.models import Proposal
from ..rounds.models import Round
from .selectors import proposal_search, round_export_proposals

TopicLink = Proposal.topics.through


class ProposalBrowseFilter(django_filters.FilterSet):
    """Text (web-search syntax), theme, stage, topic and region; AND across groups, OR within
    one. Withdrawn ideas are left out unless the stage filter asks for them."""

    q = django_filters.CharFilter(method="filter_text", label="Search")
    theme = ChoicesFilter(field_name="theme_id", lookup_expr="in", choices=[], label="Theme")
    # The stage the viewer sees (`shown_stage`, annotated by `round_proposals`), so an outcome
    # not yet announced is not found by its stage.
    stage = ChoicesFilter(
        field_name="shown_stage", lookup_expr="in", choices=Stage.choices, label="Stage"
    )
    topic = ChoicesFilter(method="filter_topic", choices=[], label="Topic")
    region = ChoicesFilter(
        field_name="regions", lookup_expr="overlap", choices=Region.choices, label="Region"
    )

    GROUPS = ("theme", "stage", "topic", "region")

    class Meta:
        model = Proposal
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, round_: Round, topics, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["theme"].extra["choices"] = [
            (str(theme.pk), theme.name) for theme in round_.themes.all()
        ]
        self.topic_ids = {t.slug: t.pk for t in topics}
        self.filters["topic"].extra["choices"] = [(t.slug, t.name) for t in topics]

    def filter_text(self, qs: QuerySet[Proposal], name: str, value: str) -> QuerySet[Proposal]:
        return proposal_search(qs, value)

    def filter_topic(self, qs: QuerySet[Proposal], name: str, value: list[str]):
        if not value:
            return qs
        ids = [self.topic_ids[slug] for slug in value]
        # EXISTS, not a join: a proposal with two of the chosen topics is listed once.
        return qs.filter(
            Exists(TopicLink.objects.filter(proposal_id=OuterRef("pk"), topic_id__in=ids))
        )

    @property
    def cleaned_data(self) -> dict:
        self.form.is_valid()
        return self.form.cleaned_data

    def filter_queryset(self, queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
        qs = super().filter_queryset(queryset)
        if not self.cleaned_data.get("stage"):
            qs = qs.exclude(stage=Stage.WITHDRAWN)
        if "rank" in qs.query.annotations:
            return qs.order_by("-rank", "-created_at", "-id")
        return qs.order_by("-created_at", "-id")

    def is_text_search(self) -> bool:
        return bool((self.cleaned_data.get("q") or "").strip())

    @property
    def is_filtered(self) -> bool:
        data = self.cleaned_data
        return self.is_text_search() or any(data.get(n) for n in self.GROUPS)

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
                legend = str(bound.label)
                groups.append(
                    {"name": name, "legend": legend, "items": items, "chosen": len(chosen)}
                )
        return groups


class ProposalExportFilter(django_filters.FilterSet):
    """Which proposals of a round the staff CSV holds: one stage (the recorded one, withdrawn
    included), one theme and one region, each from a select whose first option means any, and
    text. Unknown values are dropped, so a stale link still downloads. The indexes are the
    round page's (above)."""

    stage = SelectFilter(
        field_name="stage",
        lookup_expr="in",
        choices=Stage.choices,
        label="Stage",
        empty_label="Any stage",
    )
    theme = SelectFilter(
        field_name="theme_id", lookup_expr="in", choices=[], label="Theme", empty_label="Any theme"
    )
    region = SelectFilter(
        field_name="regions",
        lookup_expr="overlap",
        choices=Region.choices,
        label="Region",
        empty_label="Any region",
    )
    q = django_filters.CharFilter(method="filter_text", label="Search text")

    class Meta:
        model = Proposal
        fields: list[str] = []

    def __init__(self, data=None, *, round_: Round, **kwargs):
        super().__init__(data, queryset=round_export_proposals(round_), **kwargs)
        self.theme_names = {str(theme.pk): theme.name for theme in round_.themes.all()}
        self.filters["theme"].extra["choices"] = list(self.theme_names.items())

    def filter_text(self, qs: QuerySet[Proposal], name: str, value: str) -> QuerySet[Proposal]:
        # Matched by the search, kept in the export's order (oldest first), not ranked.
        return proposal_search(qs, value).order_by("created_at", "id")

    def applied(self) -> dict[str, str]:
        """The filters that took effect, in words (the theme by its name), for the audit log
        and the file name."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        data = self.form.cleaned_data
        chosen = {name: data[name][0] for name in ("stage", "theme", "region") if data[name]}
        if "theme" in chosen:
            chosen["theme"] = self.theme_names[chosen["theme"]]
        if text := " ".join((data.get("q") or "").split())[:200]:
            chosen["q"] = text
        return chosen
