"""Checks and reshapes uploaded pictures by their content, never by their name: profile photos
and showcase images use the same rules with their own words and sizes.

A picture must really be a JPEG, PNG or WebP image, at most 5 MB and 6000 pixels on either side.
It is re-encoded from its pixels (so EXIF data such as GPS position is dropped), turned upright,
and shrunk to fit `output_side`; pictures with transparency stay PNG, everything else becomes
JPEG."""

import io
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 6000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"


@dataclass(frozen=True)
class ImageMessages:
    """What the person is told, in the words of the page that takes the upload."""

    too_big: str
    wrong_type: str
    too_many_pixels: str
    unreadable: str


def image_prepare(
    upload, *, output_side: int, messages: ImageMessages, error: type[ValueError]
) -> ContentFile:
    """Check `upload` (a Django UploadedFile) and return the re-encoded picture, named at random;
    raise `error` with one of `messages` when it cannot be used."""
    if upload.size > MAX_BYTES:
        raise error(messages.too_big)
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise error(messages.wrong_type) from None
    if image_format not in ACCEPTED_FORMATS:
        raise error(messages.wrong_type)
    if width > MAX_SIDE or height > MAX_SIDE:
        raise error(messages.too_many_pixels)
    try:
        upload.seek(0)
        with Image.open(upload) as original:
            image = ImageOps.exif_transpose(original)
            image.thumbnail((output_side, output_side))
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
        raise error(messages.unreadable) from None
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(12)}.{extension}")
