"""Small server-side SVG charts for the PDF and its HTML preview (no JavaScript, no fetches).

Colours are SVG presentation attributes, not style attributes, so the page's CSP allows them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

AGREED = "#14365d"
OTHER = "#8fa7c0"
SUGGESTED_OUTLINE = "#b35c00"
TEXT = "#111111"


def vote_chart_svg(
    counts: Sequence[int],
    *,
    agreed: int | None = None,
    suggestion: int | None = None,
    title: str = "Votes per level",
) -> SafeString:
    """Bars of votes per level (index = level); the agreed level dark, the suggestion outlined."""
    bar_w, gap, top, bar_h, bottom = 26, 10, 12, 34, 14
    width = len(counts) * (bar_w + gap) + gap
    height = top + bar_h + bottom
    peak = max(counts, default=0) or 1
    description = ", ".join(f"level {level}: {n}" for level, n in enumerate(counts))
    parts = [
        f'<svg class="vote-chart" xmlns="http://www.w3.org/2000/svg" width="{width * 0.75:.0f}pt" '
        f'height="{height * 0.75:.0f}pt" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}: {description}">',
        f"<title>{escape(title)}: {description}</title>",
        f'<line x1="0" y1="{top + bar_h}" x2="{width}" y2="{top + bar_h}" stroke="#666" stroke-width="0.6"/>',
    ]
    for level, n in enumerate(counts):
        x = gap + level * (bar_w + gap)
        h = round(bar_h * n / peak, 1)
        y = top + bar_h - h
        fill = AGREED if level == agreed else OTHER
        parts.append(f'<rect x="{x}" y="{y}" width="{bar_w}" height="{h}" fill="{fill}"/>')
        if suggestion is not None and level == suggestion and suggestion != agreed:
            parts.append(
                f'<rect x="{x - 1.5}" y="{top - 1.5}" width="{bar_w + 3}" height="{bar_h + 1.5}" '
                f'fill="none" stroke="{SUGGESTED_OUTLINE}" stroke-width="1.2" stroke-dasharray="3 2"/>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2}" y="{y - 2}" font-size="8" text-anchor="middle" '
            f'font-family="DejaVu Sans, sans-serif" fill="{TEXT}">{n}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2}" y="{top + bar_h + 10}" font-size="8" text-anchor="middle" '
            f'font-family="DejaVu Sans, sans-serif" fill="{TEXT}">{level}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped text only
