"""The reports code reads the bodies of work only through kernel.figures: no module under
gongjian/reports imports womenshome, campaigns, support, development or disclosure (ADR 0028)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPORTS = Path(__file__).resolve().parents[1]
FORBIDDEN = ("womenshome", "campaigns", "support", "development", "disclosure")


def forbidden_imports(source: str, filename: str = "<test>") -> list[str]:
    """The imports of a module's text that name a body of work (absolute or relative, any depth)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
            if node.level >= 2:  # from ..support import x, from .. import support
                names += [alias.name for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            names = [str(node.args[0].value)]
        for name in names:
            parts = name.split(".")
            if any(part in FORBIDDEN for part in parts):
                found.append(f"{filename}:{getattr(node, 'lineno', 0)}: {name}")
    return found


def test_the_reports_code_imports_no_body_of_work():
    files = sorted(REPORTS.rglob("*.py"))
    assert len(files) > 10  # the walk found the package
    problems = [p for f in files for p in forbidden_imports(f.read_text(encoding="utf-8"), str(f))]
    assert problems == []


@pytest.mark.parametrize("text", [
    "import gongjian.womenshome.models",
    "from gongjian.support.selectors import case_stats",
    "from gongjian import campaigns",
    "from gongjian.development.models import Loan as L",
    "from ...disclosure import models",
    "import importlib\nimportlib.import_module('gongjian.support.models')",
])
def test_the_check_catches_each_way_of_importing_a_body_of_work(text):
    assert forbidden_imports(text) != []


def test_the_check_lets_the_kernel_through():
    assert forbidden_imports("from gongjian.kernel import figures\nfrom ..selectors import county") == []
