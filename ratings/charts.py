"""Bar-chart geometry for server-rendered SVG (pure): the same chart shows on screen, prints,
and goes into the PDF, with no JavaScript and no inline styles (only SVG attributes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Colour-blind-safe (Okabe-Ito) colours, dark enough for 3:1 contrast on white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00", "#56B4E9", "#000000"]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str  # read by screen readers and shown as a tooltip
    value_text: str
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Group:
    x: float  # centre
    label: str


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float
    colour: str
    label: str

    @property
    def text_x(self) -> float:
        return round(self.x + 16, 1)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    bars: list[Bar]
    ticks: list[Tick]
    groups: list[Group]
    legend: list[LegendItem]
    title: str
    description: str

    @property
    def tick_label_x(self) -> float:
        return self.plot_left - 6

    @property
    def group_label_y(self) -> float:
        return self.plot_bottom + 16


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def grouped_bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    y_max: float,
    *,
    title: str,
    width: int = 720,
    height: int = 300,
    tick_step: float = 1,
) -> Chart:
    """One group of bars per category (a domain), one bar per series (a workshop or a phase).

    None values (not agreed yet) leave a gap. Bar heights are to scale 0..y_max.
    """
    legend_rows = max(1, (len(series) + 2) // 3)
    left, right = 36.0, width - 8.0
    top = 12.0 + 18.0 * legend_rows
    bottom = height - 28.0
    plot_h = bottom - top
    y_max = y_max or 1
    group_w = (right - left) / max(1, len(categories))
    inner = group_w * 0.8
    bar_w = inner / max(1, len(series))

    bars = []
    for s_idx, (name, values) in enumerate(series):
        colour = PALETTE[s_idx % len(PALETTE)]
        for c_idx, value in enumerate(values):
            if value is None:
                continue
            h = plot_h * min(value, y_max) / y_max
            x = left + c_idx * group_w + (group_w - inner) / 2 + s_idx * bar_w
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(bottom - h, 1),
                    width=round(bar_w - 1.5, 1),
                    height=round(h, 1),
                    colour=colour,
                    label=f"{categories[c_idx]}, {name}: {_fmt(value)}",
                    value_text=_fmt(value),
                    text_x=round(x + (bar_w - 1.5) / 2, 1),
                    text_y=round(bottom - h - 3, 1),
                )
            )
    ticks = []
    step_value = 0.0
    while step_value <= y_max + 1e-9:
        ticks.append(Tick(y=round(bottom - plot_h * step_value / y_max, 1), label=_fmt(step_value)))
        step_value += tick_step
    groups = [
        Group(x=round(left + (i + 0.5) * group_w, 1), label=label) for i, label in enumerate(categories)
    ]
    col_w = (right - left) / 3
    legend = [
        LegendItem(
            x=round(left + (i % 3) * col_w, 1),
            y=round(6.0 + 18.0 * (i // 3), 1),
            colour=PALETTE[i % len(PALETTE)],
            label=name,
        )
        for i, (name, _values) in enumerate(series)
    ]
    description = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{cat} {'—' if v is None else _fmt(v)}" for cat, v in zip(categories, values, strict=True)
        )
        for name, values in series
    )
    return Chart(
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        bars=bars,
        ticks=ticks,
        groups=groups,
        legend=legend,
        title=title,
        description=description,
    )
