"""The database refuses every change to a published version and its parts (migration 0002),
by raw SQL and through the ORM, while a draft stays free to change."""

import pytest
from django.db import IntegrityError, connection, transaction

from accreditation.standards.models import Criterion, Domain, Level, StandardVersion

pytestmark = pytest.mark.django_db


def _refused(action) -> str:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        action()
    return str(caught.value)


def _sql(statement: str, params=()):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)

    return run


def test_raw_update_and_delete_of_a_published_version_are_refused(published):
    message = _refused(
        _sql(
            "UPDATE accreditation_standardversion SET change_summary = 'x' WHERE id = %s",
            [published.pk],
        )
    )
    assert "is published and cannot change" in message
    _refused(_sql("DELETE FROM accreditation_standardversion WHERE id = %s", [published.pk]))
    _refused(
        _sql(
            "UPDATE accreditation_standardversion SET status = 'draft' WHERE id = %s",
            [published.pk],
        )
    )
    published.refresh_from_db()
    assert published.change_summary == "The first version."
    assert published.status == "published"


@pytest.mark.parametrize("table", ["domain", "criterion", "level"])
def test_raw_changes_to_a_published_versions_parts_are_refused(published, table):
    column = {"domain": "title", "criterion": "text", "level": "name"}[table]
    message = _refused(
        _sql(
            f"UPDATE accreditation_{table} SET {column} = 'x' WHERE version_id = %s", [published.pk]
        )
    )
    assert f"The accreditation_{table} of a published standard version cannot change" in message
    _refused(_sql(f"DELETE FROM accreditation_{table} WHERE version_id = %s", [published.pk]))


def test_orm_changes_to_a_published_version_are_refused(published):
    published.change_summary = "Rewritten"
    _refused(lambda: published.save(update_fields=["change_summary"]))
    _refused(lambda: StandardVersion.objects.filter(pk=published.pk).delete())
    criterion = Criterion.objects.filter(version=published).first()
    criterion.text = "Weaker"
    _refused(lambda: criterion.save(update_fields=["text"]))
    _refused(lambda: Level.objects.filter(version=published).update(minimum_only=False))
    _refused(lambda: Domain.objects.filter(version=published).delete())
    assert Criterion.objects.get(pk=criterion.pk).text == "Criterion number 1"


def test_nothing_can_be_added_to_or_moved_into_a_published_version(published, coordinator):
    from accreditation.standards import services

    _refused(lambda: Domain.objects.create(version=published, code="D9", title="Late"))
    _refused(lambda: Level.objects.create(version=published, name="Late"))
    _refused(
        lambda: Criterion.objects.create(
            version=published, code="C9", text="Late", scopes=["provider"]
        )
    )
    draft = services.version_draft(
        actor=coordinator, standard=published.standard, copy_current=False
    )
    loose = Criterion.objects.create(version=draft, code="C9", text="Loose", scopes=["provider"])
    _refused(lambda: Criterion.objects.filter(pk=loose.pk).update(version=published))
    assert Criterion.objects.filter(version=published).count() == 3


def test_a_draft_and_its_parts_change_freely(draft):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accreditation_criterion SET text = 'Changed' WHERE version_id = %s", [draft.pk]
        )
        for table in ("level", "criterion", "domain"):
            cursor.execute(f"DELETE FROM accreditation_{table} WHERE version_id = %s", [draft.pk])
        cursor.execute("DELETE FROM accreditation_standardversion WHERE id = %s", [draft.pk])
    assert not StandardVersion.objects.filter(pk=draft.pk).exists()
