"""Profile photos: the site's picture rules (qcommunity.core.images), shrunk to fit 600 pixels."""

from django.core.files.base import ContentFile

from qcommunity.core.images import ACCEPT_ATTRIBUTE, MAX_BYTES, ImageMessages, image_prepare

__all__ = ["ACCEPT_ATTRIBUTE", "MAX_BYTES", "OUTPUT_SIDE", "PhotoError", "photo_prepare"]

OUTPUT_SIDE = 600
MESSAGES = ImageMessages(
    too_big="The photo must be smaller than 5 MB",
    wrong_type="The selected file must be a photo in JPG, PNG or WebP format",
    too_many_pixels="The photo must be no more than 6000 pixels wide and 6000 pixels high",
    unreadable="The selected file could not be read as a photo",
)


class PhotoError(ValueError):
    """The upload cannot be used; the message is written for the member."""


def photo_prepare(upload) -> ContentFile:
    """Check `upload` (a Django UploadedFile) and return the re-encoded photo, named at random."""
    return image_prepare(upload, output_side=OUTPUT_SIDE, messages=MESSAGES, error=PhotoError)
