"""Attachments are checked by their content, not their name: a real PDF, Word and Excel files
and pictures are taken; a file named .pdf that is not one, a zip that is not a Word document,
an executable, an empty or an oversized file are refused with a clear message. Downloads are
served only for proposals the viewer can see, always as attachments and never sniffed."""

import pytest
from django.urls import reverse

from exchange.proposals.enums import AttachmentKind, Stage
from exchange.proposals.models import Attachment, Proposal
from exchange.proposals.services import (
    MAX_BYTES,
    AttachmentError,
    attachment_add,
    attachment_check,
    attachment_remove,
)
from exchange.rounds.models import Round
from exchange.rounds.services import ExchangeError
from tests.exchange.proposals.helpers import (
    MINIMAL_PDF,
    doc_bytes,
    docx_bytes,
    idea,
    image_bytes,
    member,
    upload,
    xlsx_bytes,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "data", "kind", "extension"),
    [
        ("plan.pdf", MINIMAL_PDF, AttachmentKind.PDF, ".pdf"),
        ("plan.docx", docx_bytes(), AttachmentKind.WORD, ".docx"),
        ("old.doc", doc_bytes(), AttachmentKind.WORD, ".doc"),
        ("budget.xlsx", xlsx_bytes(), AttachmentKind.EXCEL, ".xlsx"),
        ("chart.png", image_bytes("PNG"), AttachmentKind.IMAGE, ".png"),
        ("photo.jpeg", image_bytes("JPEG"), AttachmentKind.IMAGE, ".jpg"),
        ("anim.gif", image_bytes("GIF"), AttachmentKind.IMAGE, ".gif"),
        ("pic.webp", image_bytes("WEBP"), AttachmentKind.IMAGE, ".webp"),
        # The name does not matter: a PDF called .png is a PDF.
        ("misnamed.png", MINIMAL_PDF, AttachmentKind.PDF, ".pdf"),
    ],
)
def test_real_files_are_recognised_by_content(name, data, kind, extension):
    found = attachment_check(upload(name, data))
    assert (found.kind, found.extension) == (kind, extension)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("fake.pdf", b"MZ\x90\x00 this is a program" * 10, "is not a PDF"),
        ("fake.pdf", b"<html><script>alert(1)</script></html>", "is not a PDF"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "damaged or incomplete"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "is not a Word document"),
        ("empty-part.docx", docx_bytes(include_part=False), "is not a Word document"),
        ("table.xlsx", b"a,b,c\n1,2,3\n", "is not an Excel spreadsheet"),
        ("tool.exe", b"MZ\x90\x00" * 20, "must be a PDF, Word document"),
        ("page.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "must be a PDF"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name, data, message):
    with pytest.raises(AttachmentError) as caught:
        attachment_check(upload(name, data))
    assert message in str(caught.value)
    assert caught.value.errors["file"] == str(caught.value)


def test_an_oversized_file_is_refused():
    big = MINIMAL_PDF + b"0" * (MAX_BYTES + 1 - len(MINIMAL_PDF))
    with pytest.raises(AttachmentError, match="smaller than 10 MB"):
        attachment_check(upload("big.pdf", big))


def test_attach_stores_under_a_random_name_and_remove_deletes_the_file():
    proposal = idea()
    attachment = attachment_add(
        actor=proposal.lead,
        proposal=proposal,
        upload=upload('../../etc/"budget".pdf', MINIMAL_PDF),
        title="Budget",
    )
    assert attachment.original_name == "budget.pdf"
    assert attachment.file.name == (f"exchange/attachments/{proposal.pk}/{attachment.token}.pdf")
    assert len(attachment.token) == 32
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(MINIMAL_PDF)
    storage, stored = attachment.file.storage, attachment.file.name
    assert storage.exists(stored)
    attachment_remove(actor=proposal.lead, attachment=attachment)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_only_the_team_attaches_and_only_while_editable():
    proposal = idea()
    with pytest.raises(ExchangeError, match="permission"):
        attachment_add(actor=member(), proposal=proposal, upload=upload("a.pdf", MINIMAL_PDF))
    Proposal.objects.filter(pk=proposal.pk).update(
        stage=Stage.NOT_FUNDED, decided_at=proposal.created_at
    )
    with pytest.raises(ExchangeError, match="no longer be changed"):
        attachment_add(actor=proposal.lead, proposal=proposal, upload=upload("a.pdf", MINIMAL_PDF))


def test_the_page_refuses_a_fake_pdf_with_a_clear_message_and_keeps_the_title(client):
    proposal = idea()
    client.force_login(proposal.lead)
    url = reverse("exchange:proposal-attachments", kwargs={"slug": proposal.slug})
    response = client.post(
        url, {"action": "upload", "title": "Our budget", "file": upload("b.pdf", b"hello")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The selected file is not a PDF, although its name ends in .pdf" in html
    assert 'value="Our budget"' in html
    assert not proposal.attachments.exists()


def test_the_page_attaches_lists_and_removes(client):
    proposal = idea()
    client.force_login(proposal.lead)
    url = reverse("exchange:proposal-attachments", kwargs={"slug": proposal.slug})
    response = client.post(
        url, {"action": "upload", "title": "", "file": upload("Budget 2027.xlsx", xlsx_bytes())}
    )
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Budget 2027.xlsx" in html
    assert "Excel spreadsheet" in html
    token = proposal.attachments.get().token
    response = client.post(url, {"action": "remove", "token": token})
    assert response.status_code == 302
    assert not proposal.attachments.exists()


def test_download_is_an_attachment_with_nosniff(client):
    proposal = idea()
    attachment = attachment_add(
        actor=proposal.lead, proposal=proposal, upload=upload("plan.pdf", MINIMAL_PDF)
    )
    url = reverse(
        "exchange:attachment-download", kwargs={"slug": proposal.slug, "token": attachment.token}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="plan.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_needs_a_visible_proposal_and_its_own_token(client):
    proposal = idea()
    attachment = attachment_add(
        actor=proposal.lead, proposal=proposal, upload=upload("plan.pdf", MINIMAL_PDF)
    )
    other = idea()
    wrong_proposal = reverse(
        "exchange:attachment-download", kwargs={"slug": other.slug, "token": attachment.token}
    )
    assert client.get(wrong_proposal).status_code == 404
    unknown = reverse(
        "exchange:attachment-download", kwargs={"slug": proposal.slug, "token": "0" * 32}
    )
    assert client.get(unknown).status_code == 404
    Round.objects.filter(pk=proposal.round_id).update(published_at=None)
    url = reverse(
        "exchange:attachment-download", kwargs={"slug": proposal.slug, "token": attachment.token}
    )
    client.force_login(member())
    assert client.get(url).status_code == 404


def test_attachments_page_queries_do_not_grow_with_files(client):
    proposal = idea()
    client.force_login(proposal.lead)
    url = reverse("exchange:proposal-attachments", kwargs={"slug": proposal.slug})

    def add(n):
        for i in range(n):
            attachment_add(
                actor=proposal.lead, proposal=proposal, upload=upload(f"f{i}.pdf", MINIMAL_PDF)
            )

    assert_constant_queries(lambda: client.get(url), add, many=5)


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_what_the_camera_wrote_into_a_picture_is_not_published(image_format):
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0132] = "2026:12:06 10:00:00"  # DateTime
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (20, 120, 40)).save(buffer, format=image_format, exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif()  # the upload carries EXIF
    proposal = idea()
    attachment = attachment_add(
        actor=proposal.lead, proposal=proposal, upload=upload("site.img", buffer.getvalue())
    )
    with attachment.file.open("rb") as stored:
        data = stored.read()
    picture = Image.open(io.BytesIO(data))
    assert picture.format == image_format
    assert picture.size == (16, 16)
    assert not picture.getexif()
    assert b"Camera maker" not in data
    assert attachment.size == len(data)
