"""The built-in benchmarks. Later work registers more here or in a `bench/bench_*.py` module."""

from __future__ import annotations

from .registry import BASELINE, register_benchmark

ROW = 'class="list-row'
#: What every staff page pays before its view runs; staff pages' goals are relative to it (issue 12).
AUTH = "bare_auth"

# The baseline: the whole middleware stack, anonymous, a two-byte response (bench/urls.py).
register_benchmark(BASELINE, None, lambda state: "/bench/bare", login=None, expect="ok")

# Informational: the same view with a logged-in session, i.e. what session, authentication
# and the acting-organisation middleware cost on every staff page before the view runs.
register_benchmark("bare_auth", None, lambda state: "/bench/bare", login="county", expect="ok")

# The staff people list (20 rows) as the county federation's LEAD: the whole county in scope.
register_benchmark(
    "people_list", None, lambda state: "/work/people/", goal=0.5, goal_vs=AUTH, login="county",
    cross_backend_goal=0.8, count_queries=True, expect=ROW, row_marker=ROW,
)

# The same list for one village's LEAD (a 1/villages slice of the people): a small scope must
# never be slower than a large one, so the same goal.
register_benchmark(
    "people_list_village", None, lambda state: "/work/people/", goal=0.5, goal_vs=AUTH, login="village",
    count_queries=True, expect=ROW, row_marker=ROW,
)
