"""PDF rendering with WeasyPrint, shared by action plans and programme reports.

WeasyPrint may fetch only the app's own static files (and data: URIs): a URL typed
into an action plan can never make the server fetch anything.
"""

from __future__ import annotations

import io
import mimetypes
from pathlib import Path

import pikepdf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .pdf_tags import tidy_structure

BASE_URL = "https://cascade.invalid/"


def _static_path(url: str) -> Path | None:
    prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
    if not url.startswith(prefix):
        return None
    relative = url[len(prefix) :].split("?")[0].split("#")[0]
    if ".." in relative.split("/"):
        return None
    found = finders.find(relative)
    if not found and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    return Path(found) if found else None


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = _static_path(url)
        if path is None:
            raise ValueError(f"Refusing to fetch {url!r}: only the app's static files are allowed")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML document rendered by one of our print templates: tagged PDF/UA-1,
    so a screen reader reads its headings, tables, lists and charts (issue 26)."""
    pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf(
        pdf_variant="pdf/ua-1", finisher=tidy_structure
    )
    return compact(pdf)


def compact(pdf: bytes) -> bytes:
    """The same PDF rewritten by qpdf: the slots tidy_structure freed are dropped and the objects
    renumbered, which keeps the tagged PDF within about a quarter of the untagged one's size."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    return out.getvalue()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a print template (extending print/base.html) to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, {**context, "for_pdf": True}))
