"""The vote-distribution SVG (pure)."""

from __future__ import annotations

import re

from actionplans.charts import AGREED, OTHER, SUGGESTED_OUTLINE, vote_chart_svg


def test_it_draws_one_bar_per_level_with_the_agreed_level_dark():
    svg = str(vote_chart_svg((1, 4, 2, 0), agreed=1))
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="26" height="([\d.]+)" fill="(#\w+)"', svg)
    assert [fill for _h, fill in bars] == [OTHER, AGREED, OTHER, OTHER]
    heights = [float(h) for h, _f in bars]
    assert heights[1] == max(heights) and heights[3] == 0
    assert "level 1: 4" in svg


def test_it_outlines_the_suggestion_only_when_the_room_chose_otherwise():
    assert SUGGESTED_OUTLINE in str(vote_chart_svg((0, 3, 3, 0), agreed=2, suggestion=1))
    assert SUGGESTED_OUTLINE not in str(vote_chart_svg((0, 3, 3, 0), agreed=1, suggestion=1))


def test_it_escapes_its_title_and_uses_no_style_attributes():
    svg = str(vote_chart_svg((0, 0, 0, 0), title='<script>"x"</script>'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "style=" not in svg  # the CSP forbids inline styles
