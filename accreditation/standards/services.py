"""Every write to the standards: a standard, its draft versions and their domains, criteria and
levels, and publishing. Each service takes the acting person first, checks
`accreditation.manage_standards`, runs in one transaction and writes an audit row. A published
version is never changed: services refuse with a `StandardsError` before the database trigger
would (migration 0002)."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import ServiceError, require_perm

from .enums import Scope, VersionStatus
from .models import Criterion, Domain, Level, Standard, StandardVersion
from .selectors import version_current

PERMISSION = "accreditation.manage_standards"
PUBLISHED_MESSAGE = (
    "Version {number} is published and cannot change. Draft a new version to make changes."
)


class StandardsError(ServiceError):
    """A standards service refused (see `ServiceError`)."""


def _locked_draft(version: StandardVersion) -> StandardVersion:
    """The version's row, locked, if it is still a draft; StandardsError otherwise."""
    locked = StandardVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise StandardsError(PUBLISHED_MESSAGE.format(number=locked.number))
    return locked


def _changes(obj, values: dict) -> dict:
    """Set `values` on `obj`; the audit's record of what changed ({field: {from, to}})."""
    changes = {}
    for name, value in values.items():
        before = getattr(obj, name)
        if before != value:
            changes[name] = {
                "from": before.code if isinstance(before, Domain) else before,
                "to": value.code if isinstance(value, Domain) else value,
            }
            setattr(obj, name, value)
    return changes


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


# Standards --------------------------------------------------------------------------------


@transaction.atomic
def standard_create(
    *,
    actor: Any,
    name: str,
    slug: str,
    description: str = "",
    screening_target_working_days: int = 10,
    decision_target_days: int = 60,
) -> Standard:
    """A new standard with no versions yet. The slug (its address) must be free."""
    require_perm(actor, PERMISSION, error=StandardsError)
    if Standard.objects.filter(slug=slug).exists():
        raise StandardsError(
            "Another standard has that short name.", {"slug": "Choose a short name not in use."}
        )
    standard = Standard.objects.create(
        name=name,
        slug=slug,
        description=description,
        screening_target_working_days=screening_target_working_days,
        decision_target_days=decision_target_days,
    )
    audit_record(actor=actor, action="standard.create", target=standard, data={"slug": slug})
    return standard


@transaction.atomic
def standard_update(
    *,
    actor: Any,
    standard: Standard,
    name: str,
    description: str,
    screening_target_working_days: int,
    decision_target_days: int,
) -> Standard:
    """Change a standard's name, description and targets (its versions keep their content)."""
    require_perm(actor, PERMISSION, error=StandardsError)
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    changes = _changes(
        standard,
        {
            "name": name,
            "description": description,
            "screening_target_working_days": screening_target_working_days,
            "decision_target_days": decision_target_days,
        },
    )
    if changes:
        standard.save(update_fields=list(changes))
        audit_record(actor=actor, action="standard.update", target=standard, data=changes)
    return standard


# Versions ---------------------------------------------------------------------------------


def _copy_content(source: StandardVersion, target: StandardVersion) -> None:
    domains = {}
    for domain in source.domains.all():
        domains[domain.pk] = Domain.objects.create(
            version=target, code=domain.code, title=domain.title, position=domain.position
        )
    Criterion.objects.bulk_create(
        Criterion(
            version=target,
            domain=domains.get(c.domain_id),
            code=c.code,
            text=c.text,
            guidance=c.guidance,
            evidence_examples=c.evidence_examples,
            is_minimum=c.is_minimum,
            scopes=list(c.scopes),
            position=c.position,
        )
        for c in source.criteria.all()
    )
    Level.objects.bulk_create(
        Level(
            version=target,
            name=level.name,
            description=level.description,
            minimum_only=level.minimum_only,
            position=level.position,
        )
        for level in source.levels.all()
    )


@transaction.atomic
def version_draft(*, actor: Any, standard: Standard, copy_current: bool) -> StandardVersion:
    """A new draft version, numbered after the last one: empty, or a copy of the current
    published version. Refused while the standard has a draft (one at a time)."""
    require_perm(actor, PERMISSION, error=StandardsError)
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    draft = standard.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise StandardsError(
            f"Version {draft.number} is already a draft. Publish it or carry on editing it."
        )
    source = version_current(standard) if copy_current else None
    if copy_current and source is None:
        raise StandardsError(
            "There is no published version to copy yet. Start from an empty version.",
            {"source": "There is no published version to copy yet."},
        )
    number = (standard.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = StandardVersion.objects.create(
        standard=standard, number=number, created_from=source, created_by=actor
    )
    if source is not None:
        _copy_content(source, version)
    audit_record(
        actor=actor,
        action="standard_version.draft",
        target=version,
        data={"number": number, "copied_from": source.number if source else None},
    )
    return version


@transaction.atomic
def version_discard(*, actor: Any, version: StandardVersion) -> None:
    """Delete a draft version and everything in it. A published version cannot be deleted."""
    require_perm(actor, PERMISSION, error=StandardsError)
    version = _locked_draft(version)
    audit_record(
        actor=actor,
        action="standard_version.discard",
        target=version.standard,
        data={"number": version.number},
    )
    version.delete()


def version_problems(version: StandardVersion) -> list[str]:
    """What stops a draft being published, in words for the person (empty when none)."""
    domains = list(version.domains.all())
    criteria = list(version.criteria.all())
    levels = list(version.levels.all())
    problems = []
    if not domains:
        problems.append("Add at least one domain.")
    if not criteria:
        problems.append("Add at least one criterion.")
    if not levels:
        problems.append("Add at least one level.")
    without_domain = [c.code for c in criteria if c.domain_id is None]
    if without_domain:
        problems.append(f"Give these criteria a domain: {', '.join(without_domain)}.")
    without_scope = [c.code for c in criteria if not c.scopes]
    if without_scope:
        problems.append(f"Give these criteria at least one scope: {', '.join(without_scope)}.")
    empty_domains = [d.code for d in domains if not any(c.domain_id == d.pk for c in criteria)]
    if empty_domains:
        problems.append(
            f"Add criteria to these domains or remove them: {', '.join(empty_domains)}."
        )
    if any(lv.minimum_only for lv in levels) and not any(c.is_minimum for c in criteria):
        problems.append(
            "A level asks only the minimum requirements, but no criterion is a minimum requirement."
        )
    return problems


@transaction.atomic
def version_publish(
    *, actor: Any, version: StandardVersion, change_summary: str
) -> StandardVersion:
    """Publish a draft with a summary of what changed. Refused when the summary is empty or the
    draft is incomplete (`version_problems`). From then on the version never changes, and new
    cases use it."""
    require_perm(actor, PERMISSION, error=StandardsError)
    version = _locked_draft(version)
    change_summary = change_summary.strip()
    if not change_summary:
        raise StandardsError(
            "Say what changed in this version.",
            {"change_summary": "Say what changed in this version."},
        )
    if problems := version_problems(version):
        raise StandardsError("This version cannot be published yet. " + " ".join(problems))
    version.status = VersionStatus.PUBLISHED
    version.change_summary = change_summary
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["status", "change_summary", "published_at", "published_by"])
    audit_record(
        actor=actor,
        action="standard_version.publish",
        target=version,
        data={"number": version.number, "change_summary": change_summary},
    )
    return version


# Domains, criteria and levels of a draft ----------------------------------------------------


def _code_taken(model, version: StandardVersion, field: str, value: str, exclude=None) -> bool:
    queryset = model.objects.filter(version=version, **{f"{field}__iexact": value})
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset.exists()


@transaction.atomic
def domain_add(*, actor: Any, version: StandardVersion, code: str, title: str) -> Domain:
    """A domain at the end of a draft's list. Its code is unique within the version."""
    require_perm(actor, PERMISSION, error=StandardsError)
    version = _locked_draft(version)
    if _code_taken(Domain, version, "code", code):
        raise StandardsError("Another domain has that code.", {"code": "Use a code not in use."})
    domain = Domain.objects.create(
        version=version, code=code, title=title, position=_next_position(version.domains)
    )
    audit_record(actor=actor, action="standard_domain.add", target=domain, data={"code": code})
    return domain


@transaction.atomic
def domain_update(*, actor: Any, domain: Domain, code: str, title: str) -> Domain:
    require_perm(actor, PERMISSION, error=StandardsError)
    _locked_draft(domain.version)
    if _code_taken(Domain, domain.version, "code", code, exclude=domain):
        raise StandardsError("Another domain has that code.", {"code": "Use a code not in use."})
    changes = _changes(domain, {"code": code, "title": title})
    if changes:
        domain.save(update_fields=list(changes))
        audit_record(actor=actor, action="standard_domain.update", target=domain, data=changes)
    return domain


@transaction.atomic
def domain_remove(*, actor: Any, domain: Domain) -> int:
    """Remove a domain from a draft. Its criteria stay, without a domain, until they are given
    another (the version cannot be published before). Returns how many criteria that is."""
    require_perm(actor, PERMISSION, error=StandardsError)
    _locked_draft(domain.version)
    orphans = domain.criteria.count()
    audit_record(
        actor=actor,
        action="standard_domain.remove",
        target=domain.version,
        data={"code": domain.code, "title": domain.title, "criteria_left": orphans},
    )
    domain.delete()
    return orphans


def _criterion_fields(
    version: StandardVersion, domain: Domain | None, scopes: Sequence[str]
) -> None:
    if domain is not None and domain.version_id != version.pk:
        raise StandardsError(
            "Choose a domain of this version.", {"domain": "Choose a domain of this version."}
        )
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown or not scopes:
        raise StandardsError("Choose at least one scope.", {"scopes": "Choose at least one scope."})


@transaction.atomic
def criterion_add(
    *,
    actor: Any,
    version: StandardVersion,
    domain: Domain | None,
    code: str,
    text: str,
    guidance: str = "",
    evidence_examples: str = "",
    is_minimum: bool = False,
    scopes: Sequence[str],
) -> Criterion:
    """A criterion at the end of a draft's list. Its code is unique within the version."""
    require_perm(actor, PERMISSION, error=StandardsError)
    version = _locked_draft(version)
    _criterion_fields(version, domain, scopes)
    if _code_taken(Criterion, version, "code", code):
        raise StandardsError("Another criterion has that code.", {"code": "Use a code not in use."})
    criterion = Criterion.objects.create(
        version=version,
        domain=domain,
        code=code,
        text=text,
        guidance=guidance,
        evidence_examples=evidence_examples,
        is_minimum=is_minimum,
        scopes=list(scopes),
        position=_next_position(version.criteria),
    )
    audit_record(
        actor=actor, action="standard_criterion.add", target=criterion, data={"code": code}
    )
    return criterion


@transaction.atomic
def criterion_update(
    *,
    actor: Any,
    criterion: Criterion,
    domain: Domain | None,
    code: str,
    text: str,
    guidance: str,
    evidence_examples: str,
    is_minimum: bool,
    scopes: Sequence[str],
) -> Criterion:
    require_perm(actor, PERMISSION, error=StandardsError)
    version = _locked_draft(criterion.version)
    _criterion_fields(version, domain, scopes)
    if _code_taken(Criterion, version, "code", code, exclude=criterion):
        raise StandardsError("Another criterion has that code.", {"code": "Use a code not in use."})
    changes = _changes(
        criterion,
        {
            "domain": domain,
            "code": code,
            "text": text,
            "guidance": guidance,
            "evidence_examples": evidence_examples,
            "is_minimum": is_minimum,
            "scopes": list(scopes),
        },
    )
    if changes:
        criterion.save(update_fields=list(changes))
        audit_record(
            actor=actor, action="standard_criterion.update", target=criterion, data=changes
        )
    return criterion


@transaction.atomic
def criterion_remove(*, actor: Any, criterion: Criterion) -> None:
    require_perm(actor, PERMISSION, error=StandardsError)
    _locked_draft(criterion.version)
    audit_record(
        actor=actor,
        action="standard_criterion.remove",
        target=criterion.version,
        data={"code": criterion.code},
    )
    criterion.delete()


@transaction.atomic
def level_add(
    *,
    actor: Any,
    version: StandardVersion,
    name: str,
    description: str = "",
    minimum_only: bool = False,
) -> Level:
    require_perm(actor, PERMISSION, error=StandardsError)
    version = _locked_draft(version)
    if _code_taken(Level, version, "name", name):
        raise StandardsError("Another level has that name.", {"name": "Use a name not in use."})
    level = Level.objects.create(
        version=version,
        name=name,
        description=description,
        minimum_only=minimum_only,
        position=_next_position(version.levels),
    )
    audit_record(actor=actor, action="standard_level.add", target=level, data={"name": name})
    return level


@transaction.atomic
def level_update(
    *, actor: Any, level: Level, name: str, description: str, minimum_only: bool
) -> Level:
    require_perm(actor, PERMISSION, error=StandardsError)
    _locked_draft(level.version)
    if _code_taken(Level, level.version, "name", name, exclude=level):
        raise StandardsError("Another level has that name.", {"name": "Use a name not in use."})
    changes = _changes(
        level, {"name": name, "description": description, "minimum_only": minimum_only}
    )
    if changes:
        level.save(update_fields=list(changes))
        audit_record(actor=actor, action="standard_level.update", target=level, data=changes)
    return level


@transaction.atomic
def level_remove(*, actor: Any, level: Level) -> None:
    require_perm(actor, PERMISSION, error=StandardsError)
    _locked_draft(level.version)
    audit_record(
        actor=actor,
        action="standard_level.remove",
        target=level.version,
        data={"name": level.name},
    )
    level.delete()


@transaction.atomic
def part_move(*, actor: Any, part: Domain | Criterion | Level, up: bool) -> None:
    """Swap a domain, criterion or level with its neighbour above (`up`) or below in the
    draft's order (a criterion's neighbours are those of its domain). At the top (or bottom)
    already, nothing changes."""
    require_perm(actor, PERMISSION, error=StandardsError)
    version = _locked_draft(part.version)
    siblings = type(part).objects.filter(version=version)
    if isinstance(part, Criterion):  # criteria are ordered within their domain
        siblings = siblings.filter(domain_id=part.domain_id)
    siblings = list(siblings.order_by("position", "id"))
    index = next(i for i, s in enumerate(siblings) if s.pk == part.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    audit_record(
        actor=actor,
        action=f"standard_{type(part).__name__.lower()}.move",
        target=part,
        data={"up": up, "position": other + 1},
    )
