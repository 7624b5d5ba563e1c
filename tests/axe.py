"""axe-core in Playwright: the serious and critical accessibility violations of a page.

axe-core comes from npm (`package.json`, installed by `make test`); the page's CSP blocks
script tags, so its source runs through `page.evaluate`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_violations(page, impacts: tuple[str, ...] = BLOCKING) -> list[str]:
    """One line per violation of the given impacts: rule, impact, and the first offending nodes."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm install` (make test does)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for violation in result["violations"]:
        if violation["impact"] in impacts:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines


def assert_axe_clean(page, label: str = "") -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {label or page.url}:\n" + "\n".join(violations)
