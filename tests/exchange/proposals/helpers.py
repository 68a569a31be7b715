"""Builders for the proposal editing tests: a round taking ideas, a member's idea with a lead,
and files of each kind made in memory (a real minimal PDF, docx and xlsx made with zipfile,
pictures made with Pillow)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exchange.proposals.enums import Stage
from qcommunity.accounts.enums import Role
from tests.factories.accounts import UserFactory
from tests.factories.exchange import make_exchange_round, make_proposal


def member(**kwargs):
    return UserFactory(roles=[Role.MEMBER], **kwargs)


def idea(stage=Stage.IDEA, **round_kwargs):
    """An idea (or `stage`) in a round taking ideas now, led by a new member."""
    round_ = make_exchange_round(voting_open=False, **round_kwargs)
    lead = member(full_name="Lena Lead")
    return make_proposal(round_, lead=lead, stage=stage)


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def office_zip(main_part: str, content_type: str, *, include_part: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT_NS}">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{main_part}" ContentType="{content_type}"/></Types>',
        )
        if include_part:
            archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def docx_bytes(**kwargs) -> bytes:
    return office_zip(
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        **kwargs,
    )


def xlsx_bytes() -> bytes:
    return office_zip(
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    )


def doc_bytes() -> bytes:
    """The start of an OLE2 compound file with a WordDocument stream entry."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + "WordDocument".encode("utf-16-le") + b"\x00" * 200


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
