"""Checks and reshapes uploaded profile photos by their content, never by their name.

A photo must really be a JPEG, PNG or WebP image, at most 5 MB and 6000 pixels on either side.
It is re-encoded from its pixels (so EXIF data such as GPS position is dropped), turned upright,
and shrunk to fit 600 pixels; pictures with transparency stay PNG, everything else becomes JPEG.
"""

import io
import secrets

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 6000
OUTPUT_SIDE = 600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"


class PhotoError(ValueError):
    """The upload cannot be used; the message is written for the member."""


def photo_prepare(upload) -> ContentFile:
    """Check `upload` (a Django UploadedFile) and return the re-encoded photo, named at random."""
    if upload.size > MAX_BYTES:
        raise PhotoError("The photo must be smaller than 5 MB")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoError("The selected file must be a photo in JPG, PNG or WebP format") from None
    if image_format not in ACCEPTED_FORMATS:
        raise PhotoError("The selected file must be a photo in JPG, PNG or WebP format")
    if width > MAX_SIDE or height > MAX_SIDE:
        raise PhotoError("The photo must be no more than 6000 pixels wide and 6000 pixels high")
    try:
        upload.seek(0)
        with Image.open(upload) as original:
            image = ImageOps.exif_transpose(original)
            image.thumbnail((OUTPUT_SIDE, OUTPUT_SIDE))
            has_alpha = image.mode in {"RGBA", "LA"} or (
                image.mode == "P" and "transparency" in image.info
            )
            buffer = io.BytesIO()
            if has_alpha:
                image.convert("RGBA").save(buffer, format="PNG", optimize=True)
                extension = "png"
            else:
                image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
                extension = "jpg"
    except (OSError, ValueError, Image.DecompressionBombError):
        raise PhotoError("The selected file could not be read as a photo") from None
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(12)}.{extension}")
