"""`manage.py programme_report`: the same report as JSON or CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from reports.data import programme_report_for

from .report_factories import rated_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(programme, framework, area, other_area):
    rated_workshop(area, programme, framework, 1, [1, 2, 1, 0, 1, 1, 0])
    rated_workshop(area, programme, framework, 2, [2, 2, 2, 1, 2, 1, 1])
    rated_workshop(other_area, programme, framework, 2, [1] * 7)
    rated_workshop(other_area, programme, framework, 3, [3] * 7)
    return programme


def run(*args) -> str:
    out = io.StringIO()
    call_command("programme_report", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_json_report(rated):
    report = json.loads(run("Test programme"))
    assert report == programme_report_for(rated, 1, 2)
    assert report["n_areas"] == 1
    assert report["areas"] == [
        {"area": "North Shire", "code": "NSH", "from_total": 6, "to_total": 11, "change": 5}
    ]
    assert report["excluded_areas"] == [{"area": "Riverside", "reason": "no phase 1 workshop"}]


def test_it_compares_the_phases_asked_for(rated):
    report = json.loads(run("Test programme", "--from-phase", "2", "--to-phase", "3", "--format", "json"))
    assert (report["from_phase"], report["to_phase"]) == (2, 3)
    assert report["areas"] == [
        {"area": "Riverside", "code": "RVP", "from_total": 7, "to_total": 21, "change": 14}
    ]
    assert report["domains"][0]["to"]["distribution"] == [0, 0, 0, 1]


def test_it_prints_csv(rated):
    rows = list(csv.reader(io.StringIO(run("Test programme", "--format", "csv"))))
    assert rows[0] == ["programme", "Test programme"]
    assert ["North Shire", "NSH", "6", "11", "5"] in rows


def test_it_refuses_an_unknown_programme_or_equal_phases(rated):
    with pytest.raises(CommandError, match='No programme named "Nope"'):
        run("Nope")
    with pytest.raises(CommandError, match="two different"):
        run("Test programme", "--from-phase", "2", "--to-phase", "2")
