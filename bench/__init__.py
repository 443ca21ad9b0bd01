"""Benchmarks for Gongjian: `python -m bench` (full) or `python -m bench --quick`.

Benchmarks are not tests. Every figure is a ratio against a baseline measured in the same run.
Add one with `register_benchmark(...)` in `bench/benchmarks.py` or a new `bench/bench_*.py`
module; see bench/README.md.
"""

from .registry import BASELINE, Benchmark, register_benchmark, setup_goal, setup_info

__all__ = ["BASELINE", "Benchmark", "register_benchmark", "setup_goal", "setup_info"]
