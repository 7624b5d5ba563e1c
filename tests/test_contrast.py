"""WCAG 2.2 contrast of our own colours, read from the CSS files (pure Python, no browser).

Each pair names the rule and property that paints the text and the one that paints what is
behind it, so changing a colour in static/**/*.css re-runs the sum. Thresholds: 4.5:1 for text
(WCAG 1.4.3), 3:1 for large text, focus rings and form-control boundaries (1.4.3, 1.4.11).
Bootstrap's own pairs (buttons, links, alerts) are Bootstrap's to keep; the body text colour
#212529 and white page are used where our background sits under Bootstrap's text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "static"
WHITE, BODY_TEXT = "#ffffff", "#212529"  # Bootstrap's page and text colours
TEXT, LARGE, NON_TEXT = 4.5, 3.0, 3.0


# --- reading the CSS -------------------------------------------------------------------------
@cache
def _rules(css_file: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) for every rule, innermost blocks of @media/@page included."""
    text = re.sub(r"/\*.*?\*/", "", (STATIC / css_file).read_text(), flags=re.S)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = value.strip()
        selectors = selectors.split(";")[-1]  # a block nested after declarations (@page boxes)
        for selector in selectors.split(","):
            rules.append((" ".join(selector.split()), declarations))
    return rules


def _value(css_file: str, selector: str, prop: str) -> str:
    found = [d[prop] for s, d in _rules(css_file) if s == selector and prop in d]
    assert found, f"{css_file}: no {prop} in a rule for {selector!r}"
    value = found[-1]
    variable = re.fullmatch(r"var\((--[\w-]+)\)", value)
    if variable:
        return _value(css_file, ":root", variable.group(1))
    return value


def colour(css_file: str, selector: str, prop: str, over: str = WHITE) -> str:
    """The colour a rule paints, as #rrggbb; a translucent one is blended over `over`."""
    value = _value(css_file, selector, prop)
    match = re.search(r"#[0-9a-fA-F]{3,6}\b|rgba?\([^)]*\)", value)
    assert match, f"{css_file} {selector} {prop}: no colour in {value!r}"
    return _blend(match.group(0), over)


# --- WCAG arithmetic ---------------------------------------------------------------------------
def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _blend(value: str, over: str) -> str:
    if value.startswith("#"):
        return "#{:02x}{:02x}{:02x}".format(*_rgb(value))
    parts = [float(p) for p in value[value.index("(") + 1 : -1].split(",")]
    alpha = parts[3] if len(parts) == 4 else 1.0
    under = _rgb(over)
    blended = (round(alpha * c + (1 - alpha) * u) for c, u in zip(parts[:3], under, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*blended)


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_arithmetic_matches_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#0d6efd", "#ffffff") == pytest.approx(4.50, abs=0.01)  # Bootstrap's link blue
    assert _blend("rgba(0, 0, 0, 0.5)", "#ffffff") == "#808080"


# --- the pairs ---------------------------------------------------------------------------------
APP, LIVE, REPORTS, PLAN = "css/app.css", "ratings/live.css", "reports/reports.css", "actionplans/plan.css"
PRINT, PLAN_PRINT = "css/print.css", "actionplans/print.css"
LEVELS = [f".level-{n}" for n in range(4)]


def _level_bg(n: int) -> str:
    return colour(APP, f".level-{n}", "background-color")


def _phone_bg() -> str:
    return colour(LIVE, "body.phone", "background")


def _projector_bg() -> str:
    return colour(LIVE, "body.projector", "background")


PAIRS = [
    # (name, foreground, background, minimum)
    (
        "menu text on navy",
        lambda: colour(APP, ".navbar-dark .nav-link", "color"),
        lambda: colour(APP, ".bg-cascade", "background-color"),
        TEXT,
    ),
    ("navy text", lambda: colour(APP, ".text-cascade", "color"), lambda: WHITE, TEXT),
    (
        "skip link",
        lambda: colour(APP, ".skip-link", "color"),
        lambda: colour(APP, ".skip-link", "background"),
        TEXT,
    ),
    ("framework source note", lambda: colour(APP, ".framework-source", "color"), lambda: WHITE, TEXT),
    *[(f"body text on level {n}", lambda: BODY_TEXT, lambda n=n: _level_bg(n), TEXT) for n in range(4)],
    *[
        (
            f"level chip on level {n}",
            lambda: colour(APP, ".level-chip", "color"),
            lambda n=n: _level_bg(n),
            TEXT,
        )
        for n in range(4)
    ],
    # focus ring: the black ring shows on white, the yellow outline on the navy menu
    (
        "focus ring on the page",
        lambda: colour(APP, ".btn:focus-visible", "box-shadow"),
        lambda: WHITE,
        NON_TEXT,
    ),
    (
        "focus outline on the menu",
        lambda: colour(APP, ".nav-link:focus-visible", "outline"),
        lambda: colour(APP, ".bg-cascade", "background-color"),
        NON_TEXT,
    ),
    ("form control border", lambda: colour(APP, ".form-control", "border-color"), lambda: WHITE, NON_TEXT),
    (
        "form control border on the phone",
        lambda: colour(APP, ".form-control", "border-color"),
        _phone_bg,
        NON_TEXT,
    ),
    (
        "command in the loopback warning",
        lambda: colour(APP, ".loopback-warning code", "color"),
        lambda: colour(APP, ".loopback-warning code", "background"),
        TEXT,
    ),
    # Bootstrap's #dc3545 is 4.18:1 on the phone's grey (issue 23): the join form's errors
    (
        "field error on the phone",
        lambda: colour(LIVE, "body.phone .invalid-feedback", "color"),
        _phone_bg,
        TEXT,
    ),
    # live workshop: console
    ("change up", lambda: colour(LIVE, ".change-up", "color"), lambda: WHITE, TEXT),
    ("change down", lambda: colour(LIVE, ".change-down", "color"), lambda: WHITE, TEXT),
    (
        "discuss flag",
        lambda: colour(LIVE, ".discuss-flag", "color"),
        lambda: colour(LIVE, ".discuss-flag", "background"),
        TEXT,
    ),
    (
        "score badge",
        lambda: colour(LIVE, ".choice-score", "color"),
        lambda: colour(LIVE, ".choice-score", "background"),
        TEXT,
    ),
    (
        "domain link",
        lambda: colour(LIVE, ".console .domain-nav button.domain-link", "color"),
        lambda: WHITE,
        TEXT,
    ),
    (
        "domain link hovered",
        lambda: colour(LIVE, ".console .domain-nav button.domain-link", "color"),
        lambda: colour(LIVE, ".console .domain-nav button.domain-link:hover", "background"),
        TEXT,
    ),
    (
        "current domain",
        lambda: colour(LIVE, ".console .domain-nav button.domain-link.current", "color"),
        lambda: colour(LIVE, ".console .domain-nav button.domain-link.current", "background"),
        TEXT,
    ),
    ("step", lambda: colour(LIVE, ".steps .step", "color"), lambda: WHITE, TEXT),
    (
        "step now",
        lambda: colour(LIVE, ".steps .step.now", "color"),
        lambda: colour(LIVE, ".steps .step.now", "background"),
        TEXT,
    ),
    (
        "step done",
        lambda: colour(LIVE, ".steps .step.done", "color"),
        lambda: colour(LIVE, ".steps .step.done", "background"),
        TEXT,
    ),
    ("sector note", lambda: colour(LIVE, ".sector-note", "color"), lambda: WHITE, TEXT),
    # projector (all of it is large text; held to 4.5:1 anyway except where noted)
    ("projector text", lambda: colour(LIVE, "body.projector", "color"), _projector_bg, TEXT),
    ("projector kicker", lambda: colour(LIVE, ".stage .kicker", "color"), _projector_bg, TEXT),
    ("projector prompt", lambda: colour(LIVE, ".stage-prompt", "color"), _projector_bg, TEXT),
    (
        "projector results card",
        lambda: colour(LIVE, ".stage .results", "color"),
        lambda: colour(LIVE, ".stage .results", "background"),
        TEXT,
    ),
    (
        "projector sector caption",
        lambda: colour(LIVE, ".stage .sector-table caption", "color"),
        lambda: colour(LIVE, ".stage .results", "background"),
        TEXT,
    ),
    (
        "projector descriptors",
        lambda: colour(LIVE, ".stage .descriptor", "color"),
        lambda: _level_bg(1),
        TEXT,
    ),
    (
        "join panel",
        lambda: colour(LIVE, ".join-panel", "color"),
        lambda: colour(LIVE, ".join-panel", "background"),
        TEXT,
    ),
    (
        "vote counter (large)",
        lambda: colour(LIVE, ".counter-votes strong", "color"),
        lambda: colour(LIVE, ".join-panel", "background"),
        LARGE,
    ),
    (
        "summary table on the projector",
        lambda: colour(LIVE, ".projector-summary .summary-table", "color"),
        lambda: colour(LIVE, ".projector-summary .summary-table", "background"),
        TEXT,
    ),
    # phone
    (
        "phone bar",
        lambda: colour(LIVE, ".phone-bar", "color"),
        lambda: colour(LIVE, ".phone-bar", "background"),
        TEXT,
    ),
    ("phone domain kicker", lambda: colour(LIVE, ".domain-kicker", "color"), _phone_bg, TEXT),
    (
        "phone guiding question link",
        lambda: colour(LIVE, ".prompt-details summary", "color"),
        _phone_bg,
        TEXT,
    ),
    ("phone footer", lambda: colour(LIVE, ".phone-footer", "color"), _phone_bg, TEXT),
    ("phone footer button", lambda: colour(LIVE, ".phone-footer .btn-link", "color"), _phone_bg, TEXT),
    *[
        (
            f"ballot choice on level {n}",
            lambda: colour(LIVE, ".choice", "color"),
            lambda n=n: _level_bg(n),
            TEXT,
        )
        for n in range(4)
    ],
    (
        "ballot 'your vote' tick",
        lambda: colour(LIVE, ".choice-tick", "color"),
        lambda: colour(LIVE, ".choice-tick", "background"),
        TEXT,
    ),
    (
        "ballot choice border (level 1)",
        lambda: colour(LIVE, ".choice", "border", over=_level_bg(1)),
        _phone_bg,
        NON_TEXT,
    ),
    (
        "ballot 'not sure' border",
        lambda: colour(LIVE, ".choice", "border", over=colour(LIVE, ".choice-unsure", "background")),
        _phone_bg,
        NON_TEXT,
    ),
    # reports: change marks in the level-coloured cells of the area page
    *[
        (
            f"report change {kind} on level {n}",
            lambda kind=kind: colour(REPORTS, f".change-{kind}", "color"),
            lambda n=n: colour(REPORTS, f".area-progress td.level-{n}", "--bs-table-bg"),
            TEXT,
        )
        for kind in ("up", "down", "same")
        for n in range(4)
    ],
    # action plans
    *[
        (
            f"level badge on level {n}",
            lambda: colour(PLAN, ".level-badge", "color"),
            lambda n=n: _level_bg(n),
            TEXT,
        )
        for n in range(4)
    ],
    (
        "status badge",
        lambda: colour(PLAN, ".status-badge", "color"),
        lambda: colour(PLAN, ".status-badge", "background"),
        TEXT,
    ),
    (
        "status badge done",
        lambda: colour(PLAN, ".status-badge", "color"),
        lambda: colour(PLAN, ".status-badge.status-done", "background"),
        TEXT,
    ),
    (
        "status badge in progress",
        lambda: colour(PLAN, ".status-badge", "color"),
        lambda: colour(PLAN, ".status-badge.status-in_progress", "background"),
        TEXT,
    ),
    (
        "status badge dropped",
        lambda: colour(PLAN, ".status-badge.status-dropped", "color"),
        lambda: colour(PLAN, ".status-badge.status-dropped", "background"),
        TEXT,
    ),
    (
        "overdue action row",
        lambda: BODY_TEXT,
        lambda: colour(PLAN, ".action-items tr.table-danger td", "--bs-table-bg"),
        TEXT,
    ),
    # PDFs and their HTML previews
    ("print text", lambda: colour(PRINT, "html", "color"), lambda: WHITE, TEXT),
    ("print headings", lambda: colour(PRINT, "h1", "color"), lambda: WHITE, TEXT),
    ("print muted", lambda: colour(PRINT, ".muted", "color"), lambda: WHITE, TEXT),
    (
        "print table head",
        lambda: colour(PRINT, "html", "color"),
        lambda: colour(PRINT, "thead th", "background"),
        TEXT,
    ),
    ("print page footer", lambda: colour(PRINT, "@bottom-left", "color"), lambda: WHITE, TEXT),
    *[
        (
            f"print text on level {n}",
            lambda: colour(PRINT, "html", "color"),
            lambda n=n: colour(PRINT, f".level-{n}", "background-color"),
            TEXT,
        )
        for n in range(4)
    ],
    ("plan PDF kicker", lambda: colour(PLAN_PRINT, ".kicker", "color"), lambda: WHITE, TEXT),
    ("plan PDF subtitle", lambda: colour(PLAN_PRINT, ".subtitle", "color"), lambda: WHITE, TEXT),
    (
        "plan PDF facts",
        lambda: colour(PRINT, "html", "color"),
        lambda: colour(PLAN_PRINT, ".facts th", "background"),
        TEXT,
    ),
    ("plan PDF reason", lambda: colour(PLAN_PRINT, ".ratings .reason", "color"), lambda: WHITE, TEXT),
    ("plan PDF priority tag", lambda: colour(PLAN_PRINT, ".priority-tag", "color"), lambda: WHITE, TEXT),
    ("plan PDF dropped", lambda: colour(PLAN_PRINT, ".status-dropped", "color"), lambda: WHITE, TEXT),
    (
        "preview bar link",
        lambda: colour(PLAN_PRINT, ".preview-bar a", "color"),
        lambda: colour(PLAN_PRINT, ".preview-bar", "background"),
        TEXT,
    ),
]


@pytest.mark.parametrize(("name", "foreground", "background", "minimum"), PAIRS, ids=[p[0] for p in PAIRS])
def test_colour_pair_meets_wcag(name, foreground, background, minimum):
    fg, bg = foreground(), background()
    ratio = contrast(fg, bg)
    assert ratio >= minimum, f"{name}: {fg} on {bg} is {ratio:.2f}:1, needs {minimum}:1"


def test_every_text_colour_in_our_css_is_covered():
    """A new `color:` in our CSS should join PAIRS: list the ones the pairs above never read."""
    read = set()
    for _name, fg, bg, _minimum in PAIRS:
        read.update({fg(), bg()})
    unread = {}
    for css_file in (APP, LIVE, REPORTS, PLAN, PRINT, PLAN_PRINT):
        for selector, declarations in _rules(css_file):
            value = declarations.get("color", "")
            match = re.fullmatch(r"#[0-9a-fA-F]{3,6}", value)
            if match and _blend(value, WHITE) not in read:
                unread[f"{css_file} {selector}"] = value
    assert unread == {}
