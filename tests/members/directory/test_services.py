import pytest

from members.directory.services import profile_confirm_up_to_date
from qcommunity.audit.models import AuditEntry
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db


def test_confirming_an_entry_sets_the_date_and_is_audited():
    profile = ProfileFactory()
    assert profile.confirmed_at is None
    profile_confirm_up_to_date(profile=profile, actor=profile.user)
    profile.refresh_from_db()
    assert profile.confirmed_at is not None
    entry = AuditEntry.objects.get(action="profile.confirm")
    assert entry.actor == profile.user
    assert entry.target_id == str(profile.pk)
