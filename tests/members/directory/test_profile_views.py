"""The directory entry page: who sees it, what it shows, and its query count."""

import pytest
from django.urls import reverse

from members.directory.cache import directory_changed
from members.directory.enums import Visibility
from members.directory.models import Approach, Offer, Topic
from qcommunity.accounts.enums import Role
from qcommunity.core.taxonomy import Region, RoleType
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory, approach, offer, topic
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def page_url(profile) -> str:
    return reverse("members:profile-detail", kwargs={"slug": profile.slug})


@pytest.mark.parametrize(
    ("visibility", "kind", "status"),
    [
        (Visibility.PUBLIC, "visitor", 200),
        (Visibility.PUBLIC, "user", 200),
        (Visibility.MEMBERS, "visitor", 404),
        (Visibility.MEMBERS, "user", 404),
        (Visibility.MEMBERS, "member", 200),
        (Visibility.HIDDEN, "visitor", 404),
        (Visibility.HIDDEN, "user", 404),
        (Visibility.HIDDEN, "member", 404),
        (Visibility.HIDDEN, "owner", 200),
        (Visibility.HIDDEN, "staff", 200),
    ],
)
def test_profile_page_answers_by_visibility(client, staff_admin, visibility, kind, status):
    profile = ProfileFactory(visibility=visibility)
    viewer = {
        "visitor": None,
        "user": UserFactory(),
        "member": UserFactory(roles=[Role.MEMBER]),
        "owner": profile.user,
        "staff": staff_admin,
    }[kind]
    if viewer:
        client.force_login(viewer)
    assert client.get(page_url(profile)).status_code == status


def test_profile_page_shows_the_entry(client):
    profile = ProfileFactory(
        visibility=Visibility.PUBLIC,
        user__full_name="Priya Patel",
        pronouns="she/her",
        job_title="Quality improvement lead",
        organisation="Northshire Community Trust",
        region=Region.WALES,
        role_types=[RoleType.FRONTLINE, RoleType.RESEARCHER],
        topics=[topic("Sepsis")],
        approaches=[approach("Lean")],
        offers=[offer("Mentoring")],
        working_on="Reducing **falls** on wards",
        links=[{"label": "My blog", "url": "https://blog.example.org/"}],
    )
    body = client.get(page_url(profile)).content.decode()
    assert "Priya Patel" in body
    assert "she/her" in body
    assert "Quality improvement lead, Northshire Community Trust" in body
    assert "Wales" in body
    assert "Frontline staff, Researcher" in body
    assert 'href="/directory/?topic=sepsis"' in body
    assert 'href="/directory/?approach=lean"' in body
    assert "Mentoring" in body
    assert "<strong>falls</strong>" in body
    assert 'href="https://blog.example.org/"' in body
    assert profile.user.email not in body


def test_profile_page_leaves_out_empty_sections(client):
    profile = ProfileFactory(
        visibility=Visibility.PUBLIC, organisation_type="", region="", role_types=[]
    )
    body = client.get(page_url(profile)).content.decode()
    for heading in ("Topics", "Improvement approaches", "can offer", "What I am working on"):
        assert heading not in body
    assert "Links</h2>" not in body
    assert "nhsuk-summary-list" not in body
    assert "Last confirmed" not in body


def test_photo_has_the_member_name_as_alt_text(client):
    from django.core.files.base import ContentFile

    profile = ProfileFactory(visibility=Visibility.PUBLIC, user__full_name="Sam Jones")
    profile.photo.save("p.jpg", ContentFile(b"x"), save=True)
    body = client.get(page_url(profile)).content.decode()
    assert 'alt="Sam Jones"' in body


def test_script_in_working_on_is_rendered_harmlessly(client):
    profile = ProfileFactory(
        visibility=Visibility.PUBLIC, working_on='Hello <script>alert("x")</script> world'
    )
    body = client.get(page_url(profile)).content.decode()
    assert "<script>alert" not in body
    assert "Hello" in body


def test_owner_sees_who_can_see_it_and_a_link_to_edit(client):
    profile = ProfileFactory(visibility=Visibility.MEMBERS)
    client.force_login(profile.user)
    body = client.get(page_url(profile)).content.decode()
    assert "This is your directory entry. Q members can see your entry." in body
    assert reverse("members:profile-edit") in body
    assert "Contact this member" not in body


def test_members_see_contact_and_visitors_are_asked_to_sign_in(client):
    profile = ProfileFactory(visibility=Visibility.PUBLIC)
    contact = reverse("members:contact", kwargs={"slug": profile.slug})
    body = client.get(page_url(profile)).content.decode()
    assert "Sign in as a Q member to contact" in body
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    body = client.get(page_url(profile)).content.decode()
    assert f'href="{contact}"' in body


def test_profile_page_query_count_does_not_grow_with_terms(client):
    profile = ProfileFactory(
        visibility=Visibility.PUBLIC,
        topics=[topic("Sepsis")],
        approaches=[approach("Lean")],
        offers=[offer("Mentoring")],
    )
    client.force_login(UserFactory(roles=[Role.MEMBER]))

    def add_rows(n):
        for i in range(n):
            profile.topics.add(Topic.objects.create(name=f"Extra topic {i}", slug=f"xt-{i}"))
            profile.approaches.add(
                Approach.objects.create(name=f"Extra approach {i}", slug=f"xa-{i}")
            )
            profile.offers.add(Offer.objects.create(name=f"Extra offer {i}", slug=f"xo-{i}"))

    def action():
        directory_changed()  # the work of computing the page, not the members' cached copy
        response = client.get(page_url(profile))
        assert response.status_code == 200

    assert_constant_queries(action, add_rows, many=49)
    assert profile.topics.count() == 50


def test_photo_is_served_only_to_people_who_may_see_the_entry(client):
    from django.core.files.base import ContentFile

    profile = ProfileFactory(visibility=Visibility.MEMBERS)
    profile.photo.save("p.png", ContentFile(b"png-bytes"), save=True)
    url = reverse("members:profile-photo", kwargs={"slug": profile.slug})
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"png-bytes"
    assert response["Content-Type"] == "image/png"


def test_photo_of_an_entry_without_one_is_not_found(client):
    profile = ProfileFactory(visibility=Visibility.PUBLIC)
    url = reverse("members:profile-photo", kwargs={"slug": profile.slug})
    assert client.get(url).status_code == 404
