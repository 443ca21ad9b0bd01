"""Records of disclosure for the role x route matrix (kernel/tests/test_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from gongjian.disclosure.models import Disclosure, Inspection, Suggestion
from gongjian.kernel.models import StoredFile, User
from gongjian.kernel.tests.matrix import Place, stored_file


def disclosure(place: Place) -> Disclosure:
    return Disclosure.objects.create(organization=place.party, title="矩阵测试公开事项", category="self_building",
                                     timing="regular", scope="public",
                                     created_by=User.objects.get(username="xiaoliu_branch"))


def attachment(place: Place) -> StoredFile:
    item = disclosure(place)
    file = stored_file(place.party)
    item.attachments.add(file)
    return file


def suggestion(place: Place) -> Suggestion:
    found = Suggestion(organization=place.party, content="建议内容", due_on=date(2026, 12, 31))
    found.issue_credentials()
    found.save()
    return found


def inspection(place: Place) -> Inspection:
    return Inspection.objects.create(
        organization=place.party, inspector_organization=place.party,
        inspected_by=User.objects.get(username="taihua_party"), inspected_on=date(2026, 6, 1), content=3,
        procedure=3, form=3, rules=3, execution=3, effect=3)


RECORDS: dict[type, Callable[[Place], Any]] = {
    Disclosure: disclosure,
    StoredFile: attachment,
    Suggestion: suggestion,
    Inspection: inspection,
}
