"""Showcase images: the site's picture rules (qcommunity.core.images), shrunk to fit 1200
pixels (sharp in a 600-pixel email column on high-density screens), and where an item's image
is served."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from qcommunity.core.images import ACCEPT_ATTRIBUTE, MAX_BYTES, ImageMessages, image_prepare

__all__ = [
    "ACCEPT_ATTRIBUTE",
    "MAX_BYTES",
    "OUTPUT_SIDE",
    "ShowcaseImageError",
    "showcase_image_path",
    "showcase_image_prepare",
    "showcase_image_url",
]

OUTPUT_SIDE = 1200
WRONG_TYPE = "The selected file must be a JPG, PNG or WebP image"
MESSAGES = ImageMessages(
    too_big="The image must be smaller than 5 MB",
    wrong_type=WRONG_TYPE,
    too_many_pixels="The image must be no more than 6000 pixels wide and high",
    unreadable="The selected file could not be read as an image",
)


class ShowcaseImageError(ValueError):
    """The upload cannot be used; the message is written for the member."""


def showcase_image_prepare(upload) -> ContentFile:
    """Check `upload` (a Django UploadedFile) and return the re-encoded image, named at random."""
    return image_prepare(
        upload, output_side=OUTPUT_SIDE, messages=MESSAGES, error=ShowcaseImageError
    )


def showcase_image_path(item) -> str:
    return reverse("newsletters:showcase-image", args=[item.pk])


def showcase_image_url(item) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{showcase_image_path(item)}"
