"""The staff CSV export of the directory: which entries and which columns. The file itself
(formula-safe cells, encoding, its name) is `qcommunity.core.exports`'."""

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from qcommunity.core.formatting import uk_date
from qcommunity.core.taxonomy import RoleType

from .enums import Visibility
from .models import Profile

# Staff may see these; email addresses are never exported.
COLUMNS = [
    "Name",
    "Job title",
    "Organisation",
    "Organisation type",
    "Region",
    "Nation",
    "Role types",
    "Topics",
    "Approaches",
    "Can offer",
    "Visibility",
    "Published",
    "Last confirmed up to date",
    "Directory entry",
]
CHUNK = 500
ROLE_LABELS = dict(RoleType.choices)
VISIBILITY_LABELS = {
    Visibility.HIDDEN: "Hidden",
    Visibility.MEMBERS: "Members only",
    Visibility.PUBLIC: "Public",
}


def directory_entry_path(slug: str) -> str:
    """The address of an entry in the directory."""
    return reverse("members:profile-detail", kwargs={"slug": slug})


def export_queryset(qs: QuerySet[Profile]) -> QuerySet[Profile]:
    return (
        qs.select_related("user")
        .prefetch_related("topics", "approaches", "offers")
        .order_by("sort_name", "id")
    )


def _names(items: Iterable) -> str:
    return "; ".join(sorted(item.name for item in items))


def export_rows(qs: QuerySet[Profile]) -> Iterator[list[str]]:
    """One row per entry under `COLUMNS`, read in chunks so memory stays flat."""
    for p in export_queryset(qs).iterator(chunk_size=CHUNK):
        row = [
            p.display_name,
            p.job_title,
            p.organisation,
            p.get_organisation_type_display(),
            p.get_region_display(),
            p.get_nation_display(),
            _role_labels(p),
            _names(p.topics.all()),
            _names(p.approaches.all()),
            _names(p.offers.all()),
            VISIBILITY_LABELS.get(p.visibility, p.visibility),
            uk_date(p.published_at) if p.published_at else "",
            uk_date(p.confirmed_at) if p.confirmed_at else "",
            settings.SITE_URL.rstrip("/") + directory_entry_path(p.slug),
        ]
        yield row


def _role_labels(profile: Profile) -> str:
    return "; ".join(str(ROLE_LABELS.get(value, value)) for value in profile.role_types)
