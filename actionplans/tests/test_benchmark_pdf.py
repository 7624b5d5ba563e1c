"""The action-plan PDF compares the area with its programme: read back with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from actionplans.document import render_action_plan_pdf
from reports.data import programme_report_for
from reports.tests.report_factories import make_areas

from .conftest import agree

pytestmark = pytest.mark.django_db

BASELINE = {"C1": 1, "A1": 2, "S": 1, "C2": 0, "A2": 1, "D": 1, "E": 0}  # total 6
FOLLOW_UP = {"C1": 2, "A1": 2, "S": 2, "C2": 1, "A2": 2, "D": 1, "E": 1}  # total 11


def pdf_text(workshop) -> str:
    reader = PdfReader(io.BytesIO(render_action_plan_pdf(workshop)))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def test_the_pdf_shows_the_area_beside_its_programme(workshop, follow_up, programme, framework):
    agree(workshop, BASELINE)
    agree(follow_up, FOLLOW_UP)
    make_areas(programme, framework, 4, prefix="Peer")
    report = programme_report_for(programme, 1, 2)
    text = pdf_text(follow_up)
    assert "Compared with Test programme" in text
    assert "Areas at each level" in text and "Programme mean" in text
    assert "of 5" in text
    for domain in report["domains"]:
        assert f"{domain['to']['mean']:.2f}" in text, domain["code"]
    assert f"{report['mean_change']:.2f}" in text
    assert "Mean change" in text and "+5" in text  # North Shire 6 -> 11
    assert "Programme mean (5 areas)" in text  # the chart's legend, drawn in the PDF
    assert "Peer" not in text  # no other area is named


def test_below_the_threshold_the_pdf_says_so(workshop, programme, framework):
    agree(workshop, BASELINE)
    make_areas(programme, framework, 3, prefix="Peer")
    text = pdf_text(workshop)
    assert "appear once at least 5 of its areas have every domain agreed" in text
    assert "so far" not in text
    assert "Programme mean" not in text and "of 4" not in text


def test_names_reach_the_pdf_as_text_not_markup(workshop, area, programme, framework):
    programme.name = "<b>Pilot & co</b>"
    programme.save()
    area.name = "<i>North</i> Shire"
    area.save()
    agree(workshop, BASELINE)
    make_areas(programme, framework, 4, prefix="Peer")
    text = pdf_text(workshop)
    assert "Compared with <b>Pilot & co</b>" in text
    assert "<i>North</i> Shire compared with the 5 areas" in text
