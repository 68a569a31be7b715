"""What the Quality Mark holds about provider staff, and deleting an account (the organisation
stays); the demo providers."""

import pytest

from accreditation.demo import seed_providers
from accreditation.personal_data import provider_staff_export
from accreditation.providers.enums import StaffRole
from accreditation.providers.models import Organisation, Programme, ProviderStaff
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.core.demo import seed_accounts
from qcommunity.privacy.services import account_delete
from tests.factories.panels import two_factor_user
from tests.factories.providers import make_organisation

pytestmark = pytest.mark.django_db


def test_the_download_lists_the_organisations_and_deleting_keeps_them():
    person = two_factor_user()
    organisation = make_organisation(person, name="Living Well Together")
    second = two_factor_user()
    ProviderStaff.objects.create(organisation=organisation, user=second, role=StaffRole.ADMIN)
    records = provider_staff_export(person)
    assert records[0]["organisation"] == "Living Well Together"
    assert records[0]["role"] == "Admin"
    assert records[1]["organisation"] == "Living Well Together"
    assert "you_registered_it_on" in records[1]

    account_delete(user=person)
    assert not ProviderStaff.objects.filter(user=person).exists()
    assert not User.objects.get(pk=person.pk).has_role(Role.PROVIDER_ADMIN)
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert ProviderStaff.objects.filter(organisation=organisation, user=second).exists()


def test_the_demo_has_ten_providers_of_every_kind_some_waiting():
    seed_accounts()
    assert seed_providers() == 10
    assert seed_providers() == 0  # idempotent
    organisations = Organisation.objects.all()
    assert {o.kind for o in organisations} == {
        "charity", "nhs_body", "social_enterprise", "company", "local_authority"
    }  # fmt: skip
    assert organisations.filter(verified_at__isnull=True).count() == 4
    assert len({region for o in organisations for region in o.regions}) >= 10
    assert Programme.objects.count() >= 10
    demo = User.objects.get(email="provider@demo.q.example")
    assert demo.has_role(Role.PROVIDER_ADMIN)
    assert ProviderStaff.objects.get(user=demo).organisation.slug == "living-well-together"
