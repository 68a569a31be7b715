"""Checks and reshapes showcase images by their content, never by their name.

An image must really be a JPEG, PNG or WebP picture, at most 5 MB and 6000 pixels on either side.
It is re-encoded from its pixels (so EXIF data such as GPS position is dropped), turned upright,
and shrunk to fit 1200 pixels (sharp in a 600-pixel email column on high-density screens)."""

import io
import secrets

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 6000
OUTPUT_SIDE = 1200
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"
WRONG_TYPE = "The selected file must be a JPG, PNG or WebP image"


class ShowcaseImageError(ValueError):
    """The upload cannot be used; the message is written for the member."""


def showcase_image_prepare(upload) -> ContentFile:
    """Check `upload` (a Django UploadedFile) and return the re-encoded image, named at random."""
    if upload.size > MAX_BYTES:
        raise ShowcaseImageError("The image must be smaller than 5 MB")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ShowcaseImageError(WRONG_TYPE) from None
    if image_format not in ACCEPTED_FORMATS:
        raise ShowcaseImageError(WRONG_TYPE)
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ShowcaseImageError("The image must be no more than 6000 pixels wide and high")
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
        raise ShowcaseImageError("The selected file could not be read as an image") from None
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(12)}.{extension}")
