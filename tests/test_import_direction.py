"""Imports point one way: workshops <- ratings <- actionplans <- reports <- cascade_site.

Every module of each app is read (not its tests, not its migrations), imports inside functions
included, and a module that imports an app above its own fails the test with file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["workshops", "ratings", "actionplans", "reports", "cascade_site"]
RANK = {app: rank for rank, app in enumerate(ORDER)}


def app_modules(app: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / app).rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ROOT / app).parts)
    )


def imported_apps(source: str) -> list[tuple[int, str]]:
    """(line, app) for every import of one of our apps, at any depth of the module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.extend((node.lineno, name.split(".")[0]) for name in names if name.split(".")[0] in RANK)
    return found


def upward_imports(app: str) -> list[str]:
    problems = []
    for path in app_modules(app):
        for line, target in imported_apps(path.read_text(encoding="utf-8")):
            if RANK[target] > RANK[app]:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {app} imports {target}, an app above it")
    return problems


@pytest.mark.parametrize("app", ORDER)
def test_no_app_imports_an_app_above_it(app):
    assert app_modules(app), f"no modules found for {app}"
    assert upward_imports(app) == []


def test_it_names_the_file_and_line_of_an_upward_import():
    source = "import os\n\n\ndef f():\n    from reports.data import programme_report_for\n"
    assert imported_apps(source) == [(5, "reports")]
    assert imported_apps("from . import views\nimport ratings.models as m\n") == [(2, "ratings")]
