"""The programme report page and its CSV, PDF and JSON downloads: who sees them, what they say."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from reports.data import programme_report_for
from workshops.models import Area

from .report_factories import make_areas, rated_workshop

pytestmark = pytest.mark.django_db

ROLES = [
    "facilitator",
    "other_facilitator",
    "lead",
    "other_lead",
    "admin",
    "anonymous",
    "programme_lead",
    "staff_not_lead",
    "lead_not_staff",
]
REPORT_OK = {"admin", "programme_lead"}
PAGES = [
    "/reports/programmes/{pk}/",
    "/reports/programmes/{pk}/report.csv",
    "/reports/programmes/{pk}/report.json",
    "/reports/programmes/{pk}/report.pdf",
]


@pytest.fixture
def report_users(users, django_user_model, programme):
    """The role matrix plus staff users with and without the programme-lead permission."""
    everyone = dict(users)
    everyone["programme_lead"] = django_user_model.objects.create_user(
        "proglead", password="pw", is_staff=True
    )
    everyone["staff_not_lead"] = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    everyone["lead_not_staff"] = users["lead"]
    programme.leads.add(everyone["programme_lead"], users["lead"])
    return everyone


@pytest.fixture
def rated(programme, framework, area, other_area, facilitator):
    """North Shire rated in both phases, Riverside only at baseline."""
    rated_workshop(area, programme, framework, 1, [1, 2, 1, 0, 1, 1, 0], facilitator=facilitator)
    rated_workshop(area, programme, framework, 2, [2, 2, 2, 1, 2, 1, 1], facilitator=facilitator)
    rated_workshop(other_area, programme, framework, 1, [0, 0, 0, 0, 0, 0, 0])
    return programme


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(page, role, report_users, rated, client_for):
    response = client_for(report_users[role]).get(page.format(pk=rated.pk))
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == (200 if role in REPORT_OK else 404), role


@pytest.mark.parametrize("role", ROLES)
def test_the_report_list_and_menu_show_only_reports_the_user_may_see(role, report_users, rated, client_for):
    response = client_for(report_users[role]).get("/reports/")
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == (200 if role in REPORT_OK else 404)
    home = client_for(report_users[role]).get("/").content.decode()
    assert ('href="/reports/"' in home) == (role in REPORT_OK)
    if role in REPORT_OK:
        assert f'href="/reports/programmes/{rated.pk}/"' in response.content.decode()


def test_a_programme_lead_sees_only_the_programmes_they_lead(report_users, rated, client_for):
    from workshops.models import Programme

    other = Programme.objects.create(name="Another programme")
    client = client_for(report_users["programme_lead"])
    assert client.get(f"/reports/programmes/{other.pk}/").status_code == 404
    assert "Another programme" not in client.get("/reports/").content.decode()
    assert "Another programme" in client_for(report_users["admin"]).get("/reports/").content.decode()


def test_the_page_shows_the_figures_and_the_left_out_areas(admin_user, rated, client_for):
    page = client_for(admin_user).get(f"/reports/programmes/{rated.pk}/").content.decode()
    assert "1 area with agreed ratings in both phase 1 and phase 2" in page
    assert "Riverside</strong>: no phase 2 workshop" in page
    assert "+5" in page  # North Shire 6 -> 11
    assert 'role="img"' in page and "<svg" in page  # the chart of domain means
    assert "Phase 1 total (of 21)" in page
    assert f'href="/areas/{Area.objects.get(code="NSH").pk}/"' in page  # admins may open the area


def test_the_tables_sort_by_any_column(admin_user, programme, framework, client_for):
    make_areas(programme, framework, 3)
    client = client_for(admin_user)
    ascending = client.get(f"/reports/programmes/{programme.pk}/?a-sort=change").content.decode()
    descending = client.get(f"/reports/programmes/{programme.pk}/?a-sort=-change").content.decode()
    report = programme_report_for(programme)
    names = [a["area"] for a in sorted(report["areas"], key=lambda a: (a["change"], a["area"]))]
    assert ascending.index(names[0]) < ascending.index(names[-1])
    assert descending.index(names[-1]) < descending.index(names[0])
    by_domain = client.get(f"/reports/programmes/{programme.pk}/?d-sort=-to_total&from_phase=1&to_phase=2")
    assert by_domain.status_code == 200
    assert "from_phase=1" in by_domain.content.decode()  # sort links keep the phases


def test_other_phases_can_be_compared_and_bad_phases_are_refused(admin_user, rated, client_for):
    client = client_for(admin_user)
    reverse = client.get(f"/reports/programmes/{rated.pk}/?from_phase=2&to_phase=1").content.decode()
    assert "both phase 2 and phase 1" in reverse and "-5" in reverse
    bad = client.get(f"/reports/programmes/{rated.pk}/?from_phase=1&to_phase=1")
    assert bad.status_code == 400 and "Choose a phase other than" in bad.content.decode()
    for query in ("?from_phase=x&to_phase=2", "?from_phase=0&to_phase=2", "?from_phase=2&to_phase=2"):
        response = client.get(f"/reports/programmes/{rated.pk}/report.csv{query}")
        assert response.status_code == 400 and b"Bad phases" in response.content


def test_the_csv_download(admin_user, rated, client_for):
    response = client_for(admin_user).get(f"/reports/programmes/{rated.pk}/report.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="test-programme-phase-1-to-2.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["programme", "Test programme"]
    assert ["North Shire", "NSH", "6", "11", "5"] in rows
    assert ["Riverside", "no phase 2 workshop"] in rows


def test_the_json_download_is_the_report(admin_user, rated, client_for):
    response = client_for(admin_user).get(
        f"/reports/programmes/{rated.pk}/report.json?from_phase=1&to_phase=2"
    )
    assert json.loads(response.content) == programme_report_for(rated, 1, 2)


def test_the_pdf_download(admin_user, rated, client_for):
    response = client_for(admin_user).get(f"/reports/programmes/{rated.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Test programme" in text
    assert "North Shire" in text and "no phase 2 workshop" in text
    assert "Page 1 of" in text  # the running footer of print.css


def test_the_report_takes_the_same_number_of_queries_for_5_and_100_areas(
    programme, framework, django_assert_num_queries
):
    make_areas(programme, framework, 5)
    with django_assert_num_queries(5):
        small = programme_report_for(programme)
    make_areas(programme, framework, 95, prefix="More")
    with django_assert_num_queries(5):
        large = programme_report_for(programme)
    assert (small["n_areas"], large["n_areas"]) == (5, 100)


def test_the_page_takes_the_same_number_of_queries_for_5_and_100_areas(
    admin_user, programme, framework, client_for
):
    client = client_for(admin_user)
    make_areas(programme, framework, 5)
    client.get(f"/reports/programmes/{programme.pk}/")  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/reports/programmes/{programme.pk}/").status_code == 200
    make_areas(programme, framework, 95, prefix="More")
    with CaptureQueriesContext(connection) as large:
        response = client.get(f"/reports/programmes/{programme.pk}/")
    assert "100 areas with agreed ratings" in response.content.decode()
    assert len(small) == len(large)
