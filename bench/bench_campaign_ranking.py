"""考评 ranking benchmark (issue 9).

Over HTTP (req/s against `bare`, informational): campaign_ranking, the county federation's ranking
page for a campaign whose 20-criterion set assesses 10,000 organisations (quick: 1,000), all
scored: the first page of 100 rows, totals summed and ranked by the database (RANK() over the
set and the organisation kind).

Timed in the prepare step (setup goals):
- queries per page: the ranking page's query count with 10 assessed organisations and with all of
  them (in-process test client, county lead): goal equal (ratio ≤ 1.0);
- the ranking selector (`selectors.assessment.ranked`, the first page as the page reads it,
  wrapped in `RankRow`s) against a hand-written SQL of the same answer (the same rows with the
  same columns, totals and ranks) on the same database, interleaved runs, median: goal ≤ 1.2.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from decimal import Decimal
from typing import Any

from bench import register_benchmark, setup_goal

FULL_SUBJECTS, QUICK_SUBJECTS = 10_000, 1_000
CRITERIA = 20
SMALL = 10
PAGE = 101  # what `paginate` fetches for a page of 100


def log(message: str) -> None:
    from bench.prepare import log as prepare_log

    prepare_log(message)


def _organizations(ctx: Any, count: int) -> list[int]:
    """`count` more women's federations under the townships (materialized paths computed here,
    bulk-created: the generator's villages are far fewer than the ranking needs)."""
    from gongjian.kernel.models import Organization

    townships = list(Organization.objects.filter(pk__in=[t.federation_id for t in ctx.county.townships])
                     .order_by("path"))
    made: list[Organization] = []
    per = -(-count // len(townships))
    for t_index, township in enumerate(townships):
        start = township.numchild
        batch = min(per, count - len(made))
        for i in range(batch):
            made.append(Organization(
                name=f"{township.name[:20]}考评单位{t_index * per + i + 1}妇联", kind=Organization.Kind.VILLAGE_FEDERATION,
                region_id=township.region_id, is_active=True, depth=township.depth + 1, numchild=0,
                path=Organization._get_path(township.path, township.depth + 1, start + i + 1)))
        Organization.objects.filter(pk=township.pk).update(numchild=start + batch)
    Organization.objects.bulk_create(made, batch_size=2000)
    return list(Organization.objects.filter(name__contains="考评单位").order_by("path").values_list("pk", flat=True))


def _assess(set_id: int, criteria: list[int], org_ids: list[int], rng: Any) -> None:
    from gongjian.campaigns.models import Assessment, AssessmentState, Score

    Assessment.objects.bulk_create([
        Assessment(criteria_set_id=set_id, organization_id=pk, state=AssessmentState.SCORED) for pk in org_ids],
        batch_size=2000)
    ids = list(Assessment.objects.filter(criteria_set_id=set_id, scores__isnull=True).values_list("pk", flat=True))
    batch: list[Score] = []
    for assessment_id in ids:
        for criterion_id in criteria:
            # Whole points 0–5: many equal totals, so ties are common, as they are in real rankings.
            batch.append(Score(assessment_id=assessment_id, criterion_id=criterion_id,
                               self_score=Decimal(5), score=Decimal(rng.randint(2, 5))))
        if len(batch) >= 20_000:
            Score.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Score.objects.bulk_create(batch, batch_size=5000)


# The same answer the selector gives, as a report author would write it: each ranking row's own
# columns (the subject, its organisation, the set), the total and the rank, first page.
RAW_SQL = """
SELECT a.id, a.criteria_set_id, a.organization_id, a.person_id, o.name, o.kind, o.path, p.name, cs.title,
       cs.subject_kind, SUM(s.score) AS total,
       RANK() OVER (PARTITION BY a.criteria_set_id, CASE WHEN cs.subject_kind = 'cadre' THEN '' ELSE o.kind END
                    ORDER BY SUM(s.score) DESC) AS rnk
FROM campaigns_assessment a
JOIN campaigns_criteriaset cs ON cs.id = a.criteria_set_id
JOIN kernel_organization o ON o.id = a.organization_id
LEFT JOIN kernel_person p ON p.id = a.person_id
LEFT JOIN campaigns_score s ON s.assessment_id = a.id
WHERE a.criteria_set_id = %s AND a.state IN ('scored', 'published')
GROUP BY a.id, a.criteria_set_id, a.organization_id, a.person_id, o.name, o.kind, o.path, p.name, cs.title,
         cs.subject_kind
ORDER BY a.criteria_set_id, CASE WHEN cs.subject_kind = 'cadre' THEN '' ELSE o.kind END, rnk, o.path, a.person_id, a.id
"""


def raw_ranking(set_id: int, limit: int | None) -> list[tuple[int, Decimal, int]]:
    from django.db import connection

    sql = RAW_SQL + (" LIMIT %s" if limit else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [set_id, limit] if limit else [set_id])
        return [(row[0], Decimal(row[10]).quantize(Decimal("0.1")), int(row[11])) for row in cursor.fetchall()]


def selector_ranking(criteria_set: Any, limit: int | None) -> list[tuple[int, Decimal, int]]:
    from gongjian.campaigns.selectors import assessment as selectors

    rows = selectors.ranked([criteria_set])
    found = selectors.rank_rows(rows[:limit] if limit else rows)
    return [(r.id, r.total, r.rank) for r in found]


def setup_ranking(ctx: Any) -> dict[str, Any]:
    from django.db import connection

    from bench.prepare import count_queries
    from gongjian.campaigns.models import Campaign, CampaignState, CriteriaSet, Criterion

    subjects = QUICK_SUBJECTS if ctx.quick else FULL_SUBJECTS
    year = date.today().year
    campaign = Campaign.objects.create(title="强组织创先进、提素质争模范（基准）", organization_id=ctx.county.federation_id,
                                       starts_on=date(year, 1, 1), ends_on=date(year, 12, 31),
                                       state=CampaignState.ISSUED)
    criteria_set = CriteriaSet.objects.create(title="量化考评（基准）", kind="quantified", campaign=campaign,
                                              organization_id=ctx.county.federation_id, year=year)
    criteria = [Criterion.objects.create(criteria_set=criteria_set, name=f"指标{i + 1}", max_score=Decimal(5),
                                         sort_order=i + 1).pk for i in range(CRITERIA)]
    started = time.monotonic()
    org_ids = _organizations(ctx, subjects)
    url = f"/work/campaigns/{campaign.pk}/ranking/"
    username = ctx.county.accounts["county"]
    _assess(criteria_set.pk, criteria, org_ids[:SMALL], ctx.rng)
    small = count_queries(url, username, None)["queries"]
    _assess(criteria_set.pk, criteria, org_ids[SMALL:], ctx.rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    full = count_queries(url, username, None)["queries"]
    log(f"campaign ranking: {subjects:,} organisations x {CRITERIA} criteria scored "
        f"({time.monotonic() - started:.0f} s); page queries {small} at {SMALL} subjects, {full} at {subjects:,}")

    # Same answer first: the whole ranking and the first page agree with the hand-written SQL.
    assert selector_ranking(criteria_set, None) == raw_ranking(criteria_set.pk, None)
    assert selector_ranking(criteria_set, PAGE) == raw_ranking(criteria_set.pk, PAGE)
    runs, ours, raw = 7, [], []
    for i in range(runs * 2):
        order = [("ours", lambda: selector_ranking(criteria_set, PAGE)), ("raw", lambda: raw_ranking(criteria_set.pk, PAGE))]
        for name, fn in order if i % 2 == 0 else list(reversed(order)):
            t0 = time.perf_counter()
            fn()
            (ours if name == "ours" else raw).append(time.perf_counter() - t0)
    ours_t, raw_t = statistics.median(ours), statistics.median(raw)
    ratio = ours_t / raw_t
    log(f"campaign ranking: selector {ours_t * 1000:.1f} ms vs hand-written SQL {raw_t * 1000:.1f} ms: ratio "
        f"{ratio:.2f} ({'ok' if ratio <= 1.2 else 'MISSED'}: goal ≤ 1.2)")
    return {
        "campaign": campaign.pk, "subjects": subjects, "criteria": CRITERIA,
        "queries_small": small, "queries_full": full, "selector_s": ours_t, "raw_sql_s": raw_t, "ratio": ratio,
        "goals": [
            setup_goal(f"campaign ranking page: queries at {subjects:,} / at {SMALL} assessed", full / small, 1.0,
                       at_most=True),
            setup_goal("campaign ranking: selector / hand-written SQL", ratio, 1.2, at_most=True),
        ],
    }


register_benchmark(
    "campaign_ranking", setup_ranking, lambda state: f"/work/campaigns/{state['campaign']}/ranking/",
    goal=None, login="county", expect="考评排名",
)
