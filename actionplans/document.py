"""The action-plan document: one context for the PDF and its HTML preview.

A fixed number of queries whatever the size of the plan; ratings come from
ratings.results so the PDF shows the same numbers as every other page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from ratings.benchmark_data import sees_current_figures, workshop_benchmark
from ratings.consensus import agreement_in_words
from ratings.prerating_read import evidence_by_domain
from ratings.results import DomainResult, participants_by_sector, workshop_results
from workshops.models import Workshop
from workshops.pdf import html_to_pdf

from .charts import vote_chart_svg
from .models import ActionItem, DomainPlan
from .notes_queries import pdf_notes, priorities_chosen_by
from .queries import review_rows, reviewed_workshop
from .rules import change_in_words, change_sign, plan_filename

TEMPLATE = "actionplans/print/action_plan.html"
# A grid row whose longest cell has more characters than this fills more than about half a
# landscape page: it may split across pages rather than leave half a page empty before it.
SPLIT_ROW_CHARS = 900


@dataclass
class DomainSection:
    result: DomainResult
    plan: DomainPlan | None
    items: list[ActionItem] = field(default_factory=list)
    chart: SafeString | None = None
    earlier_charts: list[tuple[int, SafeString]] = field(default_factory=list)  # a re-voted domain

    @property
    def domain(self):
        return self.result.domain

    @property
    def is_priority(self) -> bool:
        return bool(self.plan and self.plan.is_priority)

    @property
    def is_long(self) -> bool:
        plan = self.plan
        if plan is None:
            return False
        next_steps = len(plan.next_steps) + sum(len(item.description) + 40 for item in self.items)
        return max(len(plan.working_well), len(plan.challenges), next_steps) > SPLIT_ROW_CHARS

    @property
    def suggestion(self) -> int | None:
        """What the rule suggested when the level was agreed (else the latest tally's)."""
        consensus = self.result.consensus
        if consensus is not None and consensus.suggested_level is not None:
            return consensus.suggested_level
        return self.result.summary.suggestion if self.result.summary else None

    @property
    def suggestion_label(self) -> str:
        return self.result.labels.get(self.suggestion, "") if self.suggestion is not None else ""

    @property
    def change_sign(self) -> str:
        return change_sign(self.result.change)

    @property
    def previous_label(self) -> str:
        previous = self.result.previous_level
        return self.result.labels.get(previous, "") if previous is not None else ""


def action_plan_context(workshop: Workshop, user=None) -> dict:
    """Everything the action-plan template shows, read once. The benchmark is the released one
    unless `user` may see every area of the programme; a command (no user) gets the released."""
    results = workshop_results(workshop)
    plans = {plan.domain_id: plan for plan in DomainPlan.objects.filter(workshop=workshop)}
    items_by_domain: dict[int, list[ActionItem]] = defaultdict(list)
    for item in (
        ActionItem.objects.filter(workshop=workshop).select_related("domain").order_by("due_date", "pk")
    ):
        items_by_domain[item.domain_id].append(item)
    sections = []
    for result in results.domains:
        chart = None
        if result.summary is not None:
            chart = vote_chart_svg(
                result.summary.counts,
                agreed=result.level,
                suggestion=result.summary.suggestion,
                title=f"Votes for {result.domain.code}",
            )
        earlier = [
            (number, vote_chart_svg(summary.counts, title=f"Votes for {result.domain.code}, round {number}"))
            for number, summary in result.earlier_rounds
        ]
        sections.append(
            DomainSection(
                result=result,
                plan=plans.get(result.domain.pk),
                items=items_by_domain.get(result.domain.pk, []),
                chart=chart,
                earlier_charts=earlier,
            )
        )
    facilitators = [
        user.get_full_name() or user.username
        for user in workshop.facilitators.order_by("first_name", "last_name", "username")
    ]
    sectors = participants_by_sector(workshop)
    by_domain = pdf_notes(workshop)  # hidden cards never reach the PDF
    return {
        "workshop": workshop,
        "area": workshop.area,
        "programme": workshop.programme,
        "framework": workshop.framework,
        "results": results,
        "sections": sections,
        "priorities": [s for s in sections if s.is_priority],
        "items": [item for s in sections for item in s.items],
        "reviews": review_rows(workshop, reviewed_workshop(workshop)),
        "benchmark": workshop_benchmark(
            workshop, results.previous_workshop, current=sees_current_figures(user, workshop.programme_id)
        ),
        "previous": results.previous_workshop,
        "total_change_words": change_in_words(results.change),
        "total_change_sign": change_sign(results.change),
        "agreed_count": sum(1 for d in results.domains if d.level is not None),
        "facilitators": facilitators,
        "sectors": sectors,
        "participant_count": sum(n for _label, n in sectors),
        "agreement_words": agreement_in_words(workshop.agreement_share),
        "filename": plan_filename(workshop.area.code, workshop.date),
        "priorities_chosen_by": priorities_chosen_by(workshop),
        "room_notes": [(s.domain, by_domain[s.domain.pk]) for s in sections if s.domain.pk in by_domain],
        "evidence": evidence_by_domain(workshop),  # notes from before the day, hidden ones left out
    }


def render_action_plan_html(
    workshop: Workshop, *, for_pdf: bool, extra: dict | None = None, user=None
) -> str:
    context = action_plan_context(workshop, user)
    return render_to_string(TEMPLATE, {**context, **(extra or {}), "for_pdf": for_pdf})


def render_action_plan_pdf(workshop: Workshop, user=None) -> bytes:
    """The PDF CCG leads take away (the same template as the preview)."""
    return html_to_pdf(render_action_plan_html(workshop, for_pdf=True, user=user))
