"""The county report (issue 14): a county of 300 villages with three years of records — 3,000,000
activities, 1,000,000 rights cases and 1,000,000 disclosures (quick: 30 villages, 30,000 /
10,000 / 10,000), inserted set-based (one INSERT … SELECT over a generated series per batch).
People trained needs named attendees: the county has 200 women per village (60,000, names only;
quick 100 per village), one training in 25 is recorded by person (sign-in) rather than by head count, and each
such training has 12–30 women of its own village (about 1,000,000 attendance rows; quick about
10,000); then the women's home roll-ups are rebuilt from the records as after any bulk load.

Timed in the prepare step: the county report answered from the monthly roll-ups
(`reports.selectors.county.county_report`, the page's and the API's read) against the same figures
computed from the raw rows (`kernel.figures.read` live over the same period, every source on
offer), interleaved runs, median. The goal: ≤ 0.1 for the three closed years (36 months ending
last month). Shown beside it, not counted: the same three years up to today (the open month is
read live), the roll-up rebuild's time, and the answers are checked equal first.

Over HTTP (informational): the county federation's report page of the standard bench county."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from bench import register_benchmark, setup_goal, setup_info

FULL = {"villages": 300, "activities": 3_000_000, "cases": 1_000_000, "disclosures": 1_000_000, "women": 200}
QUICK = {"villages": 30, "activities": 30_000, "cases": 10_000, "disclosures": 10_000, "women": 100}
#: One training in this many is recorded by person (named attendees), the rest by head count.
BY_PERSON_EVERY = 25
#: A training recorded by person has from MIN_ATTENDEES to MAX_ATTENDEES women of its village.
MIN_ATTENDEES, MAX_ATTENDEES = 12, 30
COUNTY_CODE, COUNTY_NAME = "610528000000", "富平县"
BATCH = 500_000
MONTHS = 36


def log(message: str) -> None:
    from bench.prepare import log as prepare_log

    prepare_log(message)


def _acting_user(username: str) -> Any:
    from gongjian.kernel.context import Acting
    from gongjian.kernel.models import User

    user = User.objects.get(username=username)
    user.acting = Acting(user.current_positions()[0])
    return user


# ------------------------------------------------------------------------------ data, set-based


def _helper_tables(first: date, last: date, orgs: dict[str, list[int]]) -> int:
    """bench_cr_days (one row per day of the span, its month and two moments) and bench_cr_orgs
    (the organisations rows are spread over, numbered per kind); returns the number of days."""
    from django.db import connection, transaction
    from django.utils import timezone

    ops = connection.ops
    days = (last - first).days + 1
    timestamp = "TIMESTAMP WITH TIME ZONE" if connection.vendor == "postgresql" else "DATETIME"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_cr_days")
        cursor.execute("DROP TABLE IF EXISTS bench_cr_orgs")
        cursor.execute(f"CREATE TABLE bench_cr_days (i INTEGER PRIMARY KEY, day DATE, month DATE, "
                       f"at {timestamp}, later {timestamp})")
        cursor.execute("CREATE TABLE bench_cr_orgs (kind VARCHAR(10), i INTEGER, org_id INTEGER, "
                       "PRIMARY KEY (kind, i))")
        rows = []
        for i in range(days):
            day = first + timedelta(days=i)
            at = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=10))
            rows.append((i, ops.adapt_datefield_value(day), ops.adapt_datefield_value(day.replace(day=1)),
                         ops.adapt_datetimefield_value(at),
                         ops.adapt_datetimefield_value(min(at + timedelta(days=9), at + timedelta(days=(last - day).days)))))
        cursor.executemany("INSERT INTO bench_cr_days VALUES (%s, %s, %s, %s, %s)", rows)
        cursor.executemany("INSERT INTO bench_cr_orgs VALUES (%s, %s, %s)",
                           [(kind, i, org) for kind, ids in orgs.items() for i, org in enumerate(ids)])
    return days


def _drop_helpers() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("bench_cr_days", "bench_cr_orgs", "bench_cr_women", "bench_cr_k"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


def insert_attendance(village_ids: list[int]) -> int:
    """Named attendees for every training recorded by person in these villages, set-based: the
    training's women are MIN_ATTENDEES + (id mod …) consecutive women of its village's list,
    starting at a place hashed from its id (a village's trainings' ids are an arithmetic series:
    a plain multiple of the id would start them all at the same few women; each woman at most once
    per training). Returns the count."""
    from django.apps import apps
    from django.db import connection, transaction

    from gongjian.kernel.models import Person

    attendance = apps.get_model("womenshome", "Attendance")
    activity = apps.get_model("womenshome", "Activity")
    qn = connection.ops.quote_name
    women: dict[int, list[int]] = {}
    for org_id, pk in Person.objects.filter(organization_id__in=village_ids).order_by("id").values_list(
            "organization_id", "id"):
        women.setdefault(org_id, []).append(pk)
    fewest = min((len(ids) for ids in women.values()), default=0)
    if fewest < MAX_ATTENDEES:
        raise RuntimeError(f"a village has {fewest} women, fewer than a training's {MAX_ATTENDEES} attendees")
    template = _template(attendance, activity_id=1, person_id=1, method="qr")
    columns = list(template)
    values = {"activity_id": "a.id", "person_id": "w.person_id", "signed_in_at": "a.created_at"}
    params = [template[c] for c in columns if c not in values]
    exprs = [values.get(c, "%s") for c in columns]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_cr_women (org_id INTEGER, i INTEGER, n INTEGER, person_id INTEGER, "
                       "PRIMARY KEY (org_id, i))")
        cursor.executemany("INSERT INTO bench_cr_women VALUES (%s, %s, %s, %s)",
                           [(org_id, i, len(ids), pk) for org_id, ids in women.items() for i, pk in enumerate(ids)])
        cursor.execute("CREATE TABLE bench_cr_k (k INTEGER PRIMARY KEY)")
        cursor.executemany("INSERT INTO bench_cr_k VALUES (%s)", [(k,) for k in range(MAX_ATTENDEES)])
        cursor.execute(
            f"INSERT INTO {qn(attendance._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
            f"SELECT {', '.join(exprs)} FROM {qn(activity._meta.db_table)} a "
            f"JOIN bench_cr_k k ON k.k < {MIN_ATTENDEES} + a.id %% {MAX_ATTENDEES - MIN_ATTENDEES + 1} "
            f"JOIN bench_cr_women n ON n.org_id = a.organization_id AND n.i = 0 "
            f"JOIN bench_cr_women w ON w.org_id = a.organization_id "
            f"AND w.i = ((a.id * 2654435761) %% 1000003 + k.k) %% n.n "
            f"WHERE a.attendance_mode = 'person'", params)
        cursor.execute(f"SELECT COUNT(*) FROM {qn(attendance._meta.db_table)}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _template(model: Any, **values: Any) -> dict[str, Any]:
    """Each concrete column of `model` and its database value for an instance built from `values`."""
    from django.db import connection

    instance = model(**values)
    return {f.column: f.get_db_prep_save(f.pre_save(instance, True), connection)
            for f in model._meta.concrete_fields if not f.primary_key}


def insert_set(model: Any, count: int, days: int, kind: str, template: dict[str, Any],
               computed: dict[str, str]) -> None:
    """`count` rows of `model`, in batches of one INSERT … SELECT over a generated series `s.n`:
    row n lies on day (n·7919 mod days) (`d.*`) and at organisation (n mod k) of `kind` (`o.org_id`);
    `computed` gives SQL for some columns, the template's values fill the rest (as parameters)."""
    from django.db import connection, transaction

    qn = connection.ops.quote_name
    table = model._meta.db_table
    columns = list(template)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_cr_orgs WHERE kind = %s", [kind])
        spread = cursor.fetchone()[0]
    for first in range(0, count, BATCH):
        last = min(first + BATCH, count)
        exprs, params = [], []
        for column in columns:
            if column in computed:
                exprs.append(computed[column])
            else:
                exprs.append("%s")
                params.append(template[column])
        if connection.vendor == "postgresql":
            series, series_params = "generate_series(CAST(%s AS BIGINT), CAST(%s AS BIGINT)) AS s(n)", [first, last - 1]
            head = ""
        else:
            head = "WITH RECURSIVE seq(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < %s) "
            series, series_params = "seq AS s", []
            params = [first, last, *params]
        sql = (f"{head}INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
               f"SELECT {', '.join(exprs)} FROM {series} "
               f"JOIN bench_cr_days d ON d.i = (s.n * 7919) %% {days} "
               f"JOIN bench_cr_orgs o ON o.kind = %s AND o.i = s.n %% {spread}")
        if connection.vendor == "postgresql":
            # The series' parameters come after the SELECT list's, before the join's.
            params = [*params, *series_params]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [*params, kind])


def build(ctx: Any, scale: dict[str, int], first: date, last: date) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from bench.generate import add_staff_account, generate_county
    from gongjian.kernel.models import Person, Position
    from gongjian.womenshome import rollups

    started = time.monotonic()
    county = generate_county(villages=scale["villages"], code=COUNTY_CODE, name=COUNTY_NAME)
    lead = add_staff_account(county, key="county_report", username="bench_county_report",
                             organization_id=county.federation_id, region_id=county.region_id, title="主席",
                             role=Position.Role.LEAD)
    orgs = {"fed": [v.federation_id for v in county.villages], "party": [v.branch_id for v in county.villages]}
    days = _helper_tables(first, last, orgs)
    # The women who attend trainings: names only (no ID number or mobile to encrypt — the figures
    # never read them), spread evenly over the villages, set-based like the records.
    insert_set(Person, scale["women"] * scale["villages"], days, "fed", _template(
        Person, name="村民", gender="F", organization_id=1, created_at=timezone.now(), updated_at=timezone.now()), {
        "organization_id": "o.org_id", "name": "'村民' || CAST(s.n AS VARCHAR(12))", "home_region_id": "NULL",
        "created_at": "d.at", "updated_at": "d.at"})
    log(f"reports county: {scale['women'] * scale['villages']:,} women ({time.monotonic() - started:.0f} s)")
    from django.apps import apps

    activity = apps.get_model("womenshome", "Activity")
    case = apps.get_model("support", "Case")
    disclosure = apps.get_model("disclosure", "Disclosure")
    insert_set(activity, scale["activities"], days, "fed", _template(
        activity, organization_id=1, kind="legal", title="基准活动", date=first, month=first, hours=2,
        attendance_mode="headcount", head_count=0, partners=[]), {
        "organization_id": "o.org_id", "date": "d.day", "month": "d.month",
        "kind": "CASE s.n %% 5 WHEN 0 THEN 'agri_training' WHEN 1 THEN 'vocational_training' "
                "WHEN 2 THEN 'performance' ELSE 'legal' END",
        "is_public_performance": "s.n %% 5 = 2",
        # Every 25th activity of each village that trains (s.n / spread counts a village's rows; a
        # condition on s.n alone would pick the same few villages every time).
        "attendance_mode": f"CASE WHEN s.n %% 5 < 2 AND (s.n / {scale['villages']}) %% {BY_PERSON_EVERY} = 0 "
                           "THEN 'person' ELSE 'headcount' END",
        "head_count": f"CASE WHEN s.n %% 5 < 2 AND (s.n / {scale['villages']}) %% {BY_PERSON_EVERY} = 0 "
                      "THEN 0 ELSE 20 + s.n %% 40 END",
        "created_at": "d.at", "updated_at": "d.at"})
    log(f"reports county: {scale['activities']:,} activities ({time.monotonic() - started:.0f} s)")
    attended = insert_attendance(orgs["fed"])
    log(f"reports county: {attended:,} attendance rows ({time.monotonic() - started:.0f} s)")
    template = _template(case, organization_id=1, intake_organization_id=1, channel="hotline_12338",
                         category="marriage_family", summary="基准测试：家庭纠纷", narrative="", contact_name="",
                         contact_mobile="", received_at=timezone.now(), tracking_code="BR-TEMPLATE",
                         query_password_hash="!")
    insert_set(case, scale["cases"], days, "fed", template, {
        "organization_id": "o.org_id", "intake_organization_id": "o.org_id",
        "tracking_code": "'BR-' || CAST(s.n AS VARCHAR(12))", "received_at": "d.at",
        "state": "CASE WHEN s.n %% 40 = 0 THEN 'handling' ELSE 'closed' END",
        "closed_at": "CASE WHEN s.n %% 40 = 0 THEN NULL ELSE d.later END",
        "outcome": "CASE WHEN s.n %% 40 = 0 THEN '' ELSE 'mediated' END",
        "risk": "s.n %% 13 = 0"})
    log(f"reports county: {scale['cases']:,} cases ({time.monotonic() - started:.0f} s)")
    template = _template(disclosure, organization_id=1, title="基准公开事项", category="policy", channels=["board"],
                         timing="regular", period="monthly", scope="public", state="published", created_by_id=lead.pk,
                         is_live=True)
    insert_set(disclosure, scale["disclosures"], days, "party", template, {
        "organization_id": "o.org_id", "published_at": "d.at", "created_at": "d.at", "updated_at": "d.at",
        "visible_from": "d.day"})
    log(f"reports county: {scale['disclosures']:,} disclosures ({time.monotonic() - started:.0f} s)")
    _drop_helpers()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rebuilding = time.monotonic()
    rebuilt = rollups.rebuild()
    log(f"reports county: women's home roll-ups rebuilt {rebuilt} ({time.monotonic() - rebuilding:.1f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"federation_id": county.federation_id, "lead": lead.username, "seconds": time.monotonic() - started,
            "attendance": attended, "trained_months": rebuilt["trained_months"]}


# ------------------------------------------------------------------------------ what is timed


def _median_pair(ours: Callable[[], Any], theirs: Callable[[], Any], runs: int) -> tuple[float, float]:
    mine: list[float] = []
    raw: list[float] = []
    for i in range(runs * 2):
        order = [(mine, ours), (raw, theirs)]
        for bucket, fn in order if i % 2 == 0 else list(reversed(order)):
            started = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - started)
    return statistics.median(mine), statistics.median(raw)


def _same(user: Any, county: Any, start: date, end: date) -> None:
    """The report's figures (before the complementary withholding) equal figures.read live."""
    from gongjian.kernel import figures
    from gongjian.reports.selectors import county as selectors

    organizations = [county, *selectors.below(county)]
    codes = [column.code for group in selectors.layout() for column in group.columns]
    values, months, _ranges = selectors.raw_figures(organizations=organizations, start=start, end=end, codes=codes)
    live = figures.read(user=user, organizations=organizations, start=start, end=end, codes=codes)
    for org in organizations:
        for code in codes:
            ours = figures.shown(user, org, code, values[org.pk][code])
            theirs = live[org.pk][code]
            hidden = isinstance(ours, figures.Suppressed), isinstance(theirs, figures.Suppressed)
            assert hidden[0] == hidden[1] and ours == theirs, (org.name, code, ours, theirs)
    log(f"reports county: the report from {months} kept months equals figures.read live ({start} – {end})")


def setup_county_report(ctx: Any) -> dict[str, Any]:
    from django.utils import timezone

    from gongjian.kernel import figures
    from gongjian.kernel.models import Organization
    from gongjian.reports.selectors import county as selectors
    from gongjian.reports.services import county as services

    scale = dict(QUICK if ctx.quick else FULL)
    for key in scale:  # BENCH_REPORTS_COUNTY_ACTIVITIES=… overrides a scale on a busy machine
        scale[key] = int(os.environ.get(f"BENCH_REPORTS_COUNTY_{key.upper()}") or scale[key])
    today = timezone.localdate()
    this_month = services.month_start(today)
    first = services.month_start(this_month - timedelta(days=MONTHS * 31 - 15))
    while len(services.months_between(first, this_month)) > MONTHS + 1:
        first = services.next_month(first)
    made = build(ctx, scale, first, today)
    started = time.monotonic()
    kept = services.rebuild(today=today, since=first)
    rebuild_s = time.monotonic() - started
    log(f"reports county: roll-ups rebuilt, {kept:,} values kept ({rebuild_s:.1f} s)")

    user = _acting_user(made["lead"])
    county = Organization.objects.get(pk=made["federation_id"])
    organizations = [county, *selectors.below(county)]
    closed = (first, this_month - timedelta(days=1))
    to_date = (first, today)
    _same(user, county, *closed)
    _same(user, county, *to_date)
    runs = 3
    results = {}
    for name, (start, end) in (("three closed years", closed), ("three years to today", to_date)):
        def ours(s: date = start, e: date = end) -> Any:
            return selectors.county_report(user=user, organization=county, start=s, end=e)

        def live(s: date = start, e: date = end) -> Any:
            return figures.read(user=user, organizations=organizations, start=s, end=e)

        ours_s, raw = _median_pair(ours, live, runs)
        results[name] = {"roll_ups_s": ours_s, "live_s": raw, "ratio": ours_s / raw}
        log(f"reports county ({name}, {start} – {end}): from the roll-ups {ours_s * 1000:.0f} ms vs figures.read "
            f"live {raw * 1000:.0f} ms: ratio {ours_s / raw:.3f}")
    # Where the roll-up path's time goes: each source's codes that are never summed, read live
    # (as the report asks them: a source may answer from roll-ups it keeps in step on write).
    for source in figures.sources():
        rest = [f"{source.name}.{c}" for c in source.codes if c not in source.additive]
        if rest:
            started = time.perf_counter()
            figures.answer(organizations=organizations, start=closed[0], end=closed[1], codes=rest, rolled=True)
            log(f"reports county: live codes of {source.name} ({len(rest)}): "
                f"{(time.perf_counter() - started) * 1000:.0f} ms")
    started = time.perf_counter()
    figures.answer(organizations=organizations, start=closed[0], end=closed[1], codes=["womenshome.people_trained"])
    log(f"reports county: womenshome.people_trained from the attendance records (not used by the report): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms")
    goals = [
        setup_goal("county report, three closed years: roll-ups / figures.read live",
                   results["three closed years"]["ratio"], 0.1, at_most=True),
        setup_info("county report, three years to today (open month live): roll-ups / live",
                   results["three years to today"]["ratio"]),
    ]
    return {"scale": scale, "build_s": made["seconds"], "rebuild_s": rebuild_s, "kept_values": kept,
            "attendance": made["attendance"], "trained_months": made["trained_months"],
            "results": results, "goals": goals}


register_benchmark(
    "reports_county", setup_county_report, lambda state: "/work/reports/county/",
    goal=0.3, goal_vs="bare_auth", login="county", expect="各项工作统计",
)
