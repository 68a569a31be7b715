"""Staff insights into the directory: counts of published entries, and the bar charts that show
them. Counts are made in SQL (GROUP BY or conditional aggregates), a fixed five queries whatever
the number of entries. Hidden entries are never counted."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from markupsafe import Markup, escape

from qcommunity.core.taxonomy import Nation, OrganisationType, Region, RoleType

from .enums import Visibility
from .models import Profile, Topic
from .selectors import profiles_visible_to

PUBLISHED = (Visibility.MEMBERS, Visibility.PUBLIC)
NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    # The count split by the breakdown's series (in their order), when the bar is split.
    parts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Series:
    """One part of a split bar: its name (the legend and the table's column) and its fill."""

    label: str
    colour: str


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    column: str
    rows: list[Row]
    total: int  # everything counted, whatever the breakdown
    # What is counted, in the chart's description and the table's heading.
    noun: str = "published entries"
    # Splits each bar (e.g. by decision); the table gets a column per series.
    series: tuple[Series, ...] = ()
    # A sentence shown under the heading, e.g. that one thing can count in several rows.
    note: str = ""

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
# Split bars draw a legend above the rows, and leave a gap between parts so that each part
# stands out against the page behind it (3:1 or more) even where two fills are close.
LEGEND_HEIGHT = 32
SWATCH = 16
PART_GAP = 2
# NHS blue bars (6.7:1 against white) and NHS text colour (14:1) for labels and numbers.
BAR_COLOUR = "#005eb8"
TEXT_COLOUR = "#212b32"
FONT = "Frutiger W01, Arial, sans-serif"


def _series_words(series: tuple[Series, ...]) -> str:
    labels = [s.label.lower() for s in series]
    return ", ".join(labels[:-1]) + f" and {labels[-1]}" if len(labels) > 1 else labels[0]


def _legend(series: tuple[Series, ...]) -> str:
    items, x = [], 0
    for s in series:
        items.append(
            f'<rect x="{x}" y="{PADDING}" width="{SWATCH}" height="{SWATCH}" '
            f'fill="{s.colour}"></rect>'
            f'<text x="{x + SWATCH + 6}" y="{PADDING + SWATCH - 2}">{escape(s.label)}</text>'
        )
        x += SWATCH + 6 + 9 * len(s.label) + 24
    return f'<g class="qc-legend">{"".join(items)}</g>'


def _bar(row: Row, series: tuple[Series, ...], top: float, scale: float) -> tuple[str, float]:
    """The rectangles of one bar and its full length."""
    length = round(row.count * scale, 1)
    if not series:
        return (
            f'<rect x="0" y="{top + BAR_TOP}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{BAR_COLOUR}"></rect>'
        ), length
    rects, x = [], 0.0
    for s, count in zip(series, row.parts, strict=True):
        if not count:
            continue
        width = max(round(count * scale - PART_GAP, 1), 1)
        rects.append(
            f'<rect x="{round(x, 1)}" y="{top + BAR_TOP}" width="{width}" '
            f'height="{BAR_HEIGHT}" fill="{s.colour}"></rect>'
        )
        x += count * scale
    return "".join(rects), length


def bar_chart_svg(breakdown: Breakdown) -> Markup:
    """A horizontal bar chart as inline SVG: one labelled bar per row, each with its number,
    split into parts with a legend when the breakdown has series. Screen readers get the title
    and description here and the figures from the table beside."""
    chart_id = f"chart-{breakdown.key}"
    series = breakdown.series
    offset = PADDING + LEGEND_HEIGHT if series else PADDING
    height = offset + PADDING + ROW_HEIGHT * max(len(breakdown.rows), 1)
    scale = BAR_AREA / breakdown.largest if breakdown.largest else 0
    split = f", each bar split into {_series_words(series)}" if series else ""
    description = (
        f"Horizontal bar chart of {breakdown.total} {breakdown.noun} by "
        f"{breakdown.column.lower()}{split}. The table that follows gives the same numbers."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qc-bar-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'font-family="{FONT}" font-size="16" fill="{TEXT_COLOUR}">',
        f'<title id="{chart_id}-title">{escape(breakdown.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    if series:
        parts.append(_legend(series))
    for i, row in enumerate(breakdown.rows):
        top = offset + i * ROW_HEIGHT
        rects, length = _bar(row, series, top, scale)
        split_data = f' data-parts="{",".join(map(str, row.parts))}"' if series else ""
        parts.append(
            f'<g class="qc-bar" data-label="{escape(row.label)}" data-count="{row.count}"'
            f"{split_data}>"
            f'<text x="0" y="{top + LABEL_BASELINE}">{escape(row.label)}</text>'
            f"{rects}"
            f'<text x="{length + 6}" y="{top + BAR_TOP + BAR_HEIGHT - 3}" '
            f'font-weight="bold">{row.count}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every interpolated text is escaped above)
