"""Talent pool benchmark (issue 11).

Over HTTP (req/s against `bare`, informational): development_talent_pool, the county federation's
pool searched by kind, skill and place (a township) over 100,000 entries (quick: 2,000), most of
them accepted, spread over the county's villages.

Timed in the prepare step (setup goals):
- queries per page: the pool search page's query count with 10 entries and with all of them
  (in-process test client, county lead): goal equal (ratio ≤ 1.0);
- the search selector (`selectors.talent.talent_page`, the first page as the page reads it: the
  `brief` columns a row shows, the woman's name and the reporting organisation's, as `TalentRow`s)
  against a hand-written SQL of the same answer (the same rows and columns) on the same database,
  interleaved runs, median (bench.against_sql): warm — its compiled SQL kept (kernel.compiled,
  ADR 0031) — goal ≤ 1.2; cold — the first call, which builds the queryset and compiles it — shown
  beside it.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

from bench import register_benchmark, setup_goal, setup_info

FULL_ENTRIES, QUICK_ENTRIES = 100_000, 2_000
SMALL = 10
PAGE = 31  # what `paginate` fetches for a page of 30
KINDS = ["rich_able", "rich_leader", "entrepreneur", "double_learning", "new_farmer", "able", "broker",
         "tech_household"]
TRADES = ["苹果种植", "蔬菜大棚", "电商", "家政服务", "手工编织", "养殖", "农家乐", "食品加工"]
SKILLS = ["果树修剪", "病虫害防治", "直播带货", "月嫂育婴", "剪纸刺绣", "生猪养殖", "餐饮经营", "面点制作"]
#: A search a county federation makes: the 女经纪人 of one township who sell by live streaming (about
#: one accepted entry in 400 matches, so the database walks thousands of rows to fill a page).
KIND, Q = "broker", "直播带货"


def log(message: str) -> None:
    from bench.prepare import log as prepare_log

    prepare_log(message)


def _entries(ctx: Any, count: int, start: int) -> None:
    """`count` entries of the county's women (several entries per woman when women are fewer)."""
    from gongjian.development.models import Talent, TalentState
    from gongjian.kernel.models import Person

    women = list(Person.objects.filter(gender="F").values_list("pk", "organization_id").order_by("pk")[:count])
    rng, county = ctx.rng, ctx.county.federation_id
    batch: list[Talent] = []
    for n in range(start, start + count):
        person_id, org_id = women[n % len(women)]
        roll = rng.random()
        state = TalentState.ACCEPTED if roll < 0.8 else TalentState.REPORTED if roll < 0.9 else TalentState.DRAFT
        batch.append(Talent(
            person_id=person_id, organization_id=org_id, holder_id=county if state == TalentState.ACCEPTED else org_id,
            kind=KINDS[rng.randrange(len(KINDS))], trade=TRADES[rng.randrange(len(TRADES))],
            skills=f"{SKILLS[rng.randrange(len(SKILLS))]}、{SKILLS[rng.randrange(len(SKILLS))]}",
            enterprise="", jobs=rng.randrange(0, 20), state=state))
        if len(batch) >= 5_000:
            Talent.objects.bulk_create(batch)
            batch = []
    Talent.objects.bulk_create(batch)


def _acting(username: str) -> Any:
    from gongjian.kernel.tests.matrix import persona

    return persona(username)


# The same answer the selector gives, as a report author would write it: the accepted entries of
# the county's subtree of one kind, whose skills, trade or enterprise contain the word (or whose
# name is it), reported from within one township; the columns a list row shows; newest first.
RAW_SQL = """
SELECT t.id, t.kind, t.trade, t.enterprise, t.jobs, t.state, p.name, o.name
FROM development_talent t
JOIN kernel_person p ON p.id = t.person_id
JOIN kernel_organization o ON o.id = t.organization_id
WHERE o.path LIKE %s AND t.state = 'accepted' AND t.kind = %s
  AND (t.skills {like} %s OR t.trade {like} %s OR t.enterprise {like} %s OR p.name = %s)
  AND o.path LIKE %s
ORDER BY t.id DESC
LIMIT %s
"""


def raw_search(county_path: str, township_path: str) -> list[tuple[Any, ...]]:
    from django.db import connection

    like = f"%{Q}%"
    # Case-insensitive as the search is: SQLite's LIKE already is, PostgreSQL says ILIKE.
    sql = RAW_SQL.replace("{like}", "ILIKE" if connection.vendor == "postgresql" else "LIKE")
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{county_path}%", KIND, like, like, like, Q, f"{township_path}%", PAGE])
        return [tuple(row) for row in cursor.fetchall()]


def selector_search(user: Any, township: Any) -> Any:
    """The first page as the page reads it (`TalentRow`s, and whether there is a next page)."""
    from gongjian.development.selectors import talent as selectors

    return selectors.talent_page(user=user, page=1, per_page=PAGE - 1, scope="pool", kind=KIND, q=Q, place=township)


def as_tuples(page: Any) -> list[tuple[Any, ...]]:
    return [(t.id, t.kind, t.trade, t.enterprise, t.jobs, t.state, t.person_name, t.organization_name)
            for t in page.rows]


def setup_talent_pool(ctx: Any) -> dict[str, Any]:
    from django.db import connection

    from bench.prepare import count_queries
    from gongjian.kernel.models import Organization

    entries = QUICK_ENTRIES if ctx.quick else FULL_ENTRIES
    township = Organization.objects.get(pk=ctx.county.townships[0].federation_id)
    county = Organization.objects.get(pk=ctx.county.federation_id)
    url = f"/work/development/talents/?scope=pool&kind={KIND}&q={quote(Q)}&place={township.pk}"
    username = ctx.county.accounts["county"]
    started = time.monotonic()
    _entries(ctx, SMALL, 0)
    small = count_queries(url, username, None)["queries"]
    _entries(ctx, entries - SMALL, SMALL)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    full = count_queries(url, username, None)["queries"]
    log(f"talent pool: {entries:,} entries ({time.monotonic() - started:.0f} s); page queries {small} at {SMALL} "
        f"entries, {full} at {entries:,}")

    from bench.against_sql import compare

    user = _acting(username)
    page, raw_rows = selector_search(user, township), raw_search(county.path, township.path)
    assert as_tuples(page) == raw_rows[:PAGE - 1] and page.has_next == (len(raw_rows) == PAGE) and raw_rows, (
        len(page.rows), len(raw_rows))
    timing = compare(lambda: selector_search(user, township), lambda: raw_search(county.path, township.path))
    log(timing.line("talent pool"))
    return {
        "township": township.pk, "entries": entries, "queries_small": small, "queries_full": full,
        "selector_s": timing.warm_s, "selector_cold_s": timing.cold_s, "raw_sql_s": timing.raw_s,
        "ratio": timing.warm, "ratio_cold": timing.cold,
        "goals": [
            setup_goal(f"talent pool search page: queries at {entries:,} / at {SMALL} entries", full / small, 1.0,
                       at_most=True),
            setup_goal("talent pool search: selector warm / hand-written SQL", timing.warm, 1.2, at_most=True),
            setup_info("talent pool search: selector cold (first call) / SQL", timing.cold),
        ],
    }


register_benchmark(
    "development_talent_pool", setup_talent_pool,
    lambda state: f"/work/development/talents/?scope=pool&kind={KIND}&q={quote(Q)}&place={state['township']}",
    goal=None, login="county", expect="妇女人才库",
)
