"""Reads for the standards pages, each with its own fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from .enums import VersionStatus
from .models import Criterion, Domain, Standard, StandardVersion


def standard_list():
    """Every standard with its versions, newest first (two queries)."""
    return Standard.objects.prefetch_related(
        Prefetch("versions", queryset=StandardVersion.objects.order_by("-number"))
    ).order_by("name")


def standard_get(slug: str) -> Standard:
    return get_object_or_404(
        Standard.objects.prefetch_related(
            Prefetch(
                "versions",
                queryset=StandardVersion.objects.select_related("published_by").order_by("-number"),
            )
        ),
        slug=slug,
    )


def version_get(slug: str, number: int) -> StandardVersion:
    """A version with its domains, criteria and levels (four queries), or 404."""
    return get_object_or_404(
        StandardVersion.objects.select_related(
            "standard", "published_by", "created_from", "created_by"
        ).prefetch_related(
            Prefetch("domains", queryset=Domain.objects.order_by("position", "id")),
            Prefetch("criteria", queryset=Criterion.objects.order_by("position", "id")),
            "levels",
        ),
        standard__slug=slug,
        number=number,
    )


def version_current(standard: Standard) -> StandardVersion | None:
    """The latest published version of a standard, which new cases use."""
    return standard.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


@dataclass
class DomainOutline:
    domain: Domain | None
    criteria: list[Criterion]


def version_outline(version: StandardVersion) -> list[DomainOutline]:
    """The version's domains in order, each with its criteria in order, and last (when there
    are any) the criteria without a domain. Uses only what `version_get` prefetched."""
    criteria = list(version.criteria.all())
    outline = [
        DomainOutline(domain, [c for c in criteria if c.domain_id == domain.pk])
        for domain in version.domains.all()
    ]
    orphans = [c for c in criteria if c.domain_id is None]
    if orphans:
        outline.append(DomainOutline(None, orphans))
    return outline
