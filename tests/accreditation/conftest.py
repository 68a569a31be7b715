"""Fixtures for the Quality Mark's tests: a coordinator (with two-factor set up, as the role
requires) and standards built through the real services."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from accreditation.standards import services
from qcommunity.accounts.enums import Role
from tests.conftest import TOTP_SECRET
from tests.factories.accounts import UserFactory


@pytest.fixture
def coordinator(db):
    person = UserFactory(roles=[Role.ACCREDITATION_COORDINATOR])
    TOTP.activate(person, TOTP_SECRET)
    return person


def build_draft(actor, *, slug="self-management", criteria=3):
    """A standard with a draft version 1: two domains, `criteria` criteria (the first a
    minimum requirement) and two levels."""
    standard = services.standard_create(actor=actor, name="Self-management education", slug=slug)
    version = services.version_draft(actor=actor, standard=standard, copy_current=False)
    d1 = services.domain_add(actor=actor, version=version, code="D1", title="Leadership")
    d2 = services.domain_add(actor=actor, version=version, code="D2", title="Delivery")
    for n in range(criteria):
        services.criterion_add(
            actor=actor,
            version=version,
            domain=d1 if n % 2 == 0 else d2,
            code=f"C{n + 1}",
            text=f"Criterion number {n + 1}",
            guidance="What good looks like.",
            evidence_examples="Minutes of meetings.",
            is_minimum=n == 0,
            scopes=["provider", "programme"],
        )
    services.level_add(
        actor=actor, version=version, name="Entry", description="Minimums.", minimum_only=True
    )
    services.level_add(actor=actor, version=version, name="Quality Mark", description="All.")
    return version


@pytest.fixture
def draft(coordinator):
    return build_draft(coordinator)


@pytest.fixture
def published(coordinator, draft):
    return services.version_publish(
        actor=coordinator, version=draft, change_summary="The first version."
    )
