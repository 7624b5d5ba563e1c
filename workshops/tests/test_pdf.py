from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from workshops.pdf import StaticOnlyFetcher, html_to_pdf


def test_it_renders_text_with_our_print_css():
    pdf = html_to_pdf(
        '<html><head><link rel="stylesheet" href="/static/css/print.css"></head>'
        "<body><h1>Cymraeg: Gwasanaethau iechyd meddwl — café</h1></body></html>"
    )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Gwasanaethau iechyd meddwl" in text and "café" in text


def test_it_fetches_our_static_files():
    response = StaticOnlyFetcher().fetch("https://cascade.invalid/static/css/print.css")
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "file:///etc/passwd",
        "https://cascade.invalid/static/../settings.py",
        "https://example.org/static/css/print.css",
    ],
)
def test_it_refuses_any_other_url(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_the_running_footer_reaches_every_page():
    from django.template import engines

    html = (
        engines["django"]
        .from_string(
            '{% extends "print/base.html" %}{% block footer_text %}Attribution line{% endblock %}'
            '{% block content %}<p class="page-break">one</p><p class="page-break">two</p>{% endblock %}'
        )
        .render({})
    )
    reader = PdfReader(io.BytesIO(html_to_pdf(html)))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        text = page.extract_text()
        assert "Attribution line" in text and "Page" in text
