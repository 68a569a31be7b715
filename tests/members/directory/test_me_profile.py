"""A member's own entry: editing, photo, who can see it, confirming it, previews, home nudge."""

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from members.directory.enums import Visibility
from members.directory.models import Profile
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from qcommunity.core.taxonomy import Nation, Region
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory, topic
from tests.pages import error_messages

pytestmark = pytest.mark.django_db

EDIT = "/me/profile/"


def image_bytes(size=(1200, 800), fmt="JPEG", exif=True) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    kwargs = {}
    if exif and fmt == "JPEG":
        data = Image.Exif()
        data[0x010F] = "Secret camera maker"
        kwargs["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def valid_data(**extra) -> dict:
    return {
        "pronouns": "they/them",
        "job_title": "Improvement advisor",
        "organisation": "Westshire NHS Trust",
        "organisation_type": "acute",
        "role_types": ["manager", "researcher"],
        "region": "scotland",
        "topics": ["sepsis"],
        "approaches": ["lean"],
        "offers": ["mentoring"],
        "working_on": "A **sepsis** project",
        "link_1_label": "Blog",
        "link_1_url": "https://blog.example.org/",
        **extra,
    }


@pytest.fixture
def owner():
    return ProfileFactory(visibility=Visibility.HIDDEN, job_title="Nurse", topics=[topic("Sepsis")])


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner.user)
    return client


def test_edit_page_is_for_members_only(client):
    assert client.get(EDIT)["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(EDIT).status_code == 404


def test_first_visit_creates_a_hidden_entry(client):
    member = UserFactory(roles=[Role.MEMBER], full_name="New Member")
    client.force_login(member)
    response = client.get(EDIT)
    assert response.status_code == 200
    profile = Profile.objects.get(user=member)
    assert profile.visibility == Visibility.HIDDEN
    body = response.content.decode()
    assert "Your job title" in body
    assert "Where you work" in body
    assert "What are you working on at the moment?" in body
    assert "markdown" in body


def test_saving_updates_the_entry_and_search(signed_in, owner):
    response = signed_in.post(EDIT, valid_data())
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.job_title == "Improvement advisor"
    assert owner.nation == Nation.SCOTLAND
    assert owner.role_types == ["manager", "researcher"]
    assert [t.slug for t in owner.topics.all()] == ["sepsis"]
    assert [o.slug for o in owner.offers.all()] == ["mentoring"]
    assert owner.links == [{"label": "Blog", "url": "https://blog.example.org/"}]
    assert owner.search_vector is not None
    page = signed_in.get(response["Location"]).content.decode()
    assert "Your directory entry has been saved" in page


def test_unknown_choices_get_clear_errors_and_nothing_is_saved(signed_in, owner):
    response = signed_in.post(
        EDIT,
        valid_data(region="atlantis", organisation_type="castle", topics=["no-such-topic"]),
    )
    assert response.status_code == 200
    assert error_messages(response) == [
        "Select a type of organisation from the list",
        "Select a region from the list",
        "Select a topic from the list",
    ]
    owner.refresh_from_db()
    assert owner.job_title == "Nurse"
    assert owner.region == Region.WESSEX
    # What was typed is still in the form.
    assert "Improvement advisor" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "http://example.org/", "ftp://example.org/", "not a link"]
)
def test_links_must_be_https(signed_in, owner, url):
    response = signed_in.post(EDIT, valid_data(link_2_label="Other", link_2_url=url))
    assert error_messages(response) == [
        "Enter the web address for link 2 starting with https://, for example https://example.org"
    ]
    owner.refresh_from_db()
    assert owner.links == []


def test_working_on_is_limited(signed_in):
    response = signed_in.post(EDIT, valid_data(working_on="x" * 2001))
    assert error_messages(response) == ["What you are working on must be 2000 characters or fewer"]


def test_script_in_working_on_is_kept_as_text_and_rendered_harmlessly(signed_in, owner):
    signed_in.post(EDIT, valid_data(working_on="<script>alert('x')</script> My project"))
    owner.refresh_from_db()
    page = signed_in.get(reverse("members:profile-detail", kwargs={"slug": owner.slug}))
    body = page.content.decode()
    assert "<script>alert" not in body
    assert "My project" in body


def upload(client, content: bytes, name="photo.jpg"):
    return client.post(
        reverse("members:profile-photo-edit"),
        {"photo": SimpleUploadedFile(name, content, "image/jpeg")},
    )


def test_photo_is_checked_resized_and_stripped(signed_in, owner):
    response = upload(signed_in, image_bytes((1200, 800)))
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.photo.name.startswith("profile-photos/")
    with default_storage.open(owner.photo.name) as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (600, 400)
        assert dict(stored.getexif()) == {}
    assert AuditEntry.objects.filter(action="profile.photo", target_id=str(owner.pk)).exists()


def test_png_with_transparency_stays_png(signed_in, owner):
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    upload(signed_in, buffer.getvalue(), name="me.png")
    owner.refresh_from_db()
    assert owner.photo.name.endswith(".png")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, not a picture", "JPG, PNG or WebP format"),
        (b"", "The selected file is empty"),
        (b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), "smaller than 5 MB"),
    ],
    ids=["text-named-jpg", "empty", "over-5mb"],
)
def test_bad_photos_get_a_clear_error_and_keep_saved_data(signed_in, owner, content, message):
    signed_in.post(EDIT, valid_data())
    response = upload(signed_in, content)
    assert response.status_code == 200
    [error] = error_messages(response)
    assert message in error
    owner.refresh_from_db()
    assert not owner.photo
    assert owner.job_title == "Improvement advisor"
    # The page shows the saved entry, not an empty form.
    assert "Improvement advisor" in response.content.decode()


def test_images_over_6000_pixels_are_refused(signed_in, owner):
    big = io.BytesIO()
    Image.new("L", (6001, 10)).save(big, format="PNG")
    response = upload(signed_in, big.getvalue(), name="wide.png")
    assert error_messages(response) == [
        "The photo must be no more than 6000 pixels wide and 6000 pixels high"
    ]


def test_removing_the_photo(signed_in, owner, django_capture_on_commit_callbacks):
    upload(signed_in, image_bytes((100, 100)))
    owner.refresh_from_db()
    name = owner.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(reverse("members:profile-photo-remove"))
    assert response.status_code == 302
    owner.refresh_from_db()
    assert not owner.photo
    assert not default_storage.exists(name)


def test_replacing_the_photo_deletes_the_old_file(
    signed_in, owner, django_capture_on_commit_callbacks
):
    upload(signed_in, image_bytes((100, 100)))
    owner.refresh_from_db()
    first = owner.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        upload(signed_in, image_bytes((120, 100)))
    owner.refresh_from_db()
    assert owner.photo.name != first
    assert not default_storage.exists(first)


def test_publishing_is_audited_and_confirms(signed_in, owner):
    response = signed_in.post(reverse("members:profile-visibility"), {"visibility": "members"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.visibility == Visibility.MEMBERS
    assert owner.confirmed_at is not None
    entry = AuditEntry.objects.get(action="profile.visibility")
    assert entry.data == {"from": "hidden", "to": "members"}
    assert "Q members can see it" in signed_in.get(EDIT).content.decode()


def test_unknown_visibility_is_refused(signed_in, owner):
    response = signed_in.post(
        reverse("members:profile-visibility"), {"visibility": "everyone-ever"}
    )
    assert error_messages(response) == ["Select who can see your entry from the list"]
    owner.refresh_from_db()
    assert owner.visibility == Visibility.HIDDEN


def test_confirming_the_entry_is_up_to_date(signed_in, owner):
    signed_in.post(reverse("members:profile-confirm"))
    owner.refresh_from_db()
    assert timezone.now() - owner.confirmed_at < dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("visibility", "audience", "shown", "notice"),
    [
        (Visibility.PUBLIC, "visitor", True, ""),
        (Visibility.MEMBERS, "visitor", False, "People who are not signed in cannot see"),
        (Visibility.HIDDEN, "visitor", False, "People who are not signed in cannot see"),
        (Visibility.MEMBERS, "member", True, ""),
        (Visibility.HIDDEN, "member", False, "Q members cannot see your entry"),
    ],
)
def test_preview(client, visibility, audience, shown, notice):
    owner = ProfileFactory(visibility=visibility, job_title="Preview title")
    client.force_login(owner.user)
    body = client.get(reverse("members:profile-preview"), {"as": audience}).content.decode()
    assert ("Preview title" in body) is shown
    assert notice in body
    assert "This is your directory entry" not in body
    assert "Contact this member" not in body


@pytest.mark.parametrize(
    ("months", "visibility", "nudged"),
    [
        (11, Visibility.PUBLIC, False),
        (13, Visibility.PUBLIC, True),
        (13, Visibility.HIDDEN, True),
        (None, Visibility.MEMBERS, True),
        (None, Visibility.HIDDEN, False),
    ],
)
def test_home_page_nudges_members_with_old_entries(client, months, visibility, nudged):
    confirmed = timezone.now() - dt.timedelta(days=30 * months + 5) if months else None
    owner = ProfileFactory(visibility=visibility, confirmed_at=confirmed)
    client.force_login(owner.user)
    body = client.get("/").content.decode()
    assert ("Check your directory entry is up to date" in body) is nudged
    if nudged:
        assert reverse("members:profile-confirm") in body


def test_home_page_has_no_nudge_for_visitors(client):
    assert "Check your directory entry" not in client.get("/").content.decode()
