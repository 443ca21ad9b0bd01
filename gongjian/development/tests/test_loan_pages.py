"""The loan pages: an application written on a phone, each step's form, the overdue board, the
audited reveal of the business plan and the guarantee."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongjian.development.models import Loan, LoanState
from gongjian.development.services.loan import add_months
from gongjian.kernel.models import AuditEvent

from .factories import demo_village_woman, loan_applied, loan_disbursed

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def application(**extra):
    return {"applicant": demo_village_woman().pk, "purpose": "扩大苹果园", "amount": "24000", "term_months": "12",
            "guarantee": "反担保人一名", "business_plan": "扩种苹果二十亩，带动本村妇女五人就业。", "jobs_created": "5",
            "partner_kind": "hrss", "partner_name": "华阴市人社局", "scheme": "interest_free", "annual_rate": "",
            "cadre": "", **extra}


def test_a_village_director_applies_for_a_woman_with_her_plan_attached(login):
    client = login("xiaoliu_women")
    page = client.get("/work/development/loans/new/")
    assert page.status_code == 200 and "登记贷款申请" in page.content.decode()
    response = client.post("/work/development/loans/new/",
                           application(plan_file=SimpleUploadedFile("计划.pdf", PDF, content_type="application/pdf")))
    loan = Loan.objects.order_by("-id").first()
    assert response.status_code == 302 and response["Location"] == f"/work/development/loans/{loan.pk}/"
    assert loan.plan_file is not None and loan.state == LoanState.APPLIED
    detail = client.get(f"/work/development/loans/{loan.pk}/").content.decode()
    assert "核实无误，报乡镇审核" in detail and "扩种苹果" not in detail
    assert client.get(f"/work/development/loans/{loan.pk}/files/plan/").status_code == 200


def test_a_bad_application_page_says_why_and_saves_nothing(login):
    before = Loan.objects.count()
    response = login("xiaoliu_women").post("/work/development/loans/new/", application(amount="50"))
    assert response.status_code == 400 and "贷款金额应在100元至300万元之间。" in response.content.decode()
    assert Loan.objects.count() == before


def test_the_steps_through_the_pages_up_to_a_repayment(login, acting):
    loan = loan_applied(acting("xiaoliu_women"))
    village, township = login("xiaoliu_women"), login("taihua_fed")
    url = f"/work/development/loans/{loan.pk}/"
    village.post(f"{url}check/", {"note": "属实"})
    township.post(f"{url}review/", {"passed": "1", "note": "同意"})
    assert "登记合作方审批结果" in township.get(url).content.decode()
    today = timezone.localdate().isoformat()
    document = SimpleUploadedFile("批复.pdf", PDF, content_type="application/pdf")
    township.post(f"{url}decide/", {"approved": "1", "decided_on": today, "note": "", "partner_name": "",
                                    "document": document})
    township.post(f"{url}disburse/", {"disbursed_on": today, "amount": "", "first_due_on": ""})
    response = township.post(f"{url}repay/", {"amount": "2000", "paid_on": today})
    assert response.status_code == 302
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.state == LoanState.REPAYING and loan.decision_file is not None
    assert "第1期" in township.get(url).content.decode()


def test_a_repayment_above_what_is_left_is_refused_on_the_page(login, acting):
    loan = loan_disbursed(acting("xiaoliu_women"), acting("taihua_fed"), disbursed_on=timezone.localdate())
    response = login("taihua_fed").post(f"/work/development/loans/{loan.pk}/repay/",
                                        {"amount": "999999", "paid_on": timezone.localdate().isoformat()})
    assert response.status_code == 400 and "不超过未还金额" in response.content.decode()


def test_the_overdue_board_shows_how_long_a_loan_is_overdue(login, acting):
    start = add_months(timezone.localdate(), -2)
    loan = loan_disbursed(acting("xiaoliu_women"), acting("taihua_fed"), disbursed_on=start)
    days = (timezone.localdate() - add_months(start, 1)).days
    page = login("taihua_fed").get("/work/development/loans/overdue/").content.decode()
    assert f"逾期{days}天" in page and loan.applicant.name in page


def test_a_lead_reveals_the_business_plan_and_the_reveal_is_audited(login, acting):
    loan = loan_applied(acting("xiaoliu_women"))
    client = login("taihua_fed")
    refused = client.post(f"/work/development/loans/{loan.pk}/reveal/", {"field": "business_plan", "reason": ""})
    assert refused.status_code == 400
    shown = client.post(f"/work/development/loans/{loan.pk}/reveal/", {"field": "guarantee", "reason": "核对担保"})
    assert shown.status_code == 200 and "反担保人一名" in shown.content.decode()
    assert AuditEvent.objects.filter(event="development.loan.revealed", object_id=str(loan.pk)).count() == 1


def test_the_loan_list_and_the_home_tile(login):
    client = login("lingsha_fed")
    listing = client.get("/work/development/loans/").content.decode()
    assert "逾期贷款" in listing and "购买滩羊扩大养殖" in listing
    assert 'href="/work/development/loans/"' in client.get("/work/development/").content.decode()
    assert 'href="/work/development/loans/"' not in login("taihua_party").get("/work/development/").content.decode()


def test_a_loan_due_tomorrow_is_not_on_the_board(login, acting):
    loan = loan_disbursed(acting("xiaoliu_women"), acting("taihua_fed"),
                          disbursed_on=timezone.localdate() - timedelta(days=1))
    assert loan.applicant.name not in login("guojia_women").get("/work/development/loans/overdue/").content.decode()
    assert not Loan.objects.get(pk=loan.pk).overdue
