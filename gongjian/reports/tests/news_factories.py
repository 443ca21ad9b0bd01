"""Makers for the 信息报送 tests: a piece sent by a persona, a photo as a phone sends it."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gongjian.kernel.tests.matrix import persona
from gongjian.reports.models import NewsSubmission
from gongjian.reports.services import news as services

BODY = "近日，村妇女之家组织妇女参加实用技术培训，邀请农技员现场讲解。\n参训妇女40余人，大家纷纷表示收获很大。"


def jpeg(name: str = "photo.jpg", *, size: tuple[int, int] = (640, 480), exif: bool = False,
         colour: tuple[int, int, int] = (200, 120, 80)) -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010F] = "PhoneMaker"  # Make
        info[0x0112] = 6  # Orientation: rotate 90° clockwise to show upright
        info[0x8825] = {1: "N", 2: (34.0, 33.0, 1.0)}  # GPSInfo
        image.save(out, format="JPEG", exif=info)
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def submit(username: str, *, title: str = "村妇女之家举办实用技术培训", body: str = BODY, byline: str = "",
           photos: list[services.PhotoIn] | None = None, receiver: Any = None) -> NewsSubmission:
    actor = persona(username)
    return services.news_submit(actor=actor, title=title, body=body,
                                byline=byline or services.default_byline(actor), receiver=receiver,
                                photos=photos or [])


def adopt(username: str, piece: NewsSubmission, **kwargs: Any) -> NewsSubmission:
    return services.news_adopt(actor=persona(username), submission=piece, **kwargs)


def send_back(username: str, piece: NewsSubmission, reason: str = "请补充参训人数和时间。") -> NewsSubmission:
    return services.news_return(actor=persona(username), submission=piece, reason=reason)
