"""Staff insights into the directory: counts of published entries, and the bar charts that show
them. Counts are made in SQL (GROUP BY or conditional aggregates), a fixed five queries whatever
the number of entries. Hidden entries are never counted."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from markupsafe import Markup, escape

from .enums import Nation, OrganisationType, Region, RoleType, Visibility
from .models import Profile, Topic
from .selectors import profiles_visible_to

PUBLISHED = (Visibility.MEMBERS, Visibility.PUBLIC)
NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class Row:
    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    column: str
    rows: list[Row]
    total: int  # published entries, whatever the breakdown

    @property
    def largest(self) -> int:
        return max((row.count for row in self.rows), default=0)


def published_profiles(viewer) -> QuerySet[Profile]:
    """Entries published to members or the public, as `viewer` may see them; never hidden ones
    (not even the viewer's own)."""
    return profiles_visible_to(viewer).filter(visibility__in=PUBLISHED)


def _grouped(qs: QuerySet[Profile], column: str, choices) -> list[Row]:
    counts = {row[column]: row["n"] for row in qs.order_by().values(column).annotate(n=Count("id"))}
    rows = [Row(label, counts.pop(value, 0)) for value, label in choices]
    missing = sum(counts.values())  # entries that have not said
    if missing:
        rows.append(Row(NOT_GIVEN, missing))
    return rows


def directory_insights(viewer) -> list[Breakdown]:
    """Counts of published entries by region, nation, role type, organisation type and topic.
    An entry counts once in each role type and each topic it has."""
    published = published_profiles(viewer)
    roles = published.order_by().aggregate(
        total=Count("id"),
        **{
            f"role_{value}": Count("id", filter=Q(role_types__contains=[value]))
            for value in RoleType.values
        },
    )
    total = roles["total"]
    topics = (
        Topic.objects.annotate(n=Count("profiles", filter=Q(profiles__in=published.values("id"))))
        .order_by("-n", "name")
        .values_list("name", "n")
    )
    return [
        Breakdown(
            "region", "Entries by region", "Region",
            _grouped(published, "region", Region.choices), total,
        ),
        Breakdown(
            "nation", "Entries by nation", "Nation",
            _grouped(published, "nation", Nation.choices), total,
        ),
        Breakdown(
            "role-type", "Entries by role type", "Role type",
            [Row(label, roles[f"role_{value}"]) for value, label in RoleType.choices], total,
        ),
        Breakdown(
            "organisation-type", "Entries by organisation type", "Organisation type",
            _grouped(published, "organisation_type", OrganisationType.choices), total,
        ),
        Breakdown(
            "topic", "Entries by topic", "Topic",
            [Row(name, n) for name, n in topics], total,
        ),
    ]  # fmt: skip


# Chart geometry, in SVG user units. Each bar sits under its label, so long region names fit
# and the chart scales down on narrow screens without labels running into bars.
WIDTH = 640
BAR_AREA = 520
ROW_HEIGHT = 48
LABEL_BASELINE = 18
BAR_TOP = 24
BAR_HEIGHT = 18
PADDING = 8
# NHS blue bars (6.7:1 against white) and NHS text colour (14:1) for labels and numbers.
BAR_COLOUR = "#005eb8"
TEXT_COLOUR = "#212b32"
FONT = "Frutiger W01, Arial, sans-serif"


def bar_chart_svg(breakdown: Breakdown) -> Markup:
    """A horizontal bar chart as inline SVG: one labelled bar per row, each with its number.
    Screen readers get the title and description here and the figures from the table beside."""
    chart_id = f"chart-{breakdown.key}"
    height = PADDING * 2 + ROW_HEIGHT * max(len(breakdown.rows), 1)
    scale = BAR_AREA / breakdown.largest if breakdown.largest else 0
    description = (
        f"Horizontal bar chart of {breakdown.total} published entries by "
        f"{breakdown.column.lower()}. The table that follows gives the same numbers."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qc-bar-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'font-family="{FONT}" font-size="16" fill="{TEXT_COLOUR}">',
        f'<title id="{chart_id}-title">{escape(breakdown.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, row in enumerate(breakdown.rows):
        top = PADDING + i * ROW_HEIGHT
        length = round(row.count * scale, 1)
        parts.append(
            f'<g class="qc-bar" data-label="{escape(row.label)}" data-count="{row.count}">'
            f'<text x="0" y="{top + LABEL_BASELINE}">{escape(row.label)}</text>'
            f'<rect x="0" y="{top + BAR_TOP}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{BAR_COLOUR}"></rect>'
            f'<text x="{length + 6}" y="{top + BAR_TOP + BAR_HEIGHT - 3}" '
            f'font-weight="bold">{row.count}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every interpolated text is escaped above)
