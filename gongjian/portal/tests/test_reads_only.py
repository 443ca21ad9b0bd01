"""The portal reads through selectors only (never a model manager, never a service): a static
check over its modules, so a new public page cannot fetch a record past the access policy."""

from __future__ import annotations

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent


def _modules() -> list[Path]:
    return [p for p in PORTAL.glob("*.py") if p.name != "__init__.py"]


def test_no_portal_module_uses_a_model_manager_or_a_service() -> None:
    offences = []
    for path in _modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
                offences.append(f"{path.name}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".services"):
                offences.append(f"{path.name}:{node.lineno} imports {node.module}")
            if isinstance(node, ast.ImportFrom) and any(a.name == "services" for a in node.names):
                offences.append(f"{path.name}:{node.lineno} imports services")
    assert offences == []


def test_the_check_sees_the_portal_modules() -> None:
    assert {p.name for p in _modules()} >= {"views.py", "disclosure_views.py", "womenshome_views.py"}
