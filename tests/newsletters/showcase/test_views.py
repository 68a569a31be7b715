import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qcommunity.newsletters.showcase.enums import ShowcaseStatus
from qcommunity.newsletters.showcase.models import ShowcaseItem
from qcommunity.outbox.models import OutboxEmail
from tests.factories.newsletters import ShowcaseItemFactory, editor_user, png_bytes
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_a_member_submits_with_an_image(client_for, member):
    client = client_for(member)
    image = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("newsletters:item-submit"),
        {
            "title": "A calmer discharge lounge",
            "summary": "We redesigned the lounge with patients.",
            "link": "https://example.org/lounge",
            "image": image,
            "image_alt": "Patients talking in the new lounge",
        },
    )
    assert response.headers["Location"] == reverse("newsletters:item-list")
    item = ShowcaseItem.objects.get()
    assert item.image.name.endswith(".jpg")
    listing = client.get(reverse("newsletters:item-list")).content.decode()
    assert "A calmer discharge lounge" in listing
    assert "Waiting for review" in listing
    # The owner sees the image before approval; a visitor does not.
    image_url = reverse("newsletters:showcase-image", args=[item.pk])
    assert client.get(image_url).status_code == 200
    client.logout()
    assert client.get(image_url).status_code == 404


def test_a_file_that_is_not_an_image_is_refused(client_for, member):
    client = client_for(member)
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post(
        reverse("newsletters:item-submit"),
        {
            "title": "t",
            "summary": "s",
            "link": "https://example.org",
            "image": fake,
            "image_alt": "x",
        },
    )
    assert response.status_code == 200
    assert "must be a JPG, PNG or WebP image" in response.content.decode()
    assert not ShowcaseItem.objects.exists()


def test_an_http_link_is_refused(client_for, member):
    response = client_for(member).post(
        reverse("newsletters:item-submit"),
        {"title": "t", "summary": "s", "link": "http://example.org"},
    )
    assert "starts with https://" in response.content.decode()


def test_an_editor_returns_an_item_with_a_reason(client):
    client.force_login(editor_user())
    item = ShowcaseItemFactory()
    response = client.post(
        reverse("newsletters-staff:showcase-return", args=[item.pk]),
        {"reason": "Please say what changed for patients."},
    )
    assert response.headers["Location"] == reverse("newsletters-staff:showcase-queue")
    item.refresh_from_db()
    assert item.status == ShowcaseStatus.RETURNED
    assert OutboxEmail.objects.get(kind="notification").recipient == item.submitted_by.email


def test_returning_without_a_reason_shows_an_error(client):
    client.force_login(editor_user())
    item = ShowcaseItemFactory()
    response = client.post(reverse("newsletters-staff:showcase-return", args=[item.pk]), {})
    assert response.status_code == 200
    assert "Enter the reason for returning this submission" in response.content.decode()


def test_members_see_only_their_own_items(client_for, member):
    other = ShowcaseItemFactory()
    client = client_for(member)
    assert client.get(reverse("newsletters:item-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("newsletters:item-edit", args=[other.pk])).status_code == 404


def test_own_list_queries_do_not_grow(client_for, member):
    client = client_for(member)
    ShowcaseItemFactory(submitted_by=member)
    url = reverse("newsletters:item-list")
    assert_constant_queries(
        lambda: client.get(url), lambda n: ShowcaseItemFactory.create_batch(n, submitted_by=member)
    )
