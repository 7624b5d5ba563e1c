"""A plain install (issue 10): no sdist that needs an old setuptools, Bootstrap shipped as the
project's own static files with its licence. (A fresh `pip install -r requirements.txt` is
what CI's `make venv` does on a clean clone.)
"""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "static" / "vendor" / "bootstrap"


def test_requirements_and_makefile_need_no_build_workaround():
    requirements = (ROOT / "requirements.txt").read_text().lower()
    assert "xstatic" not in requirements
    assert re.search(r"^redis==", requirements, re.MULTILINE)  # Django's Redis cache backend needs it
    makefile = (ROOT / "Makefile").read_text()
    assert "--no-build-isolation" not in makefile and "setuptools<" not in makefile
    assert "pip install -q -r requirements.txt" in makefile


def test_bootstrap_is_vendored_with_its_licence():
    css = (VENDOR / "css" / "bootstrap.min.css").read_text()
    assert css.startswith('@charset "UTF-8";/*!\n * Bootstrap  v5.3.8')
    assert "MIT License" in (VENDOR / "LICENSE").read_text()
    # The source maps the files point at are there, so collectstatic's manifest can hash them.
    assert (VENDOR / "css" / "bootstrap.min.css.map").exists()
    assert (VENDOR / "js" / "bootstrap.bundle.min.js.map").exists()


def test_pages_link_the_vendored_stylesheet(db):
    html = Client().get("/accounts/login/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="/static/(vendor/bootstrap/[^"]+)"', html).group(1)
    assert finders.find(href) == str(VENDOR / "css" / "bootstrap.min.css")
