"""A selector against a hand-written SQL of the same answer, in the same process and database.

When the selector reads through a `kernel.compiled.CompiledRead` (ADR 0033), its first call with
a given reach and arguments builds the queryset and compiles the SQL, and later calls reuse it:
both are timed and reported apart. `cold` forgets every compiled read before the call (outside
the timer), so each cold sample is a genuine first call; `warm` is the call as a user who asks
again (the next page load, another user with the same reach) meets it. Rounds interleave the
three in a rotating order to cancel drift; medians are compared.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Timing:
    """Median times, and the median of the per-round ratios (each round's three calls ran next to
    each other, so a burst of load from elsewhere moves all three)."""

    raw_s: float
    warm_s: float
    cold_s: float
    warm: float
    cold: float

    def line(self, what: str) -> str:
        return (f"{what}: hand-written SQL {self.raw_s * 1000:.2f} ms; selector warm (compiled SQL kept) "
                f"{self.warm_s * 1000:.2f} ms, ratio {self.warm:.2f} ({'ok' if self.warm <= 1.2 else 'MISSED'}: "
                f"goal ≤ 1.2); cold (first call: queryset built and compiled) {self.cold_s * 1000:.2f} ms, "
                f"ratio {self.cold:.2f} (info)")


def compare(selector: Callable[[], Any], raw: Callable[[], Any], *, rounds: int = 45) -> Timing:
    from gongjian.kernel import compiled

    samples: dict[str, list[float]] = {"raw": [], "warm": [], "cold": []}
    calls: list[tuple[str, Callable[[], Any]]] = [("raw", raw), ("warm", selector), ("cold", selector)]
    for _ in range(5):  # warm-up: connections, statement caches, the compiled SQL itself
        raw()
        selector()
    for i in range(rounds):
        shift = i % 3
        for name, fn in calls[shift:] + calls[:shift]:
            if name == "cold":
                # Forgotten outside the timer; the cold call compiles it again, so a warm call
                # after it finds it kept, as one before it did.
                compiled.clear_all()
            t0 = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - t0)
    raw_s = samples["raw"]
    return Timing(*(statistics.median(samples[name]) for name in ("raw", "warm", "cold")),
                  warm=statistics.median(w / r for w, r in zip(samples["warm"], raw_s, strict=True)),
                  cold=statistics.median(c / r for c, r in zip(samples["cold"], raw_s, strict=True)))
