"""Staff CSV downloads, one way for the whole site.

Every export does two things in its view, in this order:

    export_record(actor=request.user, action="exchange_round.export_proposals",
                  permission="exchange.manage_rounds", filters=filters, row_count=qs.count(),
                  target=round_)
    return csv_response(filename_parts=["exchange", "2026", "proposals"], filters=filters,
                        header=HEADER, rows=rows_of(qs))

`export_record` checks the export's permission again (the view's mixin answered 404 already;
this holds for any other caller) and writes the audit row (who, which export, which filters, how
many rows);
`csv_response` streams the file. The file:

- is UTF-8 with a byte-order mark, so spreadsheets read names with accents correctly;
- has every cell, header included, made safe by `safe_cell`: a cell a spreadsheet would run as
  a formula (starting = + - @, a tab or a carriage return) gets a leading apostrophe;
- is named for the query that produced it: the parts, then each filter's name and values, then
  today's date, slugged to lower-case letters, digits and hyphens and held to `NAME_LIMIT`
  characters (`exchange-2026-proposals-stage-funded-q-safety-2026-12-07.csv`), so every file
  system accepts it and two downloads of different queries do not overwrite each other;
- is never cached (`Cache-Control: no-store`).

`rows` is iterated while the response streams, so a queryset read with `.iterator()` keeps
memory flat whatever its size. Cells may be any value; None is an empty cell."""

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.db import models
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

from qcommunity.audit.services import audit_record

from .errors import require_perm

# A spreadsheet runs a cell starting with one of these as a formula (or, for a tab or carriage
# return, strips it and then runs what follows). The full-width forms are read as the same
# characters by spreadsheets in some locales.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
# Long enough for a few filters, short enough for every file system and for a person to read;
# the date and ".csv" come on top.
NAME_LIMIT = 100
FilterValue = str | int | Sequence[str | int] | None


def safe_cell(value: object) -> str:
    """`value` as text a spreadsheet shows as it is: a leading apostrophe stops a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _values(value: FilterValue) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str | int):
        return [str(value)]
    return [str(v) for v in value if v not in (None, "")]


def _slug(word: object) -> str:
    """Lower-case ASCII letters, digits and single hyphens (accents dropped, "_" a hyphen)."""
    return slugify(str(word).replace("_", "-"))


def export_filename(
    parts: Sequence[str], filters: Mapping[str, FilterValue] | None = None, *, on=None
) -> str:
    """The file name for an export: `parts`, then each filter that has a value (its name, then
    its values), then the date (`on`, by default today), slugged and bounded (module docstring).
    A name cut short ends at a whole word."""
    words = [_slug(part) for part in parts]
    for name, value in (filters or {}).items():
        if chosen := [s for s in map(_slug, _values(value)) if s]:
            words += [_slug(name), *chosen]
    slug = "-".join(w for w in words if w) or "export"
    if len(slug) > NAME_LIMIT:
        cut = slug[: NAME_LIMIT + 1]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut else cut)[:NAME_LIMIT]
    return f"{slug}-{(on or timezone.localdate()).isoformat()}.csv"


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def _lines(header: Sequence[object], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_response(
    *,
    filename_parts: Sequence[str],
    header: Sequence[object],
    rows: Iterable[Iterable[object]],
    filters: Mapping[str, FilterValue] | None = None,
) -> StreamingHttpResponse:
    """A download of `header` then `rows`, formula-safe, UTF-8 with a BOM, named by
    `export_filename(filename_parts, filters)`. Record it with `export_record` first."""
    response = StreamingHttpResponse(_lines(header, rows), content_type=CONTENT_TYPE)
    name = export_filename(filename_parts, filters)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def export_record(
    *,
    actor: Any,
    action: str,
    permission: str,
    filters: Mapping[str, FilterValue],
    row_count: int,
    target: models.Model | None = None,
) -> None:
    """Audit one download: `actor` (who), `action` (which export, such as
    "exchange_round.export_proposals"), the filters that took effect and the number of rows, with
    `target` (a round, say) so it shows in that object's trail. Refuses (`ServiceError`) unless
    `actor` has `permission` (on `target`). Called by the view before the file streams."""
    require_perm(actor, permission, target)
    audit_record(
        actor=actor,
        action=action,
        target=target,
        data={
            "filters": {name: value for name, value in filters.items() if _values(value)},
            "rows": row_count,
        },
    )
