"""Sortable tables of the programme report (django-tables2 over the report's plain dicts)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html


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


def domain_table_class(from_phase: int, to_phase: int, n_levels: int) -> type[tables.Table]:
    """The per-domain table, its headers naming the phases compared."""
    levels = "·".join(str(i) for i in range(n_levels))
    attrs = {
        "code": tables.Column(verbose_name="Domain", attrs={"th": {"scope": "col"}}),
        "title": tables.Column(verbose_name="Title", orderable=False),
    }
    for side, phase in (("from", from_phase), ("to", to_phase)):
        attrs[f"{side}_total"] = tables.Column(
            accessor=f"{side}__total", verbose_name=f"Phase {phase} total", attrs={"td": {"class": "num"}}
        )
        attrs[f"{side}_mean"] = MeanColumn(
            accessor=f"{side}__mean", verbose_name=f"Phase {phase} mean", attrs={"td": {"class": "num"}}
        )
        attrs[f"{side}_rank"] = tables.Column(
            accessor=f"{side}__rank", verbose_name=f"Phase {phase} rank", attrs={"td": {"class": "num"}}
        )
        attrs[f"{side}_distribution"] = DistributionColumn(
            accessor=f"{side}__distribution",
            verbose_name=f"Phase {phase}: areas at level {levels}",
            attrs={"td": {"class": "num text-nowrap"}},
        )
    attrs["change"] = ChangeColumn(verbose_name="Change in total", attrs={"td": {"class": "num"}})
    attrs["change_rank"] = tables.Column(verbose_name="Rank of change", attrs={"td": {"class": "num"}})
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
    from_total = tables.Column(attrs={"td": {"class": "num"}})
    to_total = tables.Column(attrs={"td": {"class": "num"}})
    change = ChangeColumn(verbose_name="Change", attrs={"td": {"class": "num"}})

    class Meta:
        attrs = {"class": "table table-sm table-striped align-middle report-table"}
        empty_text = "No area has agreed ratings in both phases yet."

    def __init__(self, data, *, from_phase: int, to_phase: int, max_total: int, area_urls: dict, **kwargs):
        super().__init__(data, **kwargs)
        self.columns["from_total"].column.verbose_name = f"Phase {from_phase} total (of {max_total})"
        self.columns["to_total"].column.verbose_name = f"Phase {to_phase} total (of {max_total})"
        self.area_urls = area_urls

    def render_area(self, value, record):
        url = self.area_urls.get(record["code"])
        return format_html('<a href="{}">{}</a>', url, value) if url else value
