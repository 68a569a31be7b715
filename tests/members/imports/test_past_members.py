"""Past members imported through the staff pages, as staff would, from the example file in
docs/imports: accounts made when missing (no usable password, nothing sent), membership with a
hidden directory entry and the original join date, and nothing twice."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.directory.enums import Visibility
from members.directory.models import Profile
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User, UserRole
from qcommunity.imports.models import DataImport
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.html_checks import visible_text

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "imports" / "past-members.example.csv"
UPLOAD = reverse("imports:import-upload", kwargs={"kind": "past-members"})


def upload(client, content: bytes) -> DataImport:
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("members.csv", content)})
    assert response.status_code == 302, visible_text(response)[:3000]
    return DataImport.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def apply(client, data_import):
    return client.post(reverse("imports:import-apply", kwargs={"pk": data_import.pk}), follow=True)


def test_example_file_makes_accounts_and_members_once(client_for, staff_admin):
    # Rafael already has an account (not a member); Callum is already a member.
    rafael = UserFactory(email="rafael.okoro@example.org", full_name="Rafael Okoro")
    callum = UserFactory(email="Callum.Dreyer@example.org", roles=[Role.MEMBER])
    client = client_for(staff_admin)
    emails_before = OutboxEmail.objects.count()

    data_import = upload(client, EXAMPLE.read_bytes())
    text = visible_text(client.get(reverse("imports:import-detail", kwargs={"pk": data_import.pk})))
    assert "Account 2 2 Membership 3 1" in text
    assert not User.objects.filter(email="imogen.achterberg@example.org").exists()

    result = visible_text(apply(client, data_import))
    assert "5 things created" in result
    imogen = User.objects.get(email="imogen.achterberg@example.org")
    assert imogen.full_name == "Imogen Achterberg"
    assert not imogen.has_usable_password()
    assert imogen.date_joined.date() == dt.date(2015, 6, 1)
    role = UserRole.objects.get(user=imogen, role=Role.MEMBER)
    assert role.granted_at.date() == dt.date(2015, 6, 1)
    profile = Profile.objects.get(user=imogen)
    assert profile.visibility == Visibility.HIDDEN
    assert (profile.region, profile.job_title, profile.organisation) == (
        "wessex",
        "Improvement adviser",
        "Coastline Community Health",
    )
    assert UserRole.objects.filter(user=rafael, role=Role.MEMBER).exists()
    assert Profile.objects.get(user=rafael).region == "north_east_north_cumbria"
    assert UserRole.objects.filter(user=callum).count() == 1
    assert OutboxEmail.objects.count() == emails_before

    # Again: nothing new, even for a membership staff ended since.
    UserRole.objects.filter(user=rafael, role=Role.MEMBER).delete()
    again = upload(client, EXAMPLE.read_bytes())
    assert again.preview["types"] == [
        {"type": "Account", "create": 0, "unchanged": 4},
        {"type": "Membership", "create": 0, "unchanged": 4},
    ]
    assert "0 things created" in visible_text(apply(client, again))
    assert not UserRole.objects.filter(user=rafael, role=Role.MEMBER).exists()
    addresses = [line.split(",")[1] for line in EXAMPLE.read_text().splitlines()[1:]]
    assert sum(User.objects.filter(email__iexact=a).count() for a in addresses) == 4
    assert OutboxEmail.objects.count() == emails_before


def test_problems_are_listed_by_row(client_for, staff_admin):
    UserFactory(email="gone@example.org", is_active=False)
    content = (
        b"name,email,region,joined\n"
        b",nobody,Atlantis,someday\n"
        b"Ann,ann@example.org,Wales,2999-01-01\n"
        b"Ann again,ANN@example.org,wales,2017-01-01\n"
        b"Gone,gone@example.org,Wessex,2016-01-01\n"
    )
    client = client_for(staff_admin)
    data_import = upload(client, content)
    text = visible_text(client.get(reverse("imports:import-detail", kwargs={"pk": data_import.pk})))
    for line in (
        "Row 2: Give the person's name.",
        "Row 2: “nobody” is not a valid email address.",
        "Row 2: “Atlantis” is not one of the 18 regions",
        "Row 2: “joined” must be a date like 2017-03-01.",
        "Row 3: “joined” must not be in the future.",
        "Row 4: The same person as row 3.",
        "Row 5: This person's account here is closed or suspended.",
    ):
        assert line in text, line
    assert "Confirm and import" not in text
    apply(client, data_import)
    assert not User.objects.filter(email="ann@example.org").exists()


def test_formula_like_values_are_kept_as_text(client_for, staff_admin):
    """A spreadsheet formula in a cell is stored as the text it is, never run."""
    content = (
        b"name,email,region,joined,organisation\n"
        b'"=HYPERLINK(1)",f@example.org,Wales,2017-01-01,"@SUM(A1)"\n'
    )
    client = client_for(staff_admin)
    apply(client, upload(client, content))
    user = User.objects.get(email="f@example.org")
    assert user.full_name == "=HYPERLINK(1)"
    assert Profile.objects.get(user=user).organisation == "@SUM(A1)"
