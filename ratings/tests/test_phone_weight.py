"""A phone's first visit stays light: join page, ballot and every file they load under 100 KB.

Static files are counted as WhiteNoise serves them to a phone (gzip); the pages as they are.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from ratings import services

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'(?:href|src)="/static/([^"?#]+)"')


def test_a_phones_first_visit_stays_under_100_kb(live_workshop, facilitator):
    services.voting_open(live_workshop, facilitator)
    phone = Client()
    join = phone.get("/join/", {"code": live_workshop.join_code})
    ballot = phone.post("/join/", {"code": live_workshop.join_code, "sector": "school"}, follow=True)
    assert ballot.status_code == 200 and 'name="level"' in ballot.content.decode()
    pages = [join.content, ballot.content]
    assets = {name for page in pages for name in ASSET.findall(page.decode())}
    assert any(name.endswith(".css") for name in assets) and any(name.endswith(".js") for name in assets)
    files = sum(len(gzip.compress(Path(finders.find(name)).read_bytes(), 9)) for name in assets)
    total = sum(len(p) for p in pages) + files
    assert total < 100 * 1024, f"{total / 1024:.1f} KB: {sorted(assets)}"
    # Each file is one more request through the hall's Wi-Fi and, without a proxy serving
    # /static/, through gunicorn (bench/live_votes.py: 1,000 joins, BENCHMARKS.md).
    assert len(assets) <= 7, sorted(assets)
