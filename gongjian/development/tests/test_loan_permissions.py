"""Every loan permission walked over every demo role (docs/permissions.md ## development, 小额贷款),
and who opens which loan page: out of reach is a 404, a page the role may not use a 403."""

from __future__ import annotations

import pytest

from gongjian.development.models import Loan
from gongjian.kernel.permissions import can

from .factories import loan_applied

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch", "auditor", "secadmin", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}
ABOVE_XIAOLIU = {"huayin_fed", "taihua_fed", "xiaoliu_women"}
STRICTLY_ABOVE = {"huayin_fed", "taihua_fed"}

GLOBAL = dict.fromkeys(("development.view_loan", "development.apply_loan", "development.check_loan", "development.review_loan", "development.approve_loan", "development.disburse_loan", "development.record_repayment", "development.reveal_loan"), FEDERATION)
ON_XIAOLIU = {
    "development.view_loan": ABOVE_XIAOLIU,
    "development.apply_loan": ABOVE_XIAOLIU,
    "development.check_loan": {"xiaoliu_women"},
    "development.review_loan": STRICTLY_ABOVE,
    "development.approve_loan": STRICTLY_ABOVE,
    "development.disburse_loan": STRICTLY_ABOVE,
    "development.record_repayment": STRICTLY_ABOVE,
    "development.reveal_loan": ABOVE_XIAOLIU,  # every demo federation persona is a lead
}


@pytest.fixture
def xiaoliu_loan(acting) -> Loan:
    return loan_applied(acting("xiaoliu_women"))


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(GLOBAL))
def test_global_loan_permissions(acting, username, permission):
    assert can(acting(username), permission) == (username in GLOBAL[permission])


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(ON_XIAOLIU))
def test_permissions_on_a_xiaoliu_loan(acting, xiaoliu_loan, username, permission):
    assert can(acting(username), permission, xiaoliu_loan) == (username in ON_XIAOLIU[permission])


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_the_loan_list_and_the_overdue_board(login, username):
    client = login(username)
    expected = 200 if username in FEDERATION else 403
    assert client.get("/work/development/loans/").status_code == expected
    assert client.get("/work/development/loans/overdue/").status_code == expected


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_a_xiaoliu_loan(login, xiaoliu_loan, username):
    status = login(username).get(f"/work/development/loans/{xiaoliu_loan.pk}/").status_code
    assert status == (200 if username in ABOVE_XIAOLIU else 404 if username in FEDERATION else 403)


@pytest.mark.parametrize("username", ROLES)
def test_who_opens_the_decision_form_of_a_xiaoliu_loan(login, xiaoliu_loan, username):
    status = login(username).get(f"/work/development/loans/{xiaoliu_loan.pk}/decide/").status_code
    expected = 200 if username in STRICTLY_ABOVE else 403 if username in ABOVE_XIAOLIU else \
        404 if username in FEDERATION else 403
    assert status == expected


@pytest.mark.parametrize("username", ROLES)
def test_who_may_check_a_xiaoliu_loan_through_the_api(api_client, xiaoliu_loan, username):
    status = api_client(username).post(f"/api/v1/loans/{xiaoliu_loan.pk}/check", {"note": "属实"},
                                       content_type="application/json").status_code
    expected = 200 if username == "xiaoliu_women" else 403 if username in ABOVE_XIAOLIU else \
        404 if username in FEDERATION else 403
    assert status == expected
