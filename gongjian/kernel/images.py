"""What is kept of a photo (P-04): the pixels, turned upright, at most 1600 px on the longest side,
re-encoded with no EXIF, XMP, comment or text chunk — a phone's GPS position of a villager's home
must never reach storage, let alone a page — and a small copy for lists and thumbnails.

Pure functions over bytes; `kernel.attachments` stores what they return."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

MAX_SIDE = 1600
THUMB_SIDE = 480  # shown at up to 240 CSS px: sharp on a 2x phone screen
JPEG_QUALITY = 82
THUMB_QUALITY = 72


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


def _upright(data: bytes) -> tuple[Image.Image, bytes | None]:
    with Image.open(io.BytesIO(data)) as source:
        source.load()
        icc = source.info.get("icc_profile")
        # exif_transpose returns a new image, rotated or mirrored as the camera's tag says.
        upright = ImageOps.exif_transpose(source)
    return upright, icc if isinstance(icc, bytes) else None


def _encode(image: Image.Image, extension: str, *, quality: int, icc: bytes | None) -> bytes:
    # A fresh info dict: Pillow carries comments, EXIF and XMP over from `info` on save.
    transparency = image.info.get("transparency")
    image.info = {}
    out = io.BytesIO()
    if extension == "jpg":
        if image.mode not in ("RGB", "L"):
            if image.mode == "CMYK":
                icc = None  # the profile describes the old colour space
            image = image.convert("RGB")
        options: dict[str, object] = {"quality": quality, "optimize": True, "progressive": True}
        if icc:
            options["icc_profile"] = icc
        image.save(out, "JPEG", **options)
    else:
        options = {"compress_level": 6}
        if icc:
            options["icc_profile"] = icc
        if transparency is not None:
            options["transparency"] = transparency
        image.save(out, "PNG", **options)
    return out.getvalue()


def clean(data: bytes, extension: str, *, max_side: int = MAX_SIDE, quality: int = JPEG_QUALITY) -> Rendition:
    """The photo upright, within `max_side`, with no metadata but its colour profile."""
    image, icc = _upright(data)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    encoded = _encode(image, extension, quality=quality, icc=icc)
    return Rendition(encoded, image.width, image.height)


def thumbnail(data: bytes, extension: str) -> Rendition:
    """The small copy shown in lists and on activity pages."""
    return clean(data, extension, max_side=THUMB_SIDE, quality=THUMB_QUALITY)


def metadata_of(data: bytes) -> dict[str, object]:
    """What an image carries beside its pixels (for tests and the clean-up command's report)."""
    with Image.open(io.BytesIO(data)) as image:
        found: dict[str, object] = {k: v for k, v in image.info.items()
                                    if k in ("exif", "xmp", "comment", "XML:com.adobe.xmp", "Description")}
        exif = image.getexif()
        if len(exif):
            found["exif_tags"] = len(exif)
        if hasattr(image, "text") and image.text:
            found["text"] = dict(image.text)
    return found
