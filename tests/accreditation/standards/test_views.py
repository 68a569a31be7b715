"""The coordinators' standards pages, used as a person would: through the views."""

import csv
import io
import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from accreditation.standards.models import Criterion, Standard, StandardVersion
from qcommunity.accounts.enums import Role
from qcommunity.audit.models import AuditEntry
from tests.conftest import TOTP_SECRET
from tests.factories.accounts import UserFactory
from tests.querycount import assert_constant_queries

from ..conftest import build_draft

pytestmark = pytest.mark.django_db


def _url(name, version, **kwargs):
    return reverse(
        f"accreditation-staff:{name}",
        kwargs={"slug": version.standard.slug, "number": version.number, **kwargs},
    )


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_coordinator_builds_and_publishes_a_standard(signed_in):
    response = signed_in.post(
        reverse("accreditation-staff:standard-create"),
        {
            "name": "Self-management education",
            "slug": "sme",
            "description": "",
            "screening_target_working_days": "10",
            "decision_target_days": "60",
        },
    )
    assert response.status_code == 302
    standard = Standard.objects.get(slug="sme")
    response = signed_in.post(
        reverse("accreditation-staff:version-draft", args=["sme"]), {"source": "empty"}
    )
    version = StandardVersion.objects.get(standard=standard)
    assert response["Location"] == _url("version-detail", version)
    signed_in.post(_url("domain-add", version), {"code": "D1", "title": "Leadership"})
    domain = version.domains.get()
    signed_in.post(
        _url("criterion-add", version),
        {
            "domain": domain.pk,
            "code": "1.1",
            "text": "The provider has a named lead for quality.",
            "is_minimum": "on",
            "scopes": ["provider", "trainers"],
        },
    )
    signed_in.post(
        _url("level-add", version), {"name": "Entry", "description": "", "minimum_only": "on"}
    )
    criterion = version.criteria.get()
    assert (criterion.is_minimum, criterion.scopes) == (True, ["provider", "trainers"])
    page = signed_in.get(_url("version-publish", version))
    assert "Publish version 1 of Self-management education?" in page.text
    response = signed_in.post(_url("version-publish", version), {"change_summary": "First."})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "published"
    detail = signed_in.get(_url("version-detail", version))
    assert "A published version never changes" in detail.text
    assert "Add a domain" not in detail.text


def test_publishing_twice_changes_nothing_the_second_time(signed_in, published):
    response = signed_in.post(_url("version-publish", published), {"change_summary": "Again."})
    assert response.status_code == 200
    assert "Version 1 is published and cannot change" in response.text
    published.refresh_from_db()
    assert published.change_summary == "The first version."
    assert AuditEntry.objects.filter(action="standard_version.publish").count() == 1


def test_publishing_without_a_summary_says_so_on_the_field(signed_in, draft):
    response = signed_in.post(_url("version-publish", draft), {"change_summary": "  "})
    assert "Error: " in response.text
    assert "Say what changed in this version." in response.text
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_incomplete_draft_shows_what_is_missing_and_offers_no_publish_form(
    signed_in, coordinator
):
    draft = build_draft(coordinator, criteria=0)
    page = signed_in.get(_url("version-publish", draft))
    assert "Add at least one criterion." in page.text
    assert "change_summary" not in page.text


def test_the_edit_pages_of_a_published_version_send_back_with_the_reason(signed_in, published):
    response = signed_in.get(_url("domain-add", published), follow=True)
    assert "Version 1 is published and cannot change" in response.text
    criterion = published.criteria.first()
    response = signed_in.post(
        _url("criterion-edit", published, pk=criterion.pk),
        {
            "domain": criterion.domain_id,
            "code": "C1",
            "text": "Changed after publishing",
            "scopes": ["provider"],
        },
    )
    assert "Version 1 is published and cannot change" in response.text
    assert Criterion.objects.get(pk=criterion.pk).text == "Criterion number 1"


def test_a_stale_page_for_a_discarded_draft_answers_404(signed_in, draft):
    domain = draft.domains.first()
    signed_in.post(_url("version-discard", draft))
    assert not StandardVersion.objects.exists()
    response = signed_in.post(
        _url("domain-edit", draft, pk=domain.pk), {"code": "D1", "title": "x"}
    )
    assert response.status_code == 404


def test_a_part_of_another_version_is_not_found(signed_in, coordinator, draft):
    other = build_draft(coordinator, slug="other")
    foreign = other.criteria.first()
    assert signed_in.get(_url("criterion-edit", draft, pk=foreign.pk)).status_code == 404
    response = signed_in.post(
        _url("part-move", draft), {"part": "criterion", "pk": foreign.pk, "direction": "up"}
    )
    assert response.status_code == 404


def test_the_domain_list_offers_only_this_versions_domains(signed_in, coordinator, draft):
    other = build_draft(coordinator, slug="other")
    response = signed_in.post(
        _url("criterion-add", draft),
        {"domain": other.domains.first().pk, "code": "C9", "text": "x", "scopes": ["provider"]},
    )
    assert "Select a valid choice" in response.text
    assert not draft.criteria.filter(code="C9").exists()


def test_moving_by_button_reorders_and_returns_to_the_item(signed_in, draft):
    c3 = draft.criteria.get(code="C3")
    response = signed_in.post(
        _url("part-move", draft), {"part": "criterion", "pk": c3.pk, "direction": "up"}
    )
    assert response["Location"].endswith(f"#criterion-{c3.pk}")
    d1 = draft.domains.get(code="D1")
    assert list(d1.criteria.order_by("position").values_list("code", flat=True)) == ["C3", "C1"]
    page = signed_in.get(_url("version-detail", draft)).text
    assert page.index("Criterion number 3") < page.index("Criterion number 1")


def test_the_preview_shows_criteria_as_providers_will_see_them(signed_in, draft):
    page = signed_in.get(_url("version-preview", draft)).text
    assert "It is a draft: providers cannot see it" in page
    assert "Minimum requirement" in page
    assert "Applies to: Provider, Programme" in page
    assert "Examples of evidence for C1" in page
    assert "Move up" not in page


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ASSESSOR, Role.EXCHANGE_MODERATOR])
def test_people_who_are_not_coordinators_or_staff_admins_get_404(client, draft, role):
    person = UserFactory(roles=[role])
    TOTP.activate(person, TOTP_SECRET)
    client.force_login(person)
    for url in (
        reverse("accreditation-staff:standard-list"),
        _url("version-detail", draft),
    ):
        assert client.get(url).status_code == 404
    response = client.post(_url("domain-add", draft), {"code": "D9", "title": "x"})
    assert response.status_code == 404
    assert draft.domains.count() == 2


def test_coordinators_find_the_standards_from_the_home_page(signed_in):
    home = signed_in.get("/").text
    assert f'href="{reverse("accreditation-staff:standard-list")}"' in home
    assert "Accreditation" in home


def test_staff_admins_find_the_standards_on_the_staff_page(client, staff_admin):
    client.force_login(staff_admin)
    page = client.get(reverse("core-staff:index")).text
    assert reverse("accreditation-staff:standard-list") in page


def test_the_csv_download_holds_every_part_and_disarms_formulas(signed_in, coordinator, draft):
    from accreditation.standards import services

    services.criterion_add(
        actor=coordinator, version=draft, domain=draft.domains.first(), code="C9",
        text="=HYPERLINK(\"http://example.org\")", scopes=["deliverers"],
    )  # fmt: skip
    response = signed_in.get(_url("version-export-csv", draft))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["type"] for r in rows].count("criterion") == 4
    assert [r["type"] for r in rows].count("level") == 2
    c9 = next(r for r in rows if r["code"] == "C9")
    assert c9["text"].startswith("'=HYPERLINK")
    assert AuditEntry.objects.filter(action="standard_version.export_csv").count() == 1


def test_the_json_download_is_the_whole_version(signed_in, published):
    response = signed_in.get(_url("version-export-json", published))
    document = json.loads(response.content)
    assert (document["version"], document["status"]) == (1, "published")
    assert [d["code"] for d in document["domains"]] == ["D1", "D2"]
    assert [c["code"] for c in document["domains"][0]["criteria"]] == ["C1", "C3"]
    assert document["levels"][0] == {
        "name": "Entry",
        "description": "Minimums.",
        "minimum_only": True,
    }
    assert response["Cache-Control"] == "no-store"


def test_the_standards_list_runs_the_same_queries_for_one_and_many(signed_in, coordinator):
    build_draft(coordinator, slug="first")
    url = reverse("accreditation-staff:standard-list")

    def more(n):
        for i in range(n):
            build_draft(coordinator, slug=f"more-{i}", criteria=1)

    assert_constant_queries(lambda: signed_in.get(url), more, many=5)


def test_a_version_page_runs_the_same_queries_for_few_and_many_criteria(
    signed_in, coordinator, draft
):
    from accreditation.standards import services

    def more(n):
        domain = services.domain_add(actor=coordinator, version=draft, code="D9", title="More")
        for i in range(n):
            services.criterion_add(
                actor=coordinator, version=draft, domain=domain, code=f"M{i}", text="More",
                scopes=["programme"],
            )  # fmt: skip

    for name in ("version-detail", "version-preview", "version-publish"):
        url = _url(name, draft)
        assert_constant_queries(
            lambda url=url: signed_in.get(url),
            more if name == "version-detail" else lambda n: None,
            many=10,
        )


def test_a_short_name_in_use_is_refused_on_its_field(signed_in, draft):
    response = signed_in.post(
        reverse("accreditation-staff:standard-create"),
        {
            "name": "Another",
            "slug": draft.standard.slug,
            "screening_target_working_days": "10",
            "decision_target_days": "60",
        },
    )
    assert response.status_code == 200
    assert "Choose a short name not in use." in response.text
    assert Standard.objects.count() == 1


def test_drafting_while_a_draft_exists_says_so_and_adds_nothing(signed_in, draft):
    response = signed_in.post(
        reverse("accreditation-staff:version-draft", args=[draft.standard.slug]),
        {"source": "current"},
    )
    assert "Version 1 is already a draft" in response.text
    assert StandardVersion.objects.count() == 1


def test_a_move_with_a_made_up_part_answers_404(signed_in, draft):
    url = _url("part-move", draft)
    assert signed_in.post(url, {"part": "standard", "pk": draft.pk}).status_code == 404
    assert signed_in.post(url, {"part": "level", "pk": "x"}).status_code == 404


def test_a_standards_page_runs_the_same_queries_for_one_and_many_versions(
    signed_in, coordinator, published
):
    from accreditation.standards import services

    def more(n):
        for _ in range(n):
            version = services.version_draft(
                actor=coordinator, standard=published.standard, copy_current=True
            )
            services.version_publish(actor=coordinator, version=version, change_summary="More.")

    url = reverse("accreditation-staff:standard-detail", args=[published.standard.slug])
    assert_constant_queries(lambda: signed_in.get(url), more, many=5)
