"""Sortable tables of the programme report (django-tables2 over the report's plain dicts)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}


class MeanColumn(tables.Column):
    def render(self, value):
        return f"{value:.2f}"


class DistributionColumn(tables.Column):
    """Areas at each level, e.g. "9 · 10 · 1 · 0"; the header says which level is which."""

    def __init__(self, **kwargs):
        super().__init__(orderable=False, **kwargs)

    def render(self, value):
        return " · ".join(str(n) for n in value)


class ChangeColumn(tables.Column):
    def render(self, value):
        return f"+{value}" if value > 0 else str(value)


def domain_table_class(
    from_phase: int, to_phase: int, n_levels: int, short_titles: dict[str, str] | None = None
) -> type[tables.Table]:
    """The per-domain table, its headers naming the phases compared."""
    levels = "·".join(str(i) for i in range(n_levels))
    short_titles = short_titles or {}

    def render_code(self, value, record):
        return format_html(
            '<span class="fw-bold">{}</span> <span class="d-block small" title="{}">{}</span>',
            value,
            record["title"],
            short_titles.get(value, record["title"]),
        )

    attrs = {"code": tables.Column(verbose_name="Domain"), "render_code": render_code}
    for side, phase in (("from", from_phase), ("to", to_phase)):
        attrs[f"{side}_total"] = tables.Column(
            accessor=f"{side}__total", verbose_name=format_html("Phase {}<br>total", phase), attrs=NUM
        )
        attrs[f"{side}_mean"] = MeanColumn(
            accessor=f"{side}__mean", verbose_name=format_html("Phase {}<br>mean", phase), attrs=NUM
        )
        attrs[f"{side}_rank"] = tables.Column(
            accessor=f"{side}__rank", verbose_name=format_html("Phase {}<br>rank", phase), attrs=NUM
        )
        attrs[f"{side}_distribution"] = DistributionColumn(
            accessor=f"{side}__distribution",
            verbose_name=format_html("Phase {}: areas<br>at level {}", phase, levels),
            attrs={"th": {"class": "num"}, "td": {"class": "num text-nowrap"}},
        )
    attrs["change"] = ChangeColumn(verbose_name=mark_safe("Change<br>in total"), attrs=NUM)
    attrs["change_rank"] = tables.Column(verbose_name=mark_safe("Rank of<br>change"), attrs=NUM)
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "attrs": {"class": "table table-sm table-striped align-middle report-table"},
            "empty_text": "The framework has no domains.",
        },
    )
    return type("DomainTable", (tables.Table,), attrs)


class AreaTable(tables.Table):
    area = tables.Column(verbose_name="Area")
    code = tables.Column(verbose_name="Code")
    from_total = tables.Column(attrs=NUM)
    to_total = tables.Column(attrs=NUM)
    change = ChangeColumn(verbose_name="Change", attrs=NUM)

    class Meta:
        attrs = {"class": "table table-sm table-striped align-middle report-table report-areas"}
        empty_text = "No area has agreed ratings in both phases yet."

    def __init__(self, data, *, from_phase: int, to_phase: int, max_total: int, area_urls: dict, **kwargs):
        super().__init__(data, **kwargs)
        self.columns["from_total"].column.verbose_name = f"Phase {from_phase} total (of {max_total})"
        self.columns["to_total"].column.verbose_name = f"Phase {to_phase} total (of {max_total})"
        self.area_urls = area_urls

    def render_area(self, value, record):
        url = self.area_urls.get(record["code"])
        return format_html('<a href="{}">{}</a>', url, value) if url else value
