"""The demo standard: published, complete, every scope used, and seeded once."""

import pytest

from accreditation.demo import seed_standards
from accreditation.standards.enums import Scope
from accreditation.standards.models import StandardVersion
from accreditation.standards.services import version_problems
from qcommunity.core.demo import seed_accounts

pytestmark = pytest.mark.django_db


def test_the_demo_standard_is_published_with_a_draft_waiting():
    seed_accounts()
    assert seed_standards() == 1
    assert seed_standards() == 0
    published, draft = StandardVersion.objects.order_by("number")
    assert (published.status, draft.status, draft.created_from) == ("published", "draft", published)
    assert published.domains.count() == 6
    criteria = list(published.criteria.all())
    assert len(criteria) == 30
    assert {s for c in criteria for s in c.scopes} == set(Scope.values)
    assert 8 <= sum(c.is_minimum for c in criteria) <= 15
    assert list(published.levels.values_list("name", "minimum_only")) == [
        ("Foundation", True),
        ("Quality Mark", False),
    ]
    assert published.published_by.email == "coordinator@demo.q.example"
    assert version_problems(draft) == []
