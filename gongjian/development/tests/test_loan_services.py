"""小额贷款 from application to settlement through the services: the state table, the schedule,
repayments, the overdue flag the board reads, 贴息, the audited reveal, the reminders' sweep and
the figures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from gongjian.development.models import Loan, LoanState
from gongjian.development.selectors import loan as selectors
from gongjian.development.services import loan as services
from gongjian.kernel import figures
from gongjian.kernel.models import AuditEvent, Notification
from gongjian.kernel.workflow import InvalidTransition

from .factories import demo_village_woman, loan_applied, loan_disbursed

pytestmark = pytest.mark.django_db


def months_ago(n: int) -> date:
    return services.add_months(timezone.localdate(), -n)


def test_a_village_application_is_checked_reviewed_approved_and_disbursed_with_a_schedule(acting, org):
    village, township = acting("xiaoliu_women"), acting("taihua_fed")
    loan = loan_applied(village)
    assert loan.state == LoanState.APPLIED and loan.organization == org("小留村妇联")
    loan = services.loan_check(actor=village, loan=loan, note="属实")
    loan = services.loan_review(actor=township, loan=loan, passed=True, note="同意")
    loan = services.loan_decide(actor=township, loan=loan, approved=True, decided_on=timezone.localdate())
    loan = services.loan_disburse(actor=township, loan=loan, disbursed_on=timezone.localdate())
    assert loan.state == LoanState.DISBURSED
    rows = list(selectors.instalments_of(loan))
    assert len(rows) == 12 and sum(r.principal for r in rows) == Decimal("24000")
    assert rows[0].due_on == services.add_months(timezone.localdate(), 1) == loan.next_due_on
    assert loan.outstanding == Decimal("24000") and not loan.overdue
    assert set(AuditEvent.objects.filter(object_id=str(loan.pk)).values_list("event", flat=True)) >= {
        "development.loan.applied", "development.loan.checked", "development.loan.reviewed",
        "development.loan.approved", "development.loan.disbursed"}


def test_the_township_cannot_skip_the_village_check(acting):
    loan = loan_applied(acting("xiaoliu_women"))
    with pytest.raises(InvalidTransition):
        services.loan_review(actor=acting("taihua_fed"), loan=loan, passed=True)


def test_the_village_cannot_review_its_own_application(acting):
    village = acting("xiaoliu_women")
    loan = services.loan_check(actor=village, loan=loan_applied(village))
    with pytest.raises(PermissionDenied):
        services.loan_review(actor=village, loan=loan, passed=True)


def test_a_township_returned_application_goes_back_to_the_village_with_its_reason(acting):
    village, township = acting("xiaoliu_women"), acting("taihua_fed")
    loan = services.loan_check(actor=village, loan=loan_applied(village))
    with pytest.raises(ValidationError):
        services.loan_review(actor=township, loan=loan, passed=False, note="")
    loan = services.loan_review(actor=township, loan=Loan.objects.get(pk=loan.pk), passed=False, note="缺少担保人签字")
    assert loan.state == LoanState.APPLIED and loan.review_note == "缺少担保人签字"
    assert services.loan_check(actor=village, loan=loan).state == LoanState.CHECKED


def test_a_refused_loan_keeps_the_partners_reason_and_cannot_be_disbursed(acting):
    village, township = acting("xiaoliu_women"), acting("taihua_fed")
    loan = services.loan_check(actor=village, loan=loan_applied(village))
    loan = services.loan_review(actor=township, loan=loan, passed=True)
    loan = services.loan_decide(actor=township, loan=loan, approved=False, decided_on=timezone.localdate(),
                                note="征信有逾期记录")
    assert loan.state == LoanState.REFUSED and loan.decision_note == "征信有逾期记录"
    with pytest.raises(InvalidTransition):
        services.loan_disburse(actor=township, loan=loan, disbursed_on=timezone.localdate())


@pytest.mark.parametrize(("field", "value", "message"), [
    ("amount", Decimal("50"), "贷款金额应在100元至300万元之间。"),
    ("term_months", 0, "贷款期限应为1至60个月。"),
    ("business_plan", "养鸡", "请写明创业计划（至少10个字）。"),
    ("guarantee", "", "请填写担保方式（如：反担保人、信用社区担保）。"),
])
def test_a_bad_application_says_why_in_chinese_and_saves_nothing(acting, field, value, message):
    before = Loan.objects.count()
    with pytest.raises(ValidationError) as caught:
        loan_applied(acting("xiaoliu_women"), **{field: value})
    assert message in caught.value.message_dict[field]
    assert Loan.objects.count() == before


def test_a_man_or_a_woman_of_another_village_cannot_be_the_applicant(acting, org):
    village = acting("xiaoliu_women")
    man = org("小留村妇联").people.filter(gender="M").first()
    with pytest.raises(ValidationError):
        loan_applied(village, applicant=man)
    with pytest.raises(ValidationError):
        loan_applied(village, applicant=demo_village_woman("郭家村"))


def test_the_plan_and_the_guarantee_are_encrypted_at_rest_and_revealed_with_an_audited_reason(acting):
    loan = loan_applied(acting("xiaoliu_women"))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT business_plan, guarantee FROM development_loan WHERE id = %s", [loan.pk])
        plan, guarantee = cursor.fetchone()
    assert "苹果" not in plan and "反担保" not in guarantee
    lead = acting("taihua_fed")
    with pytest.raises(ValidationError):
        services.loan_reveal(actor=lead, loan=loan, field="business_plan", reason="")
    assert "苹果" in services.loan_reveal(actor=lead, loan=loan, field="business_plan", reason="核对材料")
    event = AuditEvent.objects.filter(event="development.loan.revealed", object_id=str(loan.pk)).get()
    assert event.changes == {"field": "business_plan", "reason": "核对材料"}
    with pytest.raises(PermissionDenied):
        services.loan_reveal(actor=acting("guojia_women"), loan=loan, field="guarantee", reason="看看")


def test_repayments_go_to_the_earliest_instalments_and_the_last_one_settles_the_loan(acting):
    loan = loan_disbursed(acting("xiaoliu_women"), acting("taihua_fed"), disbursed_on=months_ago(2),
                          term_months=3, amount=Decimal("3000"))
    township = acting("taihua_fed")
    assert loan.overdue and loan.next_due_on == months_ago(1)
    done = services.loan_repay(actor=township, loan=loan, amount=Decimal("1500"), paid_on=timezone.localdate())
    assert [(row.number, row.paid_amount, row.paid_on is not None) for row in done.instalments] == [
        (1, Decimal("1000"), True), (2, Decimal("500"), False)]
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.state == LoanState.REPAYING and loan.outstanding == Decimal("1500")
    assert loan.next_due_on == timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.loan_repay(actor=township, loan=loan, amount=Decimal("1600"), paid_on=timezone.localdate())
    assert "1500" in caught.value.messages[0]
    services.loan_repay(actor=township, loan=loan, amount=Decimal("1500"), paid_on=timezone.localdate())
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.state == LoanState.SETTLED and loan.next_due_on is None and loan.outstanding == 0


def test_the_overdue_board_lists_only_loans_past_due_within_reach_the_longest_first(acting):
    village, township = acting("xiaoliu_women"), acting("taihua_fed")
    later = loan_disbursed(village, township, disbursed_on=months_ago(2))
    earlier = loan_disbursed(village, township, disbursed_on=months_ago(3), applicant=demo_village_woman(index=1))
    on_time = loan_disbursed(village, township, disbursed_on=timezone.localdate())
    def board(user):
        return [row.id for row in selectors.board_rows(selectors.overdue_board(user=user))]

    rows = board(township)
    assert rows.index(earlier.pk) < rows.index(later.pk) and on_time.pk not in rows
    assert later.pk in board(village)
    assert later.pk not in board(acting("guojia_women"))


def test_a_page_of_the_board_is_the_boards_rows_for_whoever_reads_it(acting, org):
    village, township = acting("xiaoliu_women"), acting("taihua_fed")
    loan_disbursed(village, township, disbursed_on=months_ago(2))
    loan_disbursed(village, township, disbursed_on=months_ago(3), applicant=demo_village_woman(index=1))
    for user in (township, village, acting("guojia_women"), acting("huayin_fed"), township):
        rows = selectors.board_rows(selectors.overdue_board(user=user))
        for number in (1, 2, 3):
            page = selectors.overdue_board_page(user=user, page=number, per_page=1)
            assert page.rows == rows[number - 1 : number] and page.has_next == (len(rows) > number)
    narrowed = selectors.overdue_board_page(user=township, organization_id=org("郭家村妇联").pk)
    assert narrowed.rows == []
    with pytest.raises(Http404):
        selectors.overdue_board_page(user=village, organization_id=org("郭家村妇联").pk)


def test_an_interest_subsidy_is_recorded_after_disbursement(acting):
    loan = loan_disbursed(acting("xiaoliu_women"), acting("taihua_fed"), disbursed_on=months_ago(6))
    subsidy = services.loan_record_subsidy(actor=acting("taihua_fed"), loan=loan, period_start=months_ago(6),
                                           period_end=timezone.localdate(), amount="360.50", note="上半年贴息")
    assert subsidy.amount == Decimal("360.50")
    with pytest.raises(ValidationError):
        services.loan_record_subsidy(actor=acting("taihua_fed"), loan=loan, period_start=timezone.localdate(),
                                     period_end=months_ago(1), amount="10")


def test_the_sweep_reminds_the_cadres_organisation_before_the_due_date_and_when_overdue_once(acting, org):
    village, township = acting("xiaoliu_women"), acting("taihua_fed")
    branch = org("中共小留村支部委员会")
    cadre = branch.positions.first().person  # the village's party secretary, a person of 小留村
    overdue = loan_disbursed(village, township, disbursed_on=months_ago(2), cadre=cadre)
    soon = loan_disbursed(village, township, disbursed_on=timezone.localdate() - timedelta(days=27),
                          applicant=demo_village_woman(index=1))
    sent = services.sweep()
    assert sent["overdue"] >= 1 and sent["due"] >= 1
    reminder = Notification.objects.get(dedupe_key__startswith=f"loan:{overdue.pk}:overdue:")
    assert reminder.organization == branch and "逾期" in reminder.message
    assert Notification.objects.get(dedupe_key__startswith=f"loan:{soon.pk}:due:").organization == org("小留村妇联")
    assert services.sweep() == {"due": 0, "overdue": 0}


def test_the_sweep_command_reports_what_it_sent(acting, capsys):
    loan_disbursed(acting("xiaoliu_women"), acting("taihua_fed"), disbursed_on=months_ago(2))
    call_command("development_loans_sweep")
    assert "逾期提醒" in capsys.readouterr().out


def test_the_loan_figures_count_per_subtree_and_period_with_the_overdue_rate(acting, org):
    village, township = acting("xiaoliu_women"), acting("taihua_fed")
    loan_disbursed(village, township, disbursed_on=months_ago(2), amount=Decimal("10000"), jobs_created=4)
    loan_disbursed(village, township, disbursed_on=timezone.localdate(), applicant=demo_village_woman(index=1),
                   amount=Decimal("20000"), jobs_created=2)
    start, end = months_ago(3), timezone.localdate()
    values = figures.read(user=township, organizations=[org("小留村妇联"), org("郭家村妇联")], start=start, end=end,
                          codes=[f"loans.{c}" for c in ("loans", "amount", "jobs", "overdue", "overdue_rate")])
    xiaoliu = values[org("小留村妇联").pk]
    assert xiaoliu == {"loans.loans": 2, "loans.amount": Decimal("30000"), "loans.jobs": 6, "loans.overdue": 1,
                       "loans.overdue_rate": Decimal("50.0")}
    assert values[org("郭家村妇联").pk]["loans.loans"] == 0


def test_the_demo_has_three_loans_at_lingsha_one_overdue_and_loading_it_again_adds_none(org):
    from gongjian.development import demo
    from gongjian.kernel.demo import DemoResult

    lingsha = Loan.objects.filter(organization__path__startswith=org("灵沙乡妇联").path)
    assert lingsha.count() == 3 and sum(loan.overdue for loan in lingsha) == 1
    result = DemoResult()
    demo.load(result)
    assert lingsha.count() == 3 and "development.loan" not in result.created
