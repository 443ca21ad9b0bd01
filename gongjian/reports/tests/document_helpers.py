"""Helpers of the document tests: a drafted document, written through, and a staff member who is
not a lead."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongjian.kernel.documents import Content
from gongjian.kernel.models import Organization, Position, User
from gongjian.reports.models import Document
from gongjian.reports.services import document as services


def draft(user: Any, kind: str = "situation_report", *, year: int | None = None) -> Document:
    year = year or date.today().year
    org = user.acting.organization
    return services.document_draft(actor=user, kind=kind, organization=org, start=date(year, 1, 1),
                                   end=date(year, 12, 31))


def written(document: Document) -> Content:
    """The current content with every section the cadre must write filled in."""
    content = Content.from_dict(services.current_version(document).content)
    for i, section in enumerate(content.sections):
        if not any(p.strip() for p in section.paragraphs):
            section.paragraphs = [f"第{i + 1}节由干部补写的内容。"]
    return content


def staff_member(organization_name: str, username: str = "doc_staff") -> User:
    """An account acting as plain staff (工作人员, not a lead) of an organisation."""
    from gongjian.kernel.context import Acting
    from gongjian.kernel.tests.matrix import Place, person

    org = Organization.objects.get(name=organization_name)
    place = Place(org.region.name)
    holder = person(place)
    position = Position.objects.create(person=holder, organization=org, title="干事", role=Position.Role.STAFF,
                                       start_date=date(2021, 1, 1))
    user = User.objects.create(username=username, person=holder)
    user.positions = [position]
    user.acting = Acting(position)
    return user


@pytest.fixture
def no_demo_documents(db: Any) -> None:
    """Start without the demo's draft (a test counting or listing documents sees its own only)."""
    Document.objects.all().delete()
