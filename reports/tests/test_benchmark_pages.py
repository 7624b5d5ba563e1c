"""The area against its programme on the results page and the area page: the privacy
threshold, the equality with the programme report (demo pilot), the role matrix, escaping,
several programmes, imported ratings and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratings.benchmark import competition_ranks, round2
from ratings.benchmark_data import workshop_benchmark
from reports.data import programme_report_for
from reports.demo import DEMO_PROGRAMME, seed_report_demo
from reports.importer import ratings_import
from workshops.models import Area, Programme, Workshop

from .report_factories import make_areas, rate, rated_workshop

pytestmark = pytest.mark.django_db

BASELINE = [1, 2, 1, 0, 1, 1, 0]  # North Shire's agreed levels, total 6
FOLLOW_UP = [2, 2, 2, 1, 2, 1, 1]  # total 11


def results(client, workshop) -> str:
    response = client.get(f"/workshops/{workshop.pk}/results/")
    assert response.status_code == 200
    return response.content.decode()


def area_page(client, area) -> str:
    response = client.get(f"/areas/{area.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def rated(workshop):
    return rate(workshop, BASELINE)


# --- The privacy threshold -------------------------------------------------------------------


def test_with_four_areas_it_says_so_instead_of_the_figures(
    lead, rated, area, programme, framework, client_for
):
    make_areas(programme, framework, 3, prefix="Peer")
    client = client_for(lead)
    for page in (results(client, rated), area_page(client, area)):
        assert "Compared with Test programme" in page
        assert "appear once at least 5 of its areas have every domain agreed" in text(page)
        assert "so far" not in text(page)  # issue 21: when one more completes is no lead's business
        assert "Areas at each level" not in page and "Programme mean" not in page
        assert " of 4" not in text(page)
        assert "benchmark-chart" not in page


def test_with_five_areas_it_shows_the_programme(lead, rated, area, programme, framework, client_for):
    make_areas(programme, framework, 4, prefix="Peer")
    page = results(client_for(lead), rated)
    assert "Areas at each level" in page
    assert "compared with the 5 areas complete by" in text(page)
    assert "of 5" in page
    assert 'aria-labelledby="benchmark-chart-title benchmark-chart-desc"' in page
    assert "North Shire against the mean of Test programme, phase 1" in page


def test_the_threshold_is_a_setting(lead, rated, programme, framework, client_for, settings):
    make_areas(programme, framework, 3, prefix="Peer")
    settings.BENCHMARK_MIN_AREAS = 4
    assert "Areas at each level" in results(client_for(lead), rated)


def test_a_workshop_outside_any_programme_has_no_comparison(lead, area, framework, client_for):
    lone = rated_workshop(area, None, framework, 1, BASELINE)
    assert "Compared with" not in results(client_for(lead), lone)


# --- The same figures as the programme report ------------------------------------------------


@pytest.fixture
def pilot(reference_data):
    seed_report_demo()
    return Programme.objects.get(name=DEMO_PROGRAMME)


def test_the_figures_equal_the_programme_report_on_the_demo_pilot(pilot):
    report = programme_report_for(pilot, 1, 2)
    assert report["n_areas"] == 18
    to_totals = [row["to_total"] for row in report["areas"]]
    follow_ups = Workshop.objects.filter(programme=pilot, phase=2).select_related(
        "area", "programme", "framework"
    )
    assert follow_ups.count() == 18
    for workshop in follow_ups:
        b = workshop_benchmark(workshop, current=True)  # what admins and programme leads see
        assert workshop.is_imported
        assert (b.n_areas, b.n_change_areas) == (18, 18)
        assert [d.distribution for d in b.domains] == [d["to"]["distribution"] for d in report["domains"]]
        assert [d.mean for d in b.domains] == [d["to"]["mean"] for d in report["domains"]]
        assert b.mean_change == report["mean_change"]
        assert b.mean_total == round2(sum(to_totals), 18)
        row = next(r for r in report["areas"] if r["code"] == workshop.area.code)
        assert (b.total, b.total_change) == (row["to_total"], row["change"])
        assert b.total_rank.place == competition_ranks(to_totals)[report["areas"].index(row)]
        assert b.total_rank.of == 18


def test_the_demo_baseline_compares_all_twenty_areas(pilot):
    baseline = Workshop.objects.filter(programme=pilot, phase=1).order_by("area__code").first()
    b = workshop_benchmark(baseline, current=True)
    assert b.n_areas == 20 and b.previous_phase is None
    assert b.total_rank.of == 20


def test_the_area_page_shows_the_pilots_figures(pilot, admin_user, client_for):
    report = programme_report_for(pilot, 1, 2)
    area = Area.objects.get(code="P01")
    page = text(area_page(client_for(admin_user), area))
    assert "Compared with Paper pilot 2019–2020" in page
    assert "Phase 2" in page and "beside the 18 areas" in page
    assert f"{report['mean_change']:.2f}" in page
    for domain in report["domains"]:
        assert f"{domain['to']['mean']:.2f}" in page


# --- Who sees what -------------------------------------------------------------------------------


@pytest.fixture
def two_areas(rated, area, other_area, programme, framework, other_workshop):
    """North Shire (lead) and Riverside (other_lead) among five peers."""
    other_area.name = "Zebra Vale"
    other_area.save()
    rate(other_workshop, [3, 3, 3, 3, 3, 3, 3])
    make_areas(programme, framework, 4, prefix="Peer")
    return other_workshop


ROLES = ["facilitator", "other_facilitator", "lead", "other_lead", "admin", "anonymous"]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, users, rated, area, two_areas, client_for):
    client = client_for(users[role])
    pages = [f"/workshops/{rated.pk}/results/", f"/areas/{area.pk}/"]
    for url in pages:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/login/" in response["Location"]
            continue
        if role in {"facilitator", "lead", "admin"}:
            assert response.status_code == 200, url
            page = response.content.decode()
            assert "Areas at each level" in page
            assert "Zebra Vale" not in page and "Peer 0" not in page
        else:
            assert response.status_code == 404, url
            assert "North Shire" not in response.content.decode()


def test_a_lead_of_area_a_sees_nothing_of_area_b(lead, rated, area, two_areas, client_for):
    client = client_for(lead)
    assert client.get(f"/workshops/{two_areas.pk}/results/").status_code == 404
    assert client.get(f"/areas/{two_areas.area.pk}/").status_code == 404
    for page in (results(client, rated), area_page(client, area)):
        assert "Zebra Vale" not in page and "RVP" not in page
        assert "Peer" not in page
        # Zebra Vale alone sits at level 3 everywhere: only the count says so, never the name.
        assert "joint 1st of 6" not in page  # North Shire is never first


def test_it_escapes_names(lead, facilitator, area, programme, framework, client_for):
    programme.name = '<script>alert("p")</script>'
    programme.save()
    area.name = "<b>Bold & Co</b>"
    area.save()
    workshop = rated_workshop(area, programme, framework, 1, BASELINE, facilitator=facilitator)
    make_areas(programme, framework, 4, prefix="Peer")
    for page in (results(client_for(lead), workshop), area_page(client_for(lead), area)):
        assert "<script>alert" not in page and "<b>Bold" not in page
        assert "Compared with &lt;script&gt;alert(&quot;p&quot;)&lt;/script&gt;" in page
        assert "&lt;b&gt;Bold &amp; Co&lt;/b&gt; against the mean of &lt;script&gt;" in page


# --- Imported ratings, several programmes ----------------------------------------------------------


def test_imported_paper_ratings_count_like_any_others(lead, rated, framework, programme, client_for):
    codes = list(framework.domains.order_by("position").values_list("code", flat=True))
    rows = [",".join(["area", "code", "phase", "date", *codes])]
    rows += [f"Paper {i},PAP{i},1,2019-03-0{i + 1}," + ",".join(["2"] * 7) for i in range(4)]
    ratings_import(("\n".join(rows) + "\n").encode(), programme.name, framework)
    assert Workshop.objects.filter(programme=programme, is_imported=True).count() == 4
    page = text(results(client_for(lead), rated))
    assert "compared with the 5 areas" in page
    assert "5th of 5" in page  # North Shire's total 6 against four imported 14s


def test_an_area_in_two_programmes_is_compared_within_the_workshops_programme(
    lead, rated, area, programme, framework, client_for
):
    make_areas(programme, framework, 4, prefix="Peer")
    second = Programme.objects.create(name="Second wave")
    other = rated_workshop(area, second, framework, 1, [3] * 7, date=dt.date(2028, 1, 1))
    make_areas(second, framework, 2, prefix="Wave")
    client = client_for(lead)
    first_page = text(results(client, rated))
    assert "Compared with Test programme" in first_page and "compared with the 5 areas" in first_page
    second_page = text(results(client, other))
    assert "Compared with Second wave" in second_page and "appear once at least 5" in second_page
    both = text(area_page(client, area))
    assert "Compared with Second wave" in both and "Compared with Test programme" in both


def test_a_follow_up_shows_the_change_beside_the_programmes(
    lead, rated, follow_up, programme, framework, client_for
):
    rate(follow_up, FOLLOW_UP)
    make_areas(programme, framework, 4, prefix="Peer")  # improve by 0..3 levels
    page = text(results(client_for(lead), follow_up))
    assert "Change here" in page and "Mean change" in page
    report = programme_report_for(programme, 1, 2)
    assert f"{report['mean_change']:.2f}" in page
    assert "+5" in page  # North Shire: 6 -> 11


# --- Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/workshops/{pk}/results/", "/areas/{area}/"])
def test_pages_take_the_same_queries_for_5_and_100_areas(
    url, lead, rated, follow_up, area, programme, framework, client_for
):
    rate(follow_up, FOLLOW_UP)
    client = client_for(lead)
    url = url.format(pk=follow_up.pk, area=area.pk)
    make_areas(programme, framework, 4, prefix="Few")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        page = client.get(url).content.decode()
    assert "of 5" in page
    make_areas(programme, framework, 95, prefix="Many")
    client.get(url)  # takes the new release (test_benchmark_release: bounded too)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert "of 100" in page
    assert len(small) == len(large)


def test_the_benchmark_loads_in_a_fixed_number_of_queries(
    rated, follow_up, programme, framework, django_assert_num_queries
):
    rate(follow_up, FOLLOW_UP)
    workshop = Workshop.objects.select_related("programme", "area", "framework").get(pk=follow_up.pk)
    previous = workshop.previous_workshop()
    make_areas(programme, framework, 4, prefix="Few")
    with django_assert_num_queries(4):
        assert workshop_benchmark(workshop, previous, current=True).n_areas == 5
    workshop_benchmark(workshop, previous)  # takes the first releases
    with django_assert_num_queries(5):  # and the latest releases
        assert workshop_benchmark(workshop, previous).n_areas == 5
    make_areas(programme, framework, 95, prefix="Many")
    with django_assert_num_queries(4):
        assert workshop_benchmark(workshop, previous, current=True).n_areas == 100
    workshop_benchmark(workshop, previous)
    with django_assert_num_queries(5):
        assert workshop_benchmark(workshop, previous).n_areas == 100


def test_a_release_taken_with_every_area_complete_shows_the_reports_levels(pilot):
    """What a lead sees: the first release of the pilot's phase 2 holds all 18 areas."""
    report = programme_report_for(pilot, 1, 2)
    workshop = Workshop.objects.filter(programme=pilot, phase=2).select_related("area", "programme").first()
    b = workshop_benchmark(workshop)
    assert b.released and (b.n_areas, b.n_change_areas) == (18, 20)  # phase 1's release: 20
    assert [d.distribution for d in b.domains] == [d["to"]["distribution"] for d in report["domains"]]
    assert [d.mean for d in b.domains] == [d["to"]["mean"] for d in report["domains"]]
