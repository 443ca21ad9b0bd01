"""Photos as phones make them, for the tests of every app: GPS in the EXIF, an orientation tag,
noise so they weigh what a real photo weighs."""

from __future__ import annotations

import io
import os

from PIL import ExifTags, Image

GPS_LATITUDE = (34.0, 33.0, 21.5)  # 华阴 — a villager's home, in the test


def phone_jpeg(width: int = 2400, height: int = 1800, *, orientation: int = 1, gps: bool = True,
               noisy: bool = True, comment: bytes = b"") -> bytes:
    """A JPEG stored as the camera took it: a scene `width` x `height` pixels, the top half red,
    the bottom half blue (so a turned image can be told from an upright one), with EXIF. With
    orientation 6 (a phone held upright) the pixels are stored turned a quarter to the left and
    the tag tells viewers to turn them back."""
    image = Image.new("RGB", (width, height), (220, 30, 30))
    image.paste((30, 60, 220), (0, height // 2, width, height))
    if noisy:
        # Real photos do not compress to nothing: blend in random noise.
        noise = Image.frombytes("L", (width, height), os.urandom(width * height)).convert("RGB")
        image = Image.blend(image, noise, 0.25)
    if orientation == 6:
        image = image.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update({
            ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
            ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (110.0, 5.0, 10.0),
        })
    out = io.BytesIO()
    options: dict[str, object] = {"exif": exif.tobytes(), "quality": 95}
    if comment:
        options["comment"] = comment
    image.save(out, "JPEG", **options)
    return out.getvalue()


def jpeg_markers(data: bytes) -> list[int]:
    """The marker of every segment before the image data (0xE1 is APP1: EXIF or XMP; 0xFE a comment)."""
    assert data[:2] == b"\xff\xd8"
    found, at = [], 2
    while at < len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the pixels follow
            break
        length = int.from_bytes(data[at + 2:at + 4], "big")
        found.append(marker)
        at += 2 + length
    return found


def carries_no_metadata(data: bytes) -> bool:
    """No EXIF, XMP or comment segment; nothing Pillow reads as EXIF."""
    with Image.open(io.BytesIO(data)) as image:
        if len(image.getexif()) or "exif" in image.info or "xmp" in image.info or "comment" in image.info:
            return False
    return not ({0xE1, 0xFE} & set(jpeg_markers(data))) if data[:2] == b"\xff\xd8" else True


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def top_is_red(data: bytes) -> bool:
    """Upright: the red half on top (a photo turned on its side has it at the left or right)."""
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
        w, h = rgb.size
        top = rgb.getpixel((w // 2, h // 8))
        bottom = rgb.getpixel((w // 2, h * 7 // 8))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    return bool(top[0] > top[2] and bottom[2] > bottom[0])
