"""小额贷款 overdue board benchmark (issue 11).

Over HTTP (req/s against `bare`, informational): development_loans_board, the county federation's
overdue loans board with 100,000 loans in the county (quick: 5,000), about one in ten overdue: the
first page of 30 rows, the longest overdue first — one indexed query (`Loan.next_due_on`, kept by
the services, partial index `loan_next_due`).

Timed in the prepare step (setup goals):
- queries per page: the board's query count with 10 loans and with all of them (in-process test
  client, county lead): goal equal (ratio ≤ 1.0);
- the board selector (`selectors.loan.overdue_board_page`, the first page as the page reads it, as
  `BoardRow`s) against a hand-written SQL of the same answer (the same rows, in the same order,
  with the columns a row shows) on the same database, interleaved runs, median (bench.against_sql):
  warm — its compiled SQL kept (kernel.compiled, ADR 0031) — goal ≤ 1.2; cold — the first call,
  which builds the queryset and compiles it — shown beside it.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bench import register_benchmark, setup_goal, setup_info

FULL_LOANS, QUICK_LOANS = 100_000, 5_000
SMALL = 10
PAGE = 31  # what `paginate` fetches for a page of 30
OVERDUE_SHARE = 0.1


def log(message: str) -> None:
    from bench.prepare import log as prepare_log

    prepare_log(message)


def _women(ctx: Any) -> list[tuple[int, int]]:
    """(person, her village federation) pairs of the generated women."""
    from gongjian.kernel.models import Person

    villages = [v.federation_id for t in ctx.county.townships for v in t.villages]
    return list(Person.objects.filter(organization_id__in=villages, gender="F")
                .order_by("pk").values_list("pk", "organization_id")[:20_000])


def _loans(ctx: Any, women: list[tuple[int, int]], count: int, start: int, *, overdue_only: bool = False) -> None:
    from gongjian.development.models import Loan, LoanState

    today = date.today()
    rng = ctx.rng
    batch: list[Loan] = []
    for i in range(start, start + count):
        person_id, org_id = women[i % len(women)]
        roll = 0.0 if overdue_only else rng.random()
        amount = Decimal(rng.randint(10, 100) * 1000)
        loan = Loan(applicant_id=person_id, organization_id=org_id, purpose=f"种植养殖{i % 50}", amount=amount,
                    term_months=12, applied_on=today - timedelta(days=400), guarantee="", business_plan="",
                    cadre_id=women[(i * 7) % len(women)][0])
        if roll < OVERDUE_SHARE:
            loan.state, loan.next_due_on = LoanState.REPAYING, today - timedelta(days=rng.randint(1, 300))
            loan.disbursed_on, loan.outstanding = today - timedelta(days=330), amount / 2
        elif roll < 0.7:
            loan.state, loan.next_due_on = LoanState.REPAYING, today + timedelta(days=rng.randint(0, 30))
            loan.disbursed_on, loan.outstanding = today - timedelta(days=200), amount / 2
        elif roll < 0.85:
            loan.state, loan.settled_on, loan.disbursed_on = LoanState.SETTLED, today, today - timedelta(days=380)
        else:
            loan.state = LoanState.APPLIED
        batch.append(loan)
        if len(batch) >= 5_000:
            Loan.objects.bulk_create(batch)
            batch = []
    Loan.objects.bulk_create(batch)


RAW_SQL = """
SELECT l.id, l.state, l.purpose, l.amount, l.term_months, l.next_due_on, l.outstanding,
       p.name, o.name, c.name
FROM development_loan l
JOIN kernel_organization o ON o.id = l.organization_id
JOIN kernel_person p ON p.id = l.applicant_id
LEFT JOIN kernel_person c ON c.id = l.cadre_id
WHERE l.next_due_on < %s AND o.path LIKE %s
ORDER BY l.next_due_on, l.id
LIMIT %s
"""


CENT = Decimal("0.01")


def _money(value: Any) -> Decimal:
    """SQLite hands back a number: the board's row holds a Decimal of cents, as its type says."""
    return value if isinstance(value, Decimal) else Decimal(str(value)).quantize(CENT)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def raw_board(path: str, today: date) -> list[Any]:
    """The same rows, as the same `BoardRow`s the page shows — with the same types (a Decimal amount,
    a date), which SQLite's driver does not give by itself and PostgreSQL's does."""
    from django.db import connection

    from gongjian.development.selectors.loan import BoardRow

    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, [today, path + "%", PAGE])
        return [BoardRow(today, lid, state, purpose, _money(amount), term, _day(due), _money(outstanding),
                         applicant, org, cadre)
                for lid, state, purpose, amount, term, due, outstanding, applicant, org, cadre in cursor.fetchall()]


def selector_board(reader: Any, today: date) -> Any:
    """The first page as the page reads it (`BoardRow`s, and whether there is a next page)."""
    from gongjian.development.selectors import loan as selectors

    return selectors.overdue_board_page(user=reader, today=today, page=1, per_page=PAGE - 1)


def _acting_user(username: str) -> Any:
    from gongjian.kernel.context import Acting
    from gongjian.kernel.models import User

    user = User.objects.get(username=username)
    user.acting = Acting(user.current_positions()[0])
    return user


def setup_board(ctx: Any) -> dict[str, Any]:
    from django.db import connection

    from bench.prepare import count_queries
    from gongjian.kernel.models import Organization

    loans = QUICK_LOANS if ctx.quick else FULL_LOANS
    url = "/work/development/loans/overdue/"
    username = ctx.county.accounts["county"]
    started = time.monotonic()
    women = _women(ctx)
    _loans(ctx, women, SMALL, 0, overdue_only=True)
    small = count_queries(url, username, "list-row")
    _loans(ctx, women, loans - SMALL, SMALL)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    full = count_queries(url, username, "list-row")
    log(f"loans board: {loans:,} loans ({time.monotonic() - started:.0f} s); page queries {small['queries']} "
        f"at {SMALL} loans, {full['queries']} at {loans:,}")

    from bench.against_sql import compare

    reader = _acting_user(username)
    county_path = Organization.objects.get(pk=ctx.county.federation_id).path
    today = date.today()
    def key(rows: list[Any]) -> list[tuple[Any, ...]]:
        return [(r.id, r.applicant_name, r.organization_name, r.cadre_name, str(r.next_due_on)) for r in rows]

    page, raw_rows = selector_board(reader, today), raw_board(county_path, today)
    assert key(page.rows) == key(raw_rows[:PAGE - 1]) and page.has_next == (len(raw_rows) == PAGE)
    timing = compare(lambda: selector_board(reader, today), lambda: raw_board(county_path, today))
    log(timing.line("loans board"))
    return {
        "loans": loans, "queries_small": small["queries"], "queries_full": full["queries"],
        "selector_s": timing.warm_s, "selector_cold_s": timing.cold_s, "raw_sql_s": timing.raw_s,
        "ratio": timing.warm, "ratio_cold": timing.cold,
        "goals": [
            setup_goal(f"loans overdue board: queries at {loans:,} / at {SMALL} loans",
                       full["queries"] / small["queries"], 1.0, at_most=True),
            setup_goal("loans overdue board: selector warm / hand-written SQL", timing.warm, 1.2, at_most=True),
            setup_info("loans overdue board: selector cold (first call) / SQL", timing.cold),
        ],
    }


register_benchmark(
    "development_loans_board", setup_board, lambda state: "/work/development/loans/overdue/",
    goal=None, login="county", expect="逾期贷款",
)
