"""Past Q Exchange rounds imported through the staff pages, as staff would: the example file in
docs/imports (built from three pages of the earlier site), its CSV form, and files with
problems. An import sends nothing and creates nothing twice."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange.comments.models import Comment
from exchange.proposals.enums import Stage, TeamRole
from exchange.proposals.models import (
    ContributionPoint,
    Proposal,
    SectionAnswer,
    TeamMember,
    TimelineItem,
)
from exchange.rounds.models import Round, Section, Theme
from qcommunity.audit.models import AuditEntry
from qcommunity.imports.models import DataImport, ImportedRecord
from qcommunity.notifications.models import DigestItem
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round
from tests.html_checks import visible_text

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "imports" / "past-rounds.example.json"
UPLOAD = reverse("imports:import-upload", kwargs={"kind": "exchange-rounds"})
MODELS = (Round, Theme, Section, Proposal, TeamMember, SectionAnswer, ContributionPoint,
          TimelineItem, Comment)  # fmt: skip


def upload(client, content: bytes, name: str = "past-rounds.json") -> DataImport:
    response = client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, visible_text(response)[:3000]
    return DataImport.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def apply(client, data_import: DataImport):
    return client.post(reverse("imports:import-apply", kwargs={"pk": data_import.pk}), follow=True)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_example_file_previews_applies_and_applies_again_with_no_change(client_for, staff_admin):
    # One person in the file already has an account here: they join the team as its lead and
    # their comments are theirs; everyone else is named (team) or a guest (comments).
    priya = UserFactory(email="Priya.Rowe@example.org", full_name="Priya Rowe", roles=["member"])
    client = client_for(staff_admin)
    emails_before, digests_before = OutboxEmail.objects.count(), DigestItem.objects.count()
    before = row_counts()

    data_import = upload(client, EXAMPLE.read_bytes())
    preview = client.get(reverse("imports:import-detail", kwargs={"pk": data_import.pk}))
    text = visible_text(preview)
    assert "Nothing has been saved yet." in text
    assert "Round 3 0 Proposal 3 0 Comment 25 0" in text
    westmoor = "One improvement skills offer for the whole of Westmoor"
    assert f"Comment: On “{westmoor}” by Elspeth Rowntree, 17 May 2018" in text
    assert row_counts() == before  # the preview wrote nothing of Exchange

    result = apply(client, data_import)
    text = visible_text(result)
    assert f"Import #{data_import.pk} complete" in text
    assert "25 things created" not in text
    assert "31 things created" in text
    after = row_counts()
    assert after["Round"] - before["Round"] == 3
    assert after["Proposal"] - before["Proposal"] == 3
    assert after["Comment"] - before["Comment"] == 25
    assert after["TimelineItem"] - before["TimelineItem"] == 17
    assert after["TeamMember"] - before["TeamMember"] == 16

    # Nothing was sent, now or later.
    assert OutboxEmail.objects.count() == emails_before
    assert DigestItem.objects.count() == digests_before
    assert AuditEntry.objects.filter(action="import.apply").count() == 1

    # The same file again: everything unchanged, nothing created.
    again = upload(client, EXAMPLE.read_bytes())
    assert again.preview["types"] == [
        {"type": "Round", "create": 0, "unchanged": 3},
        {"type": "Proposal", "create": 0, "unchanged": 3},
        {"type": "Comment", "create": 0, "unchanged": 25},
    ]
    page = visible_text(client.get(reverse("imports:import-detail", kwargs={"pk": again.pk})))
    assert "Everything in this file is already on the site." in page
    assert "Nothing was created" not in page
    second = visible_text(apply(client, again))
    assert "0 things created" in second
    assert "Everything in this file was already on the site, so nothing was created." in second
    assert row_counts() == after
    assert ImportedRecord.objects.count() == 31
    assert OutboxEmail.objects.count() == emails_before

    # Priya leads her proposal with her account; the others are named people.
    academy = Proposal.objects.get(round__year=2024)
    assert academy.lead == priya
    team = list(academy.team.order_by("position"))
    assert [(m.user_id, m.name, m.role) for m in team] == [
        (priya.pk, "", TeamRole.LEAD),
        (None, "Tomasz Adeyemi", TeamRole.MEMBER),
        (None, "Hana Lindqvist", TeamRole.MEMBER),
        (None, "Owen Mbeki", TeamRole.MEMBER),
    ]
    assert academy.comments.filter(author=priya).count() == 2
    assert Proposal.objects.get(round__year=2018).lead is None


def test_imported_proposals_read_on_the_site_with_original_dates(client, client_for, staff_admin):
    admin_client = client_for(staff_admin)
    apply(admin_client, upload(admin_client, EXAMPLE.read_bytes()))
    admin_client.logout()

    idea = Proposal.objects.get(round__year=2018)
    page = client.get(reverse("exchange:proposal-detail", kwargs={"slug": idea.slug}))
    assert page.status_code == 200
    text = visible_text(page)
    assert "Imported from the earlier Q Exchange site" in text
    assert "Meet the team: #ImproveWestmoor" in text
    assert "Philippa Ngata: Patient representative" in text
    assert "What is needed" in text
    assert "Comments (16)" in text
    # The guest comment keeps its name, guest tag and original date; a reply its date too.
    assert "Elspeth Rowntree Guest 17 May 2018" in text
    assert "Ruth Calder Guest 18 May 2018" in text
    assert "20 April 2018" in text
    assert idea.stage == Stage.IDEA

    academy = Proposal.objects.get(round__year=2024)
    text = visible_text(
        client.get(reverse("exchange:proposal-detail", kwargs={"slug": academy.slug}))
    )
    assert "Q Exchange 2024 · Across boundaries" in text
    assert "12 June 2024" in text
    assert "14 June 2024" in text
    assert "18 August 2024" in text  # the plan's dates
    assert "22 September 2025" in text
    assert "41" in text  # the vote total it had

    # The round pages: listed, searchable, results with the stored totals.
    assert "Q Exchange 2018" in visible_text(client.get(reverse("exchange:round-list")))
    round_page = visible_text(client.get(reverse("exchange:round-detail", kwargs={"year": 2018})))
    assert "imported from the earlier Q Exchange site" in round_page
    assert "One improvement skills offer for the whole of Westmoor" in round_page
    assert "Themes" not in round_page.split("Ideas and proposals")[0].split("Key dates")[1]
    search = client.get(reverse("exchange:round-detail", kwargs={"year": 2024}), {"q": "academy"})
    assert academy.title in visible_text(search)
    results = visible_text(client.get(reverse("exchange:results", kwargs={"year": 2023})))
    assert "What matters to you" in results
    assert (
        "1 What matters to you: a quality dashboard made with the people who use it Proposal 27"
        in results
    )


def test_import_is_seen_by_visitors_at_once(client, client_for, staff_admin):
    """The Exchange pages visitors share are cached; an import makes them stale."""
    assert "Q Exchange 2023" not in visible_text(client.get(reverse("exchange:round-list")))
    admin = client_for(staff_admin)
    apply(admin, upload(admin, EXAMPLE.read_bytes()))
    admin.logout()
    assert "Q Exchange 2023" in visible_text(client.get(reverse("exchange:round-list")))


def test_csv_form_of_rounds_and_proposals(client_for, staff_admin):
    content = (
        b"year,round_name,theme,theme_question,title,summary,stage,created,decided,votes,"
        b"lead_name,lead_email,team,plan,question_1,answer_1\n"
        b"2019,Q Exchange 2019,Better flow,How can flow improve?,Quicker discharge,Home sooner,"
        b'funded,2019-03-01,2019-09-01,55,Ana Lee,ana.lee@example.org,"Bo Reyes | | Nurse",'
        b'"2019-10-01 | Start\n2020-01-10 | Review",The need,Too many delays.\n'
        b"2019,Q Exchange 2019,Better flow,,Kinder clinics,Calmer waits,not_funded,2019-03-02,,12,"
        b",,,,The need,Long waits.\n"
    )
    client = client_for(staff_admin)
    data_import = upload(client, content, "rounds.csv")
    assert data_import.preview["errors"] == []
    apply(client, data_import)
    funded = Proposal.objects.get(title="Quicker discharge")
    assert funded.stage == Stage.FUNDED
    assert funded.decided_at.date().isoformat() == "2019-09-01"
    assert funded.shortlisted_at is not None
    assert funded.imported_votes == 55
    assert [t.title for t in funded.timeline.all()] == ["Start", "Review"]
    assert [(m.name, m.role_line) for m in funded.team.all()] == [
        ("Ana Lee", ""),
        ("Bo Reyes", "Nurse"),
    ]
    assert funded.answers.get().text == "Too many delays."
    other = Proposal.objects.get(title="Kinder clinics")
    assert other.stage == Stage.NOT_FUNDED
    assert other.decided_at == other.round.decisions_at
    assert Round.objects.get(year=2019).themes.get().name == "Better flow"


def test_every_problem_is_listed_with_where_it_is(client_for, staff_admin):
    make_exchange_round(year=2020)  # made on this site, not imported
    document = {
        "rounds": [
            {"year": 2020, "name": "Clash", "proposals": [
                {"title": "A", "summary": "B", "stage": "idea", "created": "2020-01-02"}]},
            {"year": 2021, "name": "Q Exchange 2021", "themes": [{"name": "T", "question": "Q"}],
             "proposals": [
                {"title": "", "summary": "x" * 301, "stage": "won", "created": "yesterday",
                 "theme": "Nope", "votes": -1,
                 "team": [{"name": "A", "lead": True}, {"name": "B", "email": "bad", "lead": True}],
                 "plan": [{"on": "2021-13-01", "title": "Step"}],
                 "comments": [{"author_name": "", "posted": "", "body": "",
                               "replies": [{"author_name": "R", "posted": "2021-02-30",
                                            "body": "Hi"}]}]},
             ]},
        ]
    }  # fmt: skip
    client = client_for(staff_admin)
    data_import = upload(client, json.dumps(document).encode())
    page = client.get(reverse("imports:import-detail", kwargs={"pk": data_import.pk}))
    text = visible_text(page)
    expected = [
        "Round 2020: This site already has a round for 2020 that was not imported.",
        "Round 2021, proposal 1: “created” must be a date like 2018-05-17",
        "Round 2021, proposal 1: “votes” must be a whole number, 0 or more.",
        "Round 2021, proposal 1, plan step 1: “on” must be a date like 2024-08-18.",
        "Round 2021, proposal 1, comment 1, reply 1: “posted” must be a date",
        "Round 2021, proposal 1: Give the proposal's title.",
        "Round 2021, proposal 1: The summary must be 300 characters or fewer.",
        "Round 2021, proposal 1: The stage must be one of: idea, proposal, shortlisted, funded, "
        "not_funded, withdrawn.",
        "Round 2021, proposal 1: Give the proposal's theme: the name of one of its round's themes.",
        "Round 2021, proposal 1: Only one person can be the lead.",
        "Round 2021, proposal 1, team member 2: “bad” is not a valid email address.",
        "Round 2021, proposal 1, comment 1: Give the comment's text.",
        "Round 2021, proposal 1, comment 1: Give the date the comment was posted (“posted”).",
        "Round 2021, proposal 1, comment 1: Give the author's name (shown when no account "
        "matches).",
    ]
    for line in expected:
        assert line in text, line
    assert "Confirm and import" not in text
    assert Round.objects.filter(year__in=[2020, 2021]).count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[1, 2]", "must be a JSON object with a list of “rounds”"),
        (b'{"rounds": [', "The file is not valid JSON"),
    ],
)
def test_unreadable_json_is_refused(client_for, staff_admin, content, message):
    response = client_for(staff_admin).post(
        UPLOAD, {"file": SimpleUploadedFile("rounds.json", content)}
    )
    assert message in visible_text(response)
    assert not DataImport.objects.exists()


def test_overlapping_file_adds_only_what_is_new(client_for, staff_admin):
    document = json.loads(EXAMPLE.read_text())
    first = {"rounds": [document["rounds"][0]]}
    client = client_for(staff_admin)
    apply(client, upload(client, json.dumps(first).encode()))
    # The whole file, with one more comment on the first proposal.
    document["rounds"][0]["proposals"][0]["comments"].append(
        {"author_name": "Late Reader", "posted": "2024-07-01", "body": "Very late, but keen."}
    )
    data_import = upload(client, json.dumps(document).encode())
    assert data_import.preview["types"] == [
        {"type": "Round", "create": 2, "unchanged": 1},
        {"type": "Proposal", "create": 2, "unchanged": 1},
        {"type": "Comment", "create": 22, "unchanged": 4},
    ]
    apply(client, data_import)
    academy = Proposal.objects.get(round__year=2024)
    assert academy.comments.count() == 5
    assert Proposal.objects.filter(imported_at__isnull=False).count() == 3


def test_what_was_deleted_since_is_not_brought_back(client_for, staff_admin):
    client = client_for(staff_admin)
    apply(client, upload(client, EXAMPLE.read_bytes()))
    Proposal.objects.get(round__year=2023).delete()
    thread = Comment.objects.get(guest_name="Iain Latimer", parent=None)
    thread.delete()  # a moderator removed a thread, replies with it
    before = row_counts()
    result = visible_text(apply(client, upload(client, EXAMPLE.read_bytes())))
    assert "0 things created" in result
    assert row_counts() == before


def test_staff_and_moderators_pages_open_for_imported_rounds(client_for, staff_admin):
    """Imported rounds (one without themes), proposals without a lead here and comments by
    guests on the pages staff and moderators use."""
    from exchange.comments.models import CommentReport
    from qcommunity.accounts.enums import Role
    from tests.conftest import TOTP_SECRET

    client = client_for(staff_admin)
    apply(client, upload(client, EXAMPLE.read_bytes()))
    round_2018 = Round.objects.get(year=2018)
    for url in (
        reverse("exchange-staff:round-list"),
        reverse("exchange-staff:round-edit", kwargs={"pk": round_2018.pk}),
        reverse("exchange:round-feed", kwargs={"year": 2018}),
        reverse("exchange:round-feed", kwargs={"year": 2024}),
        reverse("exchange:results", kwargs={"year": 2018}),
    ):
        assert client.get(url).status_code == 200, url
    guest = Comment.objects.get(guest_name="Elspeth Rowntree")
    reader = UserFactory(roles=[Role.MEMBER])
    CommentReport.objects.create(comment=guest, reporter=reader, reason="Test report")
    client.logout()
    from allauth.mfa.totp.internal.auth import TOTP

    moderator = UserFactory(roles=[Role.MEMBER, Role.EXCHANGE_MODERATOR])
    TOTP.activate(moderator, TOTP_SECRET)
    client.force_login(moderator)
    queue = visible_text(client.get(reverse("exchange:moderation-queue")))
    assert "Comment by Elspeth Rowntree" in queue
    detail = client.get(reverse("exchange:moderation-comment", kwargs={"pk": guest.pk}))
    assert "Comment by Elspeth Rowntree" in visible_text(detail)


def test_markup_in_a_file_is_shown_as_text_and_comments_are_sanitised(
    client, client_for, staff_admin
):
    document = {
        "rounds": [{"year": 2017, "name": "Q Exchange 2017", "proposals": [{
            "title": "<b>Bold</b> idea", "summary": "=SUM(A1)", "stage": "idea",
            "created": "2017-03-01",
            "comments": [{"author_name": "<i>Eve</i>", "posted": "2017-03-02",
                          "body": "Hello <script>alert(1)</script> [link](javascript:alert(1))"}],
        }]}]
    }  # fmt: skip
    admin = client_for(staff_admin)
    data_import = upload(admin, json.dumps(document).encode())
    preview = admin.get(reverse("imports:import-detail", kwargs={"pk": data_import.pk}))
    html = preview.content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; idea" in html
    assert "<b>Bold</b>" not in html
    apply(admin, data_import)
    admin.logout()
    proposal = Proposal.objects.get(round__year=2017)
    assert proposal.summary == "=SUM(A1)"
    page = client.get(reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug}))
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "javascript:alert" not in html
    assert "&lt;i&gt;Eve&lt;/i&gt;" in html
