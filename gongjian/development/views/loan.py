"""Staff pages of 小额贷款 (/work/development/loans/): the list and the overdue board, an
application on a phone, the village check, the township review, the partner's decision, the
disbursement, repayments, 贴息, and the audited reveal of the plan and the guarantee."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.kernel.attachments import file_response
from gongjian.kernel.decorators import staff_view
from gongjian.kernel.forms import add_service_errors, run_service
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.permissions import can
from gongjian.kernel.selectors import paginate

from ..forms.loan import (
    DecisionForm,
    DisburseForm,
    LoanForm,
    NoteForm,
    RepaymentForm,
    RevealForm,
    SubsidyForm,
)
from ..models import Loan, LoanState
from ..selectors import loan as selectors
from ..services import loan as services


def _status(form: Any) -> int:
    return 400 if getattr(form, "is_bound", False) and getattr(form, "errors", None) else 200


def _loan(request: AuthedRequest, pk: int, permission: str = "") -> Loan:
    loan = selectors.loan_get_for_user(user=request.user, loan_id=pk)
    if permission and not can(request.user, permission, loan):
        raise PermissionDenied(permission)
    return loan


@staff_view("development.view_loan", objects={"org": Organization})
def loan_list(request: AuthedRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    overdue = request.GET.get("overdue") == "1"
    rows = selectors.loan_list_visible_to(user=request.user, organization_id=request.GET.get("org"), state=state,
                                          overdue=overdue)
    return render(request, "development/loan/list.html", {
        "page": paginate(rows, page=request.GET.get("page"), per_page=30), "states": LoanState.choices,
        "state": state, "overdue": overdue, "can_apply": can(request.user, "development.apply_loan"),
        "overdue_count": selectors.overdue_count(user=request.user)})


@staff_view("development.view_loan", objects={"org": Organization})
def loan_board(request: AuthedRequest) -> HttpResponse:
    page = selectors.overdue_board_page(user=request.user, organization_id=request.GET.get("org"),
                                        page=request.GET.get("page"), per_page=30)
    return render(request, "development/loan/board.html", {"page": page, "rows": page.rows})


@staff_view("development.apply_loan", handles_pii=True)
def loan_create(request: AuthedRequest) -> HttpResponse:
    form = LoanForm(request.POST or None, request.FILES or None, user=request.user)
    done = run_service(request, form, lambda: services.loan_apply(
        actor=request.user, data=form.to_data(), plan_file=form.cleaned_data.get("plan_file")),
        _("贷款申请已登记，下一步：村级核实。"))
    return done or render(request, "development/loan/form.html", {"form": form}, status=_status(form))


@staff_view("development.view_loan", handles_pii=True, objects={"pk": Loan})
def loan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk)
    user = request.user
    return render(request, "development/loan/detail.html", {
        "loan": loan, "instalments": selectors.instalments_of(loan), "subsidies": selectors.subsidies_of(loan),
        "states": LoanState, "reveal_form": RevealForm(), "today": timezone.localdate(),
        "can_check": can(user, "development.check_loan", loan), "can_review": can(user, "development.review_loan", loan),
        "can_approve": can(user, "development.approve_loan", loan),
        "can_disburse": can(user, "development.disburse_loan", loan),
        "can_repay": can(user, "development.record_repayment", loan),
        "can_reveal": can(user, "development.reveal_loan", loan)})


def _post_step(request: AuthedRequest, pk: int, permission: str, step: Any, done: str) -> HttpResponse:
    loan = _loan(request, pk, permission)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        step(loan, note)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(loan)


@staff_view("development.check_loan", objects={"pk": Loan})
@require_POST
def loan_check(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post_step(request, pk, "development.check_loan",
                      lambda loan, note: services.loan_check(actor=request.user, loan=loan, note=note),
                      _("已核实，报乡镇妇联审核。"))


@staff_view("development.check_loan", objects={"pk": Loan})
@require_POST
def loan_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post_step(request, pk, "development.check_loan",
                      lambda loan, note: services.loan_withdraw(actor=request.user, loan=loan, reason=note),
                      _("申请已撤回。"))


@staff_view("development.review_loan", objects={"pk": Loan})
@require_POST
def loan_review(request: AuthedRequest, pk: int) -> HttpResponse:
    passed = request.POST.get("passed") == "1"
    return _post_step(request, pk, "development.review_loan",
                      lambda loan, note: services.loan_review(actor=request.user, loan=loan, passed=passed, note=note),
                      _("审核通过，报合作方审批。") if passed else _("已退回村妇联。"))


def _action(request: AuthedRequest, loan: Loan, form: Any, run: Any, done: str, title: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(loan)
    return render(request, "development/loan/action.html", {"loan": loan, "form": form, "title": title},
                  status=_status(form))


@staff_view("development.approve_loan", objects={"pk": Loan})
def loan_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk, "development.approve_loan")
    form = DecisionForm(request.POST or None, request.FILES or None, initial={"partner_name": loan.partner_name})
    return _action(request, loan, form, lambda d: services.loan_decide(
        actor=request.user, loan=loan, approved=d["approved"], decided_on=d["decided_on"], note=d["note"],
        partner_name=d["partner_name"], document=d["document"]), _("合作方决定已登记。"), _("登记合作方审批结果"))


@staff_view("development.disburse_loan", objects={"pk": Loan})
def loan_disburse(request: AuthedRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk, "development.disburse_loan")
    form = DisburseForm(request.POST or None)
    return _action(request, loan, form, lambda d: services.loan_disburse(
        actor=request.user, loan=loan, disbursed_on=d["disbursed_on"], amount=d["amount"],
        first_due_on=d["first_due_on"]), _("已放款，还款计划已生成。"), _("登记放款"))


@staff_view("development.record_repayment", objects={"pk": Loan})
def loan_repay(request: AuthedRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk, "development.record_repayment")
    form = RepaymentForm(request.POST or None)
    return _action(request, loan, form, lambda d: services.loan_repay(
        actor=request.user, loan=loan, amount=d["amount"], paid_on=d["paid_on"]), _("还款已登记。"), _("登记还款"))


@staff_view("development.record_repayment", objects={"pk": Loan})
def loan_subsidy(request: AuthedRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk, "development.record_repayment")
    form = SubsidyForm(request.POST or None)
    return _action(request, loan, form, lambda d: services.loan_record_subsidy(
        actor=request.user, loan=loan, period_start=d["period_start"], period_end=d["period_end"],
        amount=d["amount"], note=d["note"]), _("贴息已登记。"), _("登记贴息"))


@staff_view("development.reveal_loan", handles_pii=True, objects={"pk": Loan})
@require_POST
def loan_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk, "development.reveal_loan")
    form = RevealForm(request.POST)
    revealed = None
    if form.is_valid():
        try:
            revealed = services.loan_reveal(actor=request.user, loan=loan, field=form.cleaned_data["field"],
                                            reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "development/loan/_reveal.html",
                  {"loan": loan, "form": form, "revealed": revealed, "field": form.data.get("field")},
                  status=200 if revealed is not None else 400)


@staff_view("development.view_loan", objects={"pk": Loan})
def loan_file(request: AuthedRequest, pk: int, which: str) -> HttpResponseBase:
    loan = _loan(request, pk)
    stored = {"plan": loan.plan_file, "decision": loan.decision_file}.get(which)
    if stored is None:
        raise Http404
    return file_response(request, stored)


urlpatterns = [
    path("", loan_list, name="loan-list"),
    path("overdue/", loan_board, name="loan-board"),
    path("new/", loan_create, name="loan-create"),
    path("<int:pk>/", loan_detail, name="loan-detail"),
    path("<int:pk>/check/", loan_check, name="loan-check"),
    path("<int:pk>/withdraw/", loan_withdraw, name="loan-withdraw"),
    path("<int:pk>/review/", loan_review, name="loan-review"),
    path("<int:pk>/decide/", loan_decide, name="loan-decide"),
    path("<int:pk>/disburse/", loan_disburse, name="loan-disburse"),
    path("<int:pk>/repay/", loan_repay, name="loan-repay"),
    path("<int:pk>/subsidy/", loan_subsidy, name="loan-subsidy"),
    path("<int:pk>/reveal/", loan_reveal, name="loan-reveal"),
    path("<int:pk>/files/plan/", loan_file, {"which": "plan"}, name="loan-plan-file"),
    path("<int:pk>/files/decision/", loan_file, {"which": "decision"}, name="loan-decision-file"),
]
