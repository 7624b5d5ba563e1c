"""Paper ballots for rooms without phones: an A4 ballot and a tally sheet per domain.

Both are print templates rendered by the shared WeasyPrint set-up (workshops.pdf) and shown
as HTML previews. The facilitator enters the tallied counts in the console's show-of-hands
form, so paper votes join the phones' in the suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from workshops.access import get_workshop_for_user
from workshops.models import Descriptor, Domain, Level, Workshop
from workshops.pdf import html_to_pdf

from .live import Option

SHEETS = {"ballot": "ratings/paper/ballot.html", "tally": "ratings/paper/tally.html"}


@dataclass
class PaperDomain:
    domain: Domain
    options: list[Option]


def paper_domains(workshop: Workshop) -> list[PaperDomain]:
    """The framework's domains with their four descriptors, in two queries."""
    domains = list(Domain.objects.filter(framework_id=workshop.framework_id))
    texts: dict[int, list[Option]] = {d.pk: [] for d in domains}
    for d in Descriptor.objects.filter(domain__framework_id=workshop.framework_id).select_related("level"):
        texts[d.domain_id].append(Option(d.level.score, d.level.label, d.text))
    return [PaperDomain(d, sorted(texts[d.pk], key=lambda o: o.score)) for d in domains]


def _context(request, workshop: Workshop, sheet: str, *, for_pdf: bool) -> dict:
    return {
        "workshop": workshop,
        "sheet": sheet,
        "domains": paper_domains(workshop),
        "levels": list(Level.objects.filter(framework_id=workshop.framework_id)),
        "for_pdf": for_pdf,
        "preview_urls": {name: reverse("ratings_paper", args=[workshop.pk, name]) for name in SHEETS},
        "pdf_url": reverse("ratings_paper_pdf", args=[workshop.pk, sheet]),
        "console_url": reverse("ratings_console", args=[workshop.pk]),
    }


def _sheet(sheet: str) -> str:
    if sheet not in SHEETS:
        raise Http404("No such sheet.")
    return SHEETS[sheet]


@login_required
@require_GET
def paper_preview(request, pk: int, sheet: str):
    """The printable sheet as an HTML page, with links to its PDF."""
    workshop = get_workshop_for_user(request, pk, facilitate=True)
    template = _sheet(sheet)
    return HttpResponse(
        render_to_string(template, _context(request, workshop, sheet, for_pdf=False), request)
    )


@login_required
@require_GET
def paper_pdf(request, pk: int, sheet: str):
    workshop = get_workshop_for_user(request, pk, facilitate=True)
    template = _sheet(sheet)
    pdf = html_to_pdf(render_to_string(template, _context(request, workshop, sheet, for_pdf=True)))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = "ballot" if sheet == "ballot" else "tally-sheets"
    response["Content-Disposition"] = f'attachment; filename="cascade-{name}-{workshop.join_code}.pdf"'
    return response
