"""Small builders for womenshome tests (pytest fixtures in conftest.py wrap them)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gongjian.kernel.models import Organization, Person
from gongjian.womenshome import services
from gongjian.womenshome.models import Activity, ActivityKind, AttendanceMode


def png(size: tuple[int, int] = (8, 6)) -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (183, 28, 28)).save(buf, "PNG")
    return SimpleUploadedFile("合影.png", buf.getvalue(), content_type="image/png")


def activity_data(organization: Organization, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organization": organization, "kind": ActivityKind.AGRI_TRAINING, "title": "果树修剪技术培训",
        "date": date(2026, 11, 20), "place": "村委会", "partners": ["agriculture"], "hours": Decimal("3"),
        "summary": "请农技站老师讲解冬季修剪。", "attendance_mode": AttendanceMode.BY_PERSON, "head_count": 0,
    }
    data.update(overrides)
    return data


def make_activity(actor: Any, organization: Organization, **overrides: Any) -> Activity:
    return services.activity_create(actor=actor, data=activity_data(organization, **overrides))


def residents(org_name: str, n: int = 5) -> list[Person]:
    return list(Person.objects.filter(organization__name=org_name, positions__isnull=True).order_by("id")[:n])
