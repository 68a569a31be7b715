"""A version of a Quality Mark standard: the import kind (`qcommunity.imports.kinds.ImportKind`).

Coordinators keep standards in spreadsheets. A file in the shape the version pages download
(`accreditation.standards.files`: CSV with a row per domain, criterion and level, or the JSON
document) becomes a new draft version of the standard it names, through the standards'
services, so it is checked, audited and published like any other draft. The draft is keyed by
the standard and a digest of the file's content, so importing the same file twice makes one
draft. Refused while the standard already has a draft. Nothing is sent."""

import hashlib
import json
from dataclasses import dataclass, field

from django.urls import reverse

from qcommunity.imports.enums import FileFormat
from qcommunity.imports.kinds import (
    ApplyContext,
    ImportFileError,
    ImportKind,
    PlanItem,
    RowError,
    read_csv,
    read_json,
)

from ..standards import services
from ..standards.enums import Scope, VersionStatus
from ..standards.files import CSV_HEADER, SCOPE_NAMES
from ..standards.models import Standard

KEY = "standard-version"
YES = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False, "": False}
LIMITS = {"code": 20, "title": 200, "name": 200, "text": 2000}


@dataclass
class Parsed:
    """A file's content, each part with where it is in the file."""

    standards: set[str] = field(default_factory=set)
    domains: list[dict] = field(default_factory=list)
    criteria: list[dict] = field(default_factory=list)
    levels: list[dict] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)

    def digest(self) -> str:
        content = json.dumps(
            [
                [{k: v for k, v in d.items() if k != "where"} for d in self.domains],
                [{k: v for k, v in c.items() if k != "where"} for c in self.criteria],
                [{k: v for k, v in lv.items() if k != "where"} for lv in self.levels],
            ],
            sort_keys=True,
        )
        return hashlib.sha256(content.encode()).hexdigest()[:16]


def _flag(value, where: str, name: str, parsed: Parsed) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text not in YES:
        parsed.problems.append(RowError(where, f"“{name}” must be yes or no."))
        return False
    return YES[text]


def _scopes(value, where: str, parsed: Parsed) -> list[str]:
    words = value if isinstance(value, list) else str(value or "").replace(",", ";").split(";")
    scopes = []
    for word in (str(w).strip().lower() for w in words):
        if not word:
            continue
        if word not in SCOPE_NAMES:
            parsed.problems.append(
                RowError(
                    where,
                    f"“{word}” is not a scope: use provider, programme, deliverers or trainers.",
                )
            )
            continue
        scopes.append(str(SCOPE_NAMES[word]))
    return scopes


def _criterion(values: dict, domain: str, where: str, parsed: Parsed) -> dict:
    return {
        "code": str(values.get("code") or "").strip(),
        "domain": domain,
        "text": str(values.get("text") or "").strip(),
        "guidance": str(values.get("guidance") or "").strip(),
        "evidence_examples": str(values.get("evidence_examples") or "").strip(),
        "is_minimum": _flag(
            values.get("minimum_requirement"), where, "minimum_requirement", parsed
        ),
        "scopes": _scopes(values.get("scopes"), where, parsed),
        "where": where,
    }


def _from_csv(data: bytes) -> Parsed:
    parsed = Parsed()
    for row in read_csv(data, required=("standard", "type", "code"), optional=CSV_HEADER[3:]):
        where = f"Row {row.number}"
        if not row.values:
            parsed.problems.append(
                RowError(where, "The row does not have one value for each column.")
            )
            continue
        v = row.values
        parsed.standards.add(v["standard"].strip())
        kind = v["type"].strip().lower()
        if kind == "domain":
            parsed.domains.append({"code": v["code"], "title": v.get("title", ""), "where": where})
        elif kind == "criterion":
            parsed.criteria.append(_criterion(v, v.get("domain", "").strip(), where, parsed))
        elif kind == "level":
            parsed.levels.append(
                {
                    "name": v.get("title", ""),
                    "description": v.get("text", ""),
                    "minimum_only": _flag(
                        v.get("minimum_requirement"), where, "minimum_requirement", parsed
                    ),
                    "where": where,
                }
            )
        else:
            parsed.problems.append(RowError(where, "“type” must be domain, criterion or level."))
    return parsed


def _from_json(data: bytes) -> Parsed:
    document = read_json(data)
    if not isinstance(document, dict) or not isinstance(document.get("domains"), list):
        raise ImportFileError(
            "The file must be one JSON object with the standard's short name, its domains "
            "(each with its criteria) and its levels, as the version page downloads it."
        )
    parsed = Parsed()
    parsed.standards.add(str(document.get("standard") or "").strip())
    for d_number, domain in enumerate(document["domains"], start=1):
        where = f"Domain {d_number}"
        if not isinstance(domain, dict):
            parsed.problems.append(RowError(where, "A domain must be an object."))
            continue
        code = str(domain.get("code") or "").strip()
        parsed.domains.append(
            {"code": code, "title": str(domain.get("title") or "").strip(), "where": where}
        )
        for c_number, criterion in enumerate(domain.get("criteria") or [], start=1):
            c_where = f"{where}, criterion {c_number}"
            if not isinstance(criterion, dict):
                parsed.problems.append(RowError(c_where, "A criterion must be an object."))
                continue
            parsed.criteria.append(_criterion(criterion, code, c_where, parsed))
    for number, level in enumerate(document.get("levels") or [], start=1):
        where = f"Level {number}"
        if not isinstance(level, dict):
            parsed.problems.append(RowError(where, "A level must be an object."))
            continue
        parsed.levels.append(
            {
                "name": str(level.get("name") or "").strip(),
                "description": str(level.get("description") or "").strip(),
                "minimum_only": _flag(level.get("minimum_only"), where, "minimum_only", parsed),
                "where": where,
            }
        )
    return parsed


def _duplicates(items: list[dict], key: str, noun: str) -> list[RowError]:
    seen: dict[str, str] = {}
    errors = []
    for item in items:
        value = item[key].lower()
        if value and value in seen:
            errors.append(RowError(item["where"], f"The same {noun} as {seen[value]}."))
        seen.setdefault(value, item["where"])
    return errors


class StandardVersionImport(ImportKind):
    key = KEY
    label = "A version of a Quality Mark standard"
    description = (
        "A standard's domains, criteria and levels, from a spreadsheet saved as CSV or from "
        "the JSON a version page downloads. They become a new draft version of the standard, "
        "for coordinators to check and publish."
    )
    guide = (
        "Download a version as CSV from its page to see the columns: standard (its short "
        "name), type (domain, criterion or level), code, title, domain, text, guidance, "
        "evidence_examples, minimum_requirement (yes or no) and scopes (provider, programme, "
        "deliverers, trainers, separated by semicolons). A level's name goes in title and its "
        "description in text. The standard must exist and have no draft version."
    )
    formats = (FileFormat.CSV, FileFormat.JSON)
    types = ("Version", "Domain", "Criterion", "Level")
    order = 50

    def parse(self, data: bytes, file_format: str) -> Parsed:
        return _from_csv(data) if file_format == FileFormat.CSV else _from_json(data)

    def validate(self, rows: Parsed) -> list[RowError]:
        errors = list(rows.problems)
        standards = {s for s in rows.standards if s}
        if len(standards) != 1:
            errors.append(
                RowError("The file", "Name one standard, by its short name, on every row.")
            )
        else:
            standard = Standard.objects.filter(slug=next(iter(standards))).first()
            if standard is None:
                errors.append(
                    RowError("The file", f"There is no standard “{next(iter(standards))}”.")
                )
            elif draft := standard.versions.filter(status=VersionStatus.DRAFT).first():
                errors.append(
                    RowError(
                        "The file",
                        f"{standard.name} already has a draft, version {draft.number}. Publish "
                        "or delete it before importing another.",
                    )
                )
        if not rows.domains or not rows.criteria:
            errors.append(RowError("The file", "The file needs at least one domain and criterion."))
        codes = {d["code"].lower() for d in rows.domains}
        for domain in rows.domains:
            if not domain["code"] or not domain["title"]:
                errors.append(RowError(domain["where"], "Give the domain a code and a title."))
        for criterion in rows.criteria:
            where = criterion["where"]
            if not criterion["code"] or not criterion["text"]:
                errors.append(RowError(where, "Give the criterion a code and its text."))
            if criterion["domain"].lower() not in codes:
                errors.append(
                    RowError(where, f"“{criterion['domain']}” is not a domain in the file.")
                )
            if not criterion["scopes"]:
                errors.append(RowError(where, "Give the criterion at least one scope."))
        for level in rows.levels:
            if not level["name"]:
                errors.append(RowError(level["where"], "Give the level a name."))
        for item in rows.domains + rows.criteria + rows.levels:
            for name, limit in LIMITS.items():
                if len(item.get(name, "")) > limit:
                    errors.append(
                        RowError(item["where"], f"“{name}” must be {limit} characters or fewer.")
                    )
        errors += _duplicates(rows.domains, "code", "domain code")
        errors += _duplicates(rows.criteria, "code", "criterion code")
        errors += _duplicates(rows.levels, "name", "level name")
        return errors

    def _version_key(self, rows: Parsed) -> str:
        return f"{next(iter(rows.standards))}:{rows.digest()}"

    def plan(self, rows: Parsed) -> list[PlanItem]:
        base = self._version_key(rows)
        slug = next(iter(rows.standards))
        items = [PlanItem("Version", f"version:{base}", f"A new draft of {slug}")]
        items += [
            PlanItem("Domain", f"domain:{base}:{d['code']}", f"{d['code']} {d['title']}")
            for d in rows.domains
        ]
        items += [
            PlanItem("Criterion", f"criterion:{base}:{c['code']}", f"{c['code']} {c['text'][:80]}")
            for c in rows.criteria
        ]
        items += [PlanItem("Level", f"level:{base}:{lv['name']}", lv["name"]) for lv in rows.levels]
        return items

    def apply(self, rows: Parsed, context: ApplyContext) -> None:
        base = self._version_key(rows)
        if context.recorded_id(f"version:{base}"):
            return
        standard = Standard.objects.get(slug=next(iter(rows.standards)))
        actor = context.actor
        version = services.version_draft(actor=actor, standard=standard, copy_current=False)
        href = reverse(
            "accreditation-staff:version-detail",
            kwargs={"slug": standard.slug, "number": version.number},
        )
        context.made(
            kind_of="Version", key=f"version:{base}", obj=version, label=str(version), href=href
        )
        domains = {}
        for d in rows.domains:
            domain = services.domain_add(
                actor=actor, version=version, code=d["code"], title=d["title"]
            )
            domains[d["code"].lower()] = domain
            context.made(kind_of="Domain", key=f"domain:{base}:{d['code']}", obj=domain)
        for c in rows.criteria:
            criterion = services.criterion_add(
                actor=actor,
                version=version,
                domain=domains[c["domain"].lower()],
                code=c["code"],
                text=c["text"],
                guidance=c["guidance"],
                evidence_examples=c["evidence_examples"],
                is_minimum=c["is_minimum"],
                scopes=[Scope(s) for s in c["scopes"]],
            )
            context.made(kind_of="Criterion", key=f"criterion:{base}:{c['code']}", obj=criterion)
        for lv in rows.levels:
            level = services.level_add(
                actor=actor,
                version=version,
                name=lv["name"],
                description=lv["description"],
                minimum_only=lv["minimum_only"],
            )
            context.made(kind_of="Level", key=f"level:{base}:{lv['name']}", obj=level)
