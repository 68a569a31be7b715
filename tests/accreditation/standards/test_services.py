"""The standards' services: drafting, editing, publishing, and every refusal writing nothing."""

import pytest

from accreditation.standards import services
from accreditation.standards.models import Criterion, Domain, Level, StandardVersion
from accreditation.standards.services import StandardsError
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from tests.factories.accounts import UserFactory

from ..conftest import build_draft

pytestmark = pytest.mark.django_db


def _codes(version) -> list[str]:
    return list(version.criteria.order_by("position").values_list("code", flat=True))


def test_publishing_records_who_when_and_what_changed(coordinator, draft):
    services.version_publish(actor=coordinator, version=draft, change_summary="  First.  ")
    draft.refresh_from_db()
    assert (draft.status, draft.change_summary, draft.published_by) == (
        "published",
        "First.",
        coordinator,
    )
    assert draft.published_at is not None
    entry = AuditEntry.objects.get(action="standard_version.publish")
    assert entry.actor == coordinator
    assert entry.data == {"number": 1, "change_summary": "First."}


def test_a_copy_of_the_current_version_has_the_same_content_and_remembers_its_source(
    coordinator, published
):
    copy = services.version_draft(actor=coordinator, standard=published.standard, copy_current=True)
    assert (copy.number, copy.status, copy.created_from) == (2, "draft", published)
    assert _codes(copy) == _codes(published) == ["C1", "C2", "C3"]
    assert [(c.domain.code, c.domain.version_id) for c in copy.criteria.order_by("position")] == [
        ("D1", copy.pk),
        ("D2", copy.pk),
        ("D1", copy.pk),
    ]
    assert list(copy.levels.values_list("name", "minimum_only")) == [
        ("Entry", True),
        ("Quality Mark", False),
    ]
    assert copy.criteria.get(code="C1").is_minimum


def test_an_empty_draft_has_nothing_in_it(coordinator, published):
    empty = services.version_draft(
        actor=coordinator, standard=published.standard, copy_current=False
    )
    assert (empty.number, empty.created_from) == (2, None)
    assert not empty.domains.exists()
    assert not empty.criteria.exists()


def test_only_one_draft_at_a_time(coordinator, draft):
    with pytest.raises(StandardsError, match="Version 1 is already a draft"):
        services.version_draft(actor=coordinator, standard=draft.standard, copy_current=False)
    assert StandardVersion.objects.count() == 1


def test_copying_needs_a_published_version(coordinator):
    standard = services.standard_create(actor=coordinator, name="New", slug="new")
    with pytest.raises(StandardsError, match="no published version to copy") as caught:
        services.version_draft(actor=coordinator, standard=standard, copy_current=True)
    assert caught.value.errors == {"source": "There is no published version to copy yet."}
    assert not standard.versions.exists()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda c, v: None, "Say what changed"),
        (
            lambda c, v: services.domain_remove(actor=c, domain=v.domains.get(code="D2")),
            "Give these criteria a domain: C2.",
        ),
        (
            lambda c, v: services.criterion_update(
                actor=c,
                criterion=v.criteria.get(code="C1"),
                domain=v.domains.get(code="D1"),
                code="C1",
                text="x",
                guidance="",
                evidence_examples="",
                is_minimum=False,
                scopes=["provider"],
            ),
            "no criterion is a minimum requirement",
        ),
        (
            lambda c, v: [services.level_remove(actor=c, level=lv) for lv in v.levels.all()],
            "Add at least one level.",
        ),
    ],
)
def test_an_incomplete_draft_is_not_published_and_nothing_changes(
    coordinator, draft, spoil, message
):
    spoil(coordinator, draft)
    summary = "" if message == "Say what changed" else "Changes."
    before = AuditEntry.objects.count()
    with pytest.raises(StandardsError, match=message):
        services.version_publish(actor=coordinator, version=draft, change_summary=summary)
    draft.refresh_from_db()
    assert (draft.status, draft.published_at, draft.change_summary) == ("draft", None, "")
    assert AuditEntry.objects.count() == before


def test_an_empty_draft_lists_everything_missing(coordinator):
    standard = services.standard_create(actor=coordinator, name="New", slug="new")
    version = services.version_draft(actor=coordinator, standard=standard, copy_current=False)
    assert services.version_problems(version) == [
        "Add at least one domain.",
        "Add at least one criterion.",
        "Add at least one level.",
    ]


def test_every_edit_of_a_published_version_is_refused_with_the_reason(coordinator, published):
    domain = published.domains.first()
    criterion = published.criteria.first()
    level = published.levels.first()
    attempts = [
        lambda: services.domain_add(actor=coordinator, version=published, code="D9", title="x"),
        lambda: services.domain_update(actor=coordinator, domain=domain, code="D1", title="x"),
        lambda: services.domain_remove(actor=coordinator, domain=domain),
        lambda: services.criterion_add(
            actor=coordinator,
            version=published,
            domain=domain,
            code="C9",
            text="x",
            scopes=["provider"],
        ),
        lambda: services.criterion_remove(actor=coordinator, criterion=criterion),
        lambda: services.level_update(
            actor=coordinator, level=level, name="x", description="", minimum_only=False
        ),
        lambda: services.part_move(actor=coordinator, part=criterion, up=False),
        lambda: services.version_discard(actor=coordinator, version=published),
        lambda: services.version_publish(actor=coordinator, version=published, change_summary="x"),
    ]
    before = AuditEntry.objects.count()
    for attempt in attempts:
        with pytest.raises(StandardsError, match="Version 1 is published and cannot change"):
            attempt()
    assert AuditEntry.objects.count() == before
    assert _codes(published) == ["C1", "C2", "C3"]


def test_people_without_the_permission_are_refused(draft):
    for person in (UserFactory(roles=[Role.MEMBER]), UserFactory(roles=[Role.ASSESSOR]), None):
        with pytest.raises(StandardsError, match="permission"):
            services.domain_add(actor=person, version=draft, code="D9", title="x")
    assert draft.domains.count() == 2


def test_a_staff_admin_may_keep_standards(draft):
    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    services.level_add(actor=admin, version=draft, name="Bronze")
    assert draft.levels.count() == 3


def _domain_codes(version, code) -> list[str]:
    domain = version.domains.get(code=code)
    return list(domain.criteria.order_by("position").values_list("code", flat=True))


def test_moving_swaps_with_the_neighbour_and_stops_at_the_ends(coordinator, draft):
    assert _domain_codes(draft, "D1") == ["C1", "C3"]
    services.part_move(actor=coordinator, part=draft.criteria.get(code="C3"), up=True)
    assert _domain_codes(draft, "D1") == ["C3", "C1"]
    services.part_move(actor=coordinator, part=draft.criteria.get(code="C3"), up=True)
    assert _domain_codes(draft, "D1") == ["C3", "C1"]
    services.part_move(actor=coordinator, part=draft.criteria.get(code="C2"), up=False)
    assert _domain_codes(draft, "D2") == ["C2"]
    level = draft.levels.get(name="Quality Mark")
    services.part_move(actor=coordinator, part=level, up=True)
    assert list(draft.levels.order_by("position").values_list("name", flat=True)) == [
        "Quality Mark",
        "Entry",
    ]


def test_codes_are_unique_within_a_version_whatever_the_case(coordinator, draft):
    with pytest.raises(StandardsError) as caught:
        services.domain_add(actor=coordinator, version=draft, code="d1", title="Again")
    assert caught.value.errors == {"code": "Use a code not in use."}
    with pytest.raises(StandardsError):
        services.criterion_update(
            actor=coordinator, criterion=draft.criteria.get(code="C2"),
            domain=draft.domains.first(), code="c1", text="x", guidance="",
            evidence_examples="", is_minimum=False, scopes=["provider"],
        )  # fmt: skip
    assert Domain.objects.filter(version=draft).count() == 2


def test_a_criterion_needs_a_scope_and_a_domain_of_its_own_version(coordinator, draft):
    other = build_draft(coordinator, slug="other")
    foreign = other.domains.first()
    with pytest.raises(StandardsError, match="Choose a domain of this version"):
        services.criterion_add(
            actor=coordinator, version=draft, domain=foreign, code="C9", text="x",
            scopes=["provider"],
        )  # fmt: skip
    with pytest.raises(StandardsError, match="at least one scope"):
        services.criterion_add(
            actor=coordinator, version=draft, domain=None, code="C9", text="x", scopes=[]
        )
    assert not Criterion.objects.filter(version=draft, code="C9").exists()


def test_removing_a_domain_keeps_its_criteria_without_one(coordinator, draft):
    left = services.domain_remove(actor=coordinator, domain=draft.domains.get(code="D1"))
    assert left == 2
    assert list(draft.criteria.filter(domain=None).values_list("code", flat=True)) == ["C1", "C3"]


def test_discarding_a_draft_deletes_it_and_its_parts(coordinator, draft):
    services.version_discard(actor=coordinator, version=draft)
    assert not StandardVersion.objects.exists()
    assert not Level.objects.exists()
    assert not Criterion.objects.exists()


def test_changing_a_standards_targets_is_audited(coordinator, draft):
    services.standard_update(
        actor=coordinator, standard=draft.standard, name="SME", description="",
        screening_target_working_days=15, decision_target_days=90,
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="standard.update")
    assert entry.data == {
        "name": {"from": "Self-management education", "to": "SME"},
        "screening_target_working_days": {"from": 10, "to": 15},
        "decision_target_days": {"from": 60, "to": 90},
    }
