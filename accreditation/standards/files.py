"""A version as a file, and back: the CSV and JSON shapes that exports write and imports read.

CSV has one row per domain, criterion and level, in order, each naming its standard (the
`standard` column: its short name) and told apart by the `type` column:
- `domain`: code, title;
- `criterion`: code, domain (its domain's code), text, guidance, evidence_examples,
  minimum_requirement (yes or no), scopes (provider, programme, deliverers, trainers,
  separated by semicolons);
- `level`: title (its name), text (its description), minimum_requirement (yes when the level
  asks only the minimum requirements).

JSON is one object: the standard's slug and name, the version's number, status and change
summary, `domains` (each with its `criteria`) and `levels`."""

from .enums import Scope
from .models import StandardVersion
from .selectors import version_outline

CSV_HEADER = (
    "standard",
    "type",
    "code",
    "title",
    "domain",
    "text",
    "guidance",
    "evidence_examples",
    "minimum_requirement",
    "scopes",
)
SCOPE_SEPARATOR = "; "


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def version_csv_rows(version: StandardVersion) -> list[list[str]]:
    """The version's rows for CSV_HEADER, from what `version_get` prefetched."""
    rows = []
    slug = version.standard.slug
    for part in version_outline(version):
        if part.domain is not None:
            rows.append(
                [slug, "domain", part.domain.code, part.domain.title, "", "", "", "", "", ""]
            )
        for c in part.criteria:
            rows.append(
                [
                    slug,
                    "criterion",
                    c.code,
                    "",
                    part.domain.code if part.domain else "",
                    c.text,
                    c.guidance,
                    c.evidence_examples,
                    yes_no(c.is_minimum),
                    SCOPE_SEPARATOR.join(c.scopes),
                ]
            )
    for level in version.levels.all():
        rows.append(
            [
                slug,
                "level",
                "",
                level.name,
                "",
                level.description,
                "",
                "",
                yes_no(level.minimum_only),
                "",
            ]
        )
    return rows


def version_document(version: StandardVersion) -> dict:
    """The version as one JSON-ready object, from what `version_get` prefetched."""
    return {
        "standard": version.standard.slug,
        "name": version.standard.name,
        "version": version.number,
        "status": version.status,
        "change_summary": version.change_summary,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "domains": [
            {
                "code": part.domain.code if part.domain else "",
                "title": part.domain.title if part.domain else "",
                "criteria": [
                    {
                        "code": c.code,
                        "text": c.text,
                        "guidance": c.guidance,
                        "evidence_examples": c.evidence_examples,
                        "minimum_requirement": c.is_minimum,
                        "scopes": list(c.scopes),
                    }
                    for c in part.criteria
                ],
            }
            for part in version_outline(version)
        ],
        "levels": [
            {
                "name": level.name,
                "description": level.description,
                "minimum_only": level.minimum_only,
            }
            for level in version.levels.all()
        ],
    }


SCOPE_NAMES = {
    **{value: value for value in Scope.values},
    **{label.lower(): value for value, label in Scope.choices},
    "trainers": Scope.TRAINERS,
}
