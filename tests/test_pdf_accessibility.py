"""Every kind of PDF the app writes is a tagged PDF/UA-1 document a screen reader can navigate.

Each PDF is opened with pikepdf (the structure tree, language, title, XMP, headings, tables,
figures, footers) and read with pdftotext (the domains in order, each heading before its content).
"""

from __future__ import annotations

import io
import re
import subprocess

import pikepdf
import pytest

from actionplans.document import render_action_plan_pdf
from actionplans.sample import fill_votes
from actionplans.tests.conftest import CODES, add_item, add_plan
from reports.tests.report_factories import make_areas

pytestmark = pytest.mark.django_db

PDFUA_PART = "{http://www.aiim.org/pdfua/ns/id/}part"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
HEADING = re.compile(r"/H([1-6])")


# --- reading a PDF -------------------------------------------------------------------------------
def walk(element, out: list) -> list:
    """Structure elements in reading (tree) order."""
    if isinstance(element, pikepdf.Array):
        for kid in element:
            walk(kid, out)
    elif isinstance(element, pikepdf.Dictionary) and element.get("/Type", "/StructElem") == "/StructElem":
        if "/S" in element:
            out.append(element)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary):
                walk(kid, out)
    return out


def descendants(element) -> list:
    return walk(element, [])[1:]


def structure(pdf_bytes: bytes) -> tuple[pikepdf.Pdf, list]:
    document = pikepdf.open(io.BytesIO(pdf_bytes))
    root = document.Root
    assert "/StructTreeRoot" in root, "no structure tree: the PDF is not tagged"
    return document, walk(root.StructTreeRoot.K, [])


def pdftotext(pdf_bytes: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf_bytes)
    # -raw: the order of the page's content stream, which a reader without the tags falls back to
    # (pdftotext's default guesses columns and reads a table of short rows column by column).
    command = ["pdftotext", "-raw", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def assert_tagged_pdf_ua(pdf_bytes: bytes, title: str) -> tuple[pikepdf.Pdf, list]:
    """The checks every kind of PDF passes; the open document and its structure elements."""
    document, elements = structure(pdf_bytes)
    root = document.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == "en-GB"
    assert root.ViewerPreferences.DisplayDocTitle is True  # the title, not the file name, in the window
    assert str(document.docinfo.Title) == title
    with document.open_metadata() as xmp:
        assert xmp[PDFUA_PART] == "1"
        assert xmp[DC_TITLE] == title

    kinds = [str(e.S) for e in elements]
    levels = [int(HEADING.fullmatch(kind).group(1)) for kind in kinds if HEADING.fullmatch(kind)]
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), f"a skipped level: {levels}"

    tables = [e for e in elements if e.S == "/Table"]
    for table in tables:
        cells = [e for e in descendants(table) if e.S in ("/TH", "/TD")]
        headers = [c for c in cells if c.S == "/TH"]
        assert headers, "a table with no header cells"
        assert all(str(h.A.Scope) in ("/Row", "/Column") for h in headers)
    for figure in (e for e in elements if e.S == "/Figure"):
        alt = str(figure.get("/Alt", ""))
        numbers = re.findall(r"\d+(?:\.\d+)?", alt)  # a title such as "phase 1 and phase 2" is not enough
        assert len(numbers) >= 4, f"a figure whose text alternative gives no figures: {alt!r}"
    for link in (e for e in elements if e.S == "/Link"):
        assert "/Alt" in link or any(isinstance(kid, int) for kid in link.K), "a link with no text"

    # Footers and page numbers are pagination artifacts, outside the tree and its reading order.
    reachable = {e.objgen for e in elements}
    for _page_index, refs in zip(*[iter(root.StructTreeRoot.ParentTree.Nums)] * 2, strict=True):
        if isinstance(refs, pikepdf.Array):
            assert all(ref is None or ref.objgen in reachable for ref in refs), "untagged page content"
    first_page = pikepdf.parse_content_stream(document.pages[0])
    artifacts = [
        operands
        for operands, operator in first_page
        if str(operator) == "BDC" and operands[0] == "/Artifact" and operands[1].get("/Subtype") == "/Footer"
    ]
    assert len(artifacts) >= 2, "the running footer and the page number are not marked as artifacts"
    return document, elements


def in_order(text: str, needles: list[str]) -> list[int]:
    """Where each needle first appears after the previous one; fails naming the one out of order."""
    positions, start = [], 0
    for needle in needles:
        at = text.find(needle, start)
        assert at >= 0, f"{needle!r} missing or out of order"
        positions.append(at)
        start = at + len(needle)
    return positions


# --- each kind of PDF ------------------------------------------------------------------------------
def test_the_action_plan_is_a_tagged_pdf_ua_document_read_in_page_order(workshop, tmp_path):
    fill_votes(workshop, participants=12, seed=3)
    for code in CODES:
        add_plan(workshop, code, working_well=f"wellmark{code} works", next_steps=f"nextmark{code} soon")
    add_item(workshop, "C1", description="Write the referral guide")
    workshop.refresh_from_db()
    pdf = render_action_plan_pdf(workshop)

    _document, elements = assert_tagged_pdf_ua(
        pdf, f"CASCADE action plan · {workshop.area.name} · 1 September 2026"
    )
    kinds = [str(e.S) for e in elements]
    assert kinds.count("/Figure") == 7  # a vote chart per domain, each with its figures as text
    assert "/L" in kinds and "/LI" in kinds  # the room's notes and the grid's actions are lists
    assert "/Caption" in kinds
    figure = next(e for e in elements if e.S == "/Figure")
    assert re.search(r"Votes for C1: level 0: \d+, level 1: \d+", str(figure.Alt))

    text = pdftotext(pdf, tmp_path)
    grid = text[text.index("What is working well, the challenges") :]
    domains = list(workshop.framework.domains.order_by("position"))
    headings = in_order(grid, [d.short_title.split()[0] for d in domains])
    for d, at, end in zip(domains, headings, [*headings[1:], len(grid)], strict=True):
        assert at < grid.index(f"wellmark{d.code}") < end, f"{d.code}'s content is not under its heading"
        assert at < grid.index(f"nextmark{d.code}") < end


def test_the_programme_report_is_a_tagged_pdf_ua_document_read_in_page_order(
    programme, framework, admin_user, client_for, tmp_path
):
    make_areas(programme, framework, 40)
    response = client_for(admin_user).get(f"/reports/programmes/{programme.pk}/report.pdf")
    assert response.status_code == 200
    _document, elements = assert_tagged_pdf_ua(response.content, f"{programme.name}: programme report")
    figure = next(e for e in elements if e.S == "/Figure")
    assert "Phase 1: C1 " in str(figure.Alt) and "Phase 2: C1 " in str(figure.Alt)  # the means, as text
    assert sum(1 for e in elements if e.S == "/Table") >= 3

    text = pdftotext(response.content, tmp_path)
    table = text[text.index("Agreed levels per domain in both phases") :]
    in_order(table, [f"{d.code} {d.title.split()[0]}" for d in framework.domains.order_by("position")])


@pytest.mark.parametrize("sheet", ["ballot", "tally"])
def test_the_paper_sheets_are_tagged_pdf_ua_documents_read_in_page_order(
    workshop, facilitator, client_for, sheet, tmp_path
):
    response = client_for(facilitator).get(f"/workshops/{workshop.pk}/paper/{sheet}.pdf")
    assert response.status_code == 200
    prefix = "Paper ballot" if sheet == "ballot" else "Tally sheets"
    _document, elements = assert_tagged_pdf_ua(response.content, f"{prefix} · {workshop.title}")
    kinds = [str(e.S) for e in elements]
    assert kinds.count("/H2") == 7 and kinds.count("/Table") >= 7

    text = pdftotext(response.content, tmp_path)
    domains = list(workshop.framework.domains.order_by("position"))
    title = (lambda d: d.title) if sheet == "ballot" else (lambda d: d.short_title)
    headings = in_order(text, [f"{d.code} {title(d).split()[0]}" for d in domains])
    for d, at, end in zip(domains, headings, [*headings[1:], len(text)], strict=True):
        caption = f"Levels for {d.code}: tick one" if sheet == "ballot" else f"Ticks per level for {d.code}"
        assert at < text.index(caption) < end, f"{d.code}'s table is not under its heading"
