"""API of 小额贷款: GET/POST /api/v1/loans, POST /api/v1/loans/{id}/check (村级核实), /review,
/approve (the partner's decision), /disburse and /repayments. The business plan and the guarantee
are never in an answer (the page reveals them, audited); the applicant's mobile is masked."""

from datetime import date
from decimal import Decimal

from ninja import Router, Schema, Status

from gongjian.kernel.apiauth import requires, token_auth
from gongjian.kernel.apischema import Choice, OptionalChoice, form_invalid
from gongjian.kernel.http import AuthedRequest
from gongjian.kernel.models import Organization
from gongjian.kernel.selectors import paginate

from ..forms.loan import DecisionForm, DisburseForm, LoanForm, RepaymentForm
from ..models import Instalment, Loan, LoanScheme, LoanState, PartnerKind
from ..selectors import loan as selectors
from ..services import loan as services

router = Router(auth=token_auth)


class InstalmentOut(Schema):
    number: int
    due_on: date
    principal: Decimal
    interest: Decimal
    paid_amount: Decimal
    paid_on: date | None


class LoanOut(Schema):
    id: int
    applicant_id: int
    applicant_name: str
    applicant_mobile: str
    organization_id: int
    organization_name: str
    cadre_id: int | None
    purpose: str
    amount: Decimal
    term_months: int
    jobs_created: int
    partner_kind: Choice[PartnerKind]
    partner_name: str
    scheme: Choice[LoanScheme]
    annual_rate: Decimal
    state: Choice[LoanState]
    state_label: str
    applied_on: date
    decision_on: date | None
    disbursed_on: date | None
    settled_on: date | None
    next_due_on: date | None
    outstanding: Decimal
    overdue: bool

    @staticmethod
    def resolve_applicant_name(obj: Loan) -> str:
        return obj.applicant.name

    @staticmethod
    def resolve_applicant_mobile(obj: Loan) -> str:
        return obj.applicant.mobile_masked

    @staticmethod
    def resolve_organization_name(obj: Loan) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_state_label(obj: Loan) -> str:
        return str(obj.get_state_display())


class LoanDetailOut(LoanOut):
    instalments: list[InstalmentOut]

    @staticmethod
    def resolve_instalments(obj: Loan) -> list[Instalment]:
        return list(selectors.instalments_of(obj))


@router.get("/loans", response=list[LoanOut])
@requires("development.view_loan", objects={"org": Organization})
def loan_list(request: AuthedRequest, org: int | None = None, state: OptionalChoice[LoanState] = None,
              overdue: bool = False, page: int = 1, per_page: int = 20) -> list[Loan]:
    """Loans of the caller's subtree (of one organisation's subtree, a state, or the overdue ones)."""
    rows = selectors.loan_list_visible_to(user=request.user, organization_id=org, state=state or "",
                                          overdue=overdue)
    return paginate(rows, page=page, per_page=per_page).rows


@router.get("/loans/{loan_id}", response=LoanDetailOut)
@requires("development.view_loan", objects={"loan_id": Loan})
def loan_get(request: AuthedRequest, loan_id: int) -> Loan:
    """One loan with its repayment schedule."""
    return selectors.loan_get_for_user(user=request.user, loan_id=loan_id)


class LoanIn(Schema):
    applicant_id: int
    purpose: str
    amount: Decimal
    term_months: int
    guarantee: str
    business_plan: str
    jobs_created: int = 0
    partner_kind: Choice[PartnerKind] = PartnerKind.HRSS
    partner_name: str = ""
    scheme: Choice[LoanScheme] = LoanScheme.INTEREST_FREE
    annual_rate: Decimal = Decimal(0)
    cadre_id: int | None = None


@router.post("/loans", response={201: LoanOut})
@requires("development.apply_loan")
def loan_create(request: AuthedRequest, payload: LoanIn) -> Status:
    """A woman's application (by her village federation, or one above it)."""
    data = payload.dict()
    form = LoanForm(data={"applicant": data["applicant_id"], "purpose": data["purpose"], "amount": data["amount"],
                          "term_months": data["term_months"], "guarantee": data["guarantee"],
                          "business_plan": data["business_plan"], "jobs_created": data["jobs_created"],
                          "partner_kind": data["partner_kind"], "partner_name": data["partner_name"],
                          "scheme": data["scheme"], "annual_rate": data["annual_rate"],
                          "cadre": data["cadre_id"] or ""}, user=request.user)
    if not form.is_valid():
        raise form_invalid(form)
    return Status(201, services.loan_apply(actor=request.user, data=form.to_data()))


class NoteIn(Schema):
    note: str = ""


class ReviewIn(Schema):
    passed: bool
    note: str = ""


@router.post("/loans/{loan_id}/check", response=LoanOut)
@requires("development.check_loan", objects={"loan_id": Loan})
def loan_check(request: AuthedRequest, loan_id: int, payload: NoteIn) -> Loan:
    """村级核实 by the village federation."""
    loan = selectors.loan_get_for_user(user=request.user, loan_id=loan_id)
    return services.loan_check(actor=request.user, loan=loan, note=payload.note)


@router.post("/loans/{loan_id}/review", response=LoanOut)
@requires("development.review_loan", objects={"loan_id": Loan})
def loan_review(request: AuthedRequest, loan_id: int, payload: ReviewIn) -> Loan:
    """乡镇妇联审核: passed on to the partner, or returned to the village with a reason."""
    loan = selectors.loan_get_for_user(user=request.user, loan_id=loan_id)
    return services.loan_review(actor=request.user, loan=loan, passed=payload.passed, note=payload.note)


class DecisionIn(Schema):
    approved: bool
    decided_on: date
    note: str = ""
    partner_name: str = ""


@router.post("/loans/{loan_id}/approve", response=LoanOut)
@requires("development.approve_loan", objects={"loan_id": Loan})
def loan_approve(request: AuthedRequest, loan_id: int, payload: DecisionIn) -> Loan:
    """The partner's decision (approved or not), recorded by federation staff; the document through the page."""
    loan = selectors.loan_get_for_user(user=request.user, loan_id=loan_id)
    form = DecisionForm(data={"approved": "1" if payload.approved else "0", "decided_on": payload.decided_on,
                              "note": payload.note, "partner_name": payload.partner_name})
    if not form.is_valid():
        raise form_invalid(form)
    d = form.cleaned_data
    return services.loan_decide(actor=request.user, loan=loan, approved=d["approved"], decided_on=d["decided_on"],
                                note=d["note"], partner_name=d["partner_name"])


class DisburseIn(Schema):
    disbursed_on: date
    amount: Decimal | None = None
    first_due_on: date | None = None


@router.post("/loans/{loan_id}/disburse", response=LoanDetailOut)
@requires("development.disburse_loan", objects={"loan_id": Loan})
def loan_disburse(request: AuthedRequest, loan_id: int, payload: DisburseIn) -> Loan:
    """放款: the repayment schedule is made (equal principal, monthly)."""
    loan = selectors.loan_get_for_user(user=request.user, loan_id=loan_id)
    form = DisburseForm(data={"disbursed_on": payload.disbursed_on, "amount": payload.amount or "",
                              "first_due_on": payload.first_due_on or ""})
    if not form.is_valid():
        raise form_invalid(form)
    d = form.cleaned_data
    return services.loan_disburse(actor=request.user, loan=loan, disbursed_on=d["disbursed_on"], amount=d["amount"],
                                  first_due_on=d["first_due_on"])


class RepaymentIn(Schema):
    amount: Decimal
    paid_on: date


class RepaymentOut(Schema):
    loan: LoanOut
    instalments: list[InstalmentOut]


@router.post("/loans/{loan_id}/repayments", response={201: RepaymentOut})
@requires("development.record_repayment", objects={"loan_id": Loan})
def loan_repayment(request: AuthedRequest, loan_id: int, payload: RepaymentIn) -> Status:
    """还款: the payment goes to the earliest unpaid instalments (the answer lists them)."""
    loan = selectors.loan_get_for_user(user=request.user, loan_id=loan_id)
    form = RepaymentForm(data={"amount": payload.amount, "paid_on": payload.paid_on})
    if not form.is_valid():
        raise form_invalid(form)
    done = services.loan_repay(actor=request.user, loan=loan, amount=form.cleaned_data["amount"],
                               paid_on=form.cleaned_data["paid_on"])
    return Status(201, {"loan": done.loan, "instalments": done.instalments})
