"""Files attached to a proposal: checked by their content (never their name or the type the
browser claims), kept under a random name, listed with their type and size, and removed by the
team. PDF, Word (.docx and the older .doc), Excel (.xlsx) and pictures (PNG, JPEG, GIF, WebP).

- PDF: starts with the `%PDF-` header and ends with an `%%EOF` marker.
- .docx / .xlsx: a zip whose `[Content_Types].xml` declares the Word document (or Excel
  workbook) main part, and that part is in the zip. Macro-enabled files declare other types and
  are refused.
- .doc: an OLE2 compound file holding a `WordDocument` stream.
- Pictures: Pillow reads and verifies them (as for profile photos), and they must be one of
  the four formats."""

import io
import secrets
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from .enums import AttachmentKind
from .models import Attachment, Proposal
from .services import ExchangeError, _lock, _require_editable

MAX_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 20
# The `accept` attribute of the file input: a hint for the browser's file picker only.
ACCEPT_ATTRIBUTE = ",".join(
    [
        ".pdf",
        ".doc",
        ".docx",
        ".xlsx",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
    ]
)
WRONG_TYPE = "The selected file must be a PDF, Word document, Excel spreadsheet or picture"

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
IMAGE_FORMATS = {
    "PNG": (".png", "image/png"),
    "JPEG": (".jpg", "image/jpeg"),
    "GIF": (".gif", "image/gif"),
    "WEBP": (".webp", "image/webp"),
}


@dataclass(frozen=True)
class FileType:
    kind: str
    extension: str
    content_type: str


PDF = FileType(AttachmentKind.PDF, ".pdf", "application/pdf")
DOCX = FileType(
    AttachmentKind.WORD,
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
DOC = FileType(AttachmentKind.WORD, ".doc", "application/msword")
XLSX = FileType(
    AttachmentKind.EXCEL,
    ".xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


class AttachmentError(ExchangeError):
    """The file cannot be attached; the message is written for the member."""

    def __init__(self, message: str):
        super().__init__(message, {"file": message})


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _claims(upload, *extensions: str) -> bool:
    name = (getattr(upload, "name", "") or "").lower()
    return name.endswith(extensions)


def _office_type(data: bytes) -> FileType | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return None
    with archive:
        names = set(archive.namelist())
        try:
            info = archive.getinfo("[Content_Types].xml")
        except KeyError:
            return None
        if info.file_size > 1024 * 1024:
            return None
        try:
            root = ElementTree.fromstring(archive.read(info))  # noqa: S314 (small, from a zip we size-checked)
        except (ElementTree.ParseError, zipfile.BadZipFile, RuntimeError, OSError):
            return None
        for override in root.iter(f"{CONTENT_TYPES_NS}Override"):
            content_type = override.get("ContentType", "")
            part = override.get("PartName", "").lstrip("/")
            if part not in names:
                continue
            if content_type == WORD_MAIN:
                return DOCX
            if content_type == EXCEL_MAIN:
                return XLSX
    return None


def _image_type(upload) -> FileType | None:
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        return None
    extension, content_type = IMAGE_FORMATS[image_format]
    return FileType(AttachmentKind.IMAGE, extension, content_type)


def _image_without_metadata(upload) -> bytes:
    """The picture re-encoded from its pixels, in its own format and size, so what the camera
    wrote into it (EXIF: GPS position, device, time) is not published with the proposal."""
    upload.seek(0)
    with Image.open(upload) as original:
        image_format = original.format
        buffer = io.BytesIO()
        if image_format == "GIF":
            original.save(buffer, format="GIF", save_all=True)  # keeps every frame, no EXIF
        else:
            image = ImageOps.exif_transpose(original)
            options = {"quality": 90} if image_format in {"JPEG", "WEBP"} else {}
            image.save(buffer, format=image_format, **options)
    upload.seek(0)
    return buffer.getvalue()


def attachment_check(upload) -> FileType:
    """What `upload` (a Django UploadedFile) really is, or AttachmentError saying why it
    cannot be attached."""
    if upload is None:
        raise AttachmentError("Select a file to attach")
    if upload.size == 0:
        raise AttachmentError("The selected file is empty")
    if upload.size > MAX_BYTES:
        raise AttachmentError("The selected file must be smaller than 10 MB")
    data = _read_all(upload)
    if data.startswith(b"%PDF-"):
        if b"%%EOF" in data[-1024:]:
            return PDF
        raise AttachmentError("The selected file looks like a PDF but is damaged or incomplete")
    if data.startswith(b"PK\x03\x04"):
        if found := _office_type(data):
            return found
    elif data.startswith(OLE2_MAGIC):
        if "WordDocument".encode("utf-16-le") in data:
            return DOC
    elif found := _image_type(upload):
        return found
    if _claims(upload, ".pdf"):
        raise AttachmentError("The selected file is not a PDF, although its name ends in .pdf")
    if _claims(upload, ".doc", ".docx"):
        raise AttachmentError(
            "The selected file is not a Word document, although it is named as one"
        )
    if _claims(upload, ".xlsx", ".xls"):
        raise AttachmentError(
            "The selected file is not an Excel spreadsheet (.xlsx), although it is named as one"
        )
    raise AttachmentError(WRONG_TYPE)


def _clean_name(name: str) -> str:
    name = (name or "attachment").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name.strip()[:200] or "attachment"


@transaction.atomic
def attachment_add(*, actor, proposal: Proposal, upload, title: str = "", now=None) -> Attachment:
    """Attach `upload` to the proposal: the team, while it can be edited. The file is stored
    under a random name with the extension its content shows."""
    proposal = _lock(proposal)
    _require_editable(actor, proposal, now)
    if len(title) > 200:
        raise ExchangeError(
            "The title must be 200 characters or fewer.",
            {"title": "The title must be 200 characters or fewer"},
        )
    if proposal.attachments.filter(update__isnull=True).count() >= MAX_ATTACHMENTS:
        raise AttachmentError(
            f"A proposal can have up to {MAX_ATTACHMENTS} attachments. Remove one first."
        )
    return attachment_store(
        actor=actor, proposal=proposal, upload=upload, found=attachment_check(upload), title=title
    )


def attachment_store(
    *, actor, proposal: Proposal, upload, found: FileType, title: str = "", update=None
) -> Attachment:
    """Store `upload`, already checked (`found`), for the proposal or one of its progress
    updates: under a random name with the extension its content shows, a picture re-encoded
    without its metadata. The caller holds the rules of who may attach."""
    attachment = Attachment(
        proposal=proposal,
        update=update,
        token=secrets.token_hex(16),
        extension=found.extension,
        original_name=_clean_name(upload.name),
        title=title.strip(),
        kind=found.kind,
        content_type=found.content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    try:
        data = (
            _image_without_metadata(upload)
            if found.kind == AttachmentKind.IMAGE
            else _read_all(upload)
        )
    except (OSError, ValueError, Image.DecompressionBombError):
        raise AttachmentError("The selected picture could not be read") from None
    attachment.size = len(data)
    attachment.file.save("upload", ContentFile(data), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment, now=None) -> None:
    """Remove the file and its entry: the team, while the proposal can be edited."""
    proposal = _lock(attachment.proposal)
    _require_editable(actor, proposal, now)
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
