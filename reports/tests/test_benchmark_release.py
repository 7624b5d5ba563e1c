"""Issue 21, High: a CCG lead must not read another area's levels off the benchmark.

The attack: note the figures, let one more area complete, reload, subtract. Replayed here on
every page a lead can reach (results page, area page, plan preview, action-plan PDF) with 5 -> 6,
5 -> 9 and 9 -> 10 complete areas: the figures must not move until a release step, and at a step
(5 -> 10) they must not tell the new areas apart.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from workshops.models import Area, Programme, Workshop

from .report_factories import make_areas, rate

pytestmark = pytest.mark.django_db

BASELINE = [1, 2, 1, 0, 1, 1, 0]
FOLLOW_UP = [2, 2, 2, 1, 2, 1, 1]
# Five new areas, each different, so that knowing which one said what would matter.
NEW_LEVELS = [[0] * 7, [1] * 7, [2] * 7, [3] * 7, [0, 1, 2, 3, 0, 1, 2]]


def _sections(html: str) -> list[str]:
    found = re.findall(r'<section class="benchmark".*?</section>', html, flags=re.S)
    return [re.sub(r'nonce="[^"]*"', "", s) for s in found]


def _pdf_benchmark(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    start = text.index("Compared with")
    return text[start : text.index("How the room rated", start)]


def seen(client, workshops: list[Workshop], area: Area, *, pdf: bool = True) -> dict[str, object]:
    """Every benchmark the viewer can reach, raw (the chart's bars are in attributes)."""
    views: dict[str, object] = {}
    for w in workshops:
        for name, url in [
            ("results", f"/workshops/{w.pk}/results/"),
            ("preview", f"/workshops/{w.pk}/plan/preview/"),
        ]:
            response = client.get(url)
            assert response.status_code == 200, url
            views[f"{name} {w.phase}"] = _sections(response.content.decode())
        if pdf:
            response = client.get(f"/workshops/{w.pk}/plan.pdf")
            assert response.status_code == 200
            views[f"pdf {w.phase}"] = _pdf_benchmark(response.content)
    response = client.get(f"/areas/{area.pk}/")
    assert response.status_code == 200
    views["area"] = _sections(response.content.decode())
    return views


def new_areas(programme, framework, levels_list, prefix="New") -> None:
    for i, levels in enumerate(levels_list):
        a = Area.objects.create(code=f"{prefix[:3].upper()}{programme.pk}-{i}", name=f"{prefix} {i}")
        for phase, lv in ((1, levels), (2, [min(3, x + 1) for x in levels])):
            w = Workshop.objects.create(
                area=a, programme=programme, framework=framework, phase=phase,
                title=f"{a.name} {phase}", date=dt.date(2025 + phase, 3, 1), status=Workshop.Status.CLOSED,
            )  # fmt: skip
            rate(w, lv)


@pytest.fixture
def own(workshop, follow_up):
    rate(workshop, BASELINE)
    rate(follow_up, FOLLOW_UP)
    return [workshop, follow_up]


@pytest.mark.parametrize("viewer", ["lead", "facilitator"])
def test_a_sixth_area_completing_changes_nothing_a_lead_or_facilitator_sees(
    viewer, users, own, area, programme, framework, client_for
):
    make_areas(programme, framework, 4, prefix="Old")
    client = client_for(users[viewer])
    before = seen(client, own, area)
    assert "Areas at each level" in before["results 1"][0]
    make_areas(programme, framework, 1, prefix="Sixth")
    assert seen(client, own, area) == before


def test_four_more_areas_change_nothing(lead, own, area, programme, framework, client_for):
    make_areas(programme, framework, 4, prefix="Old")
    client = client_for(lead)
    before = seen(client, own, area)
    for i in range(4):  # one at a time, the lead reloading after each
        new_areas(programme, framework, [NEW_LEVELS[i]], prefix=f"N{i}x")
        assert seen(client, own, area, pdf=False) == {k: v for k, v in before.items() if "pdf" not in k}
    assert seen(client, own, area) == before


def test_a_tenth_area_after_a_release_of_nine_changes_nothing(
    lead, own, area, programme, framework, client_for
):
    make_areas(programme, framework, 8, prefix="Old")
    client = client_for(lead)
    before = seen(client, own, area)
    assert "compared with the 9 areas" in " ".join(before["results 1"])
    make_areas(programme, framework, 1, prefix="Tenth")
    assert seen(client, own, area) == before


def _normalised(views: dict, names: dict[str, str]) -> dict:
    out = {}
    for key, value in views.items():
        text = " ".join(value) if isinstance(value, list) else value
        for name, placeholder in names.items():
            text = text.replace(name, placeholder)
        out[key] = re.sub(r"benchmark-\d+", "benchmark-N", text)
    return out


def test_at_a_step_of_five_the_new_areas_cannot_be_told_apart(
    lead, other_lead, own, area, other_area, programme, framework, client_for
):
    """Two programmes alike but for which new area said what: the leads see the same figures."""
    twin = Programme.objects.create(name="Twin programme")
    twins = []
    for w, levels in zip(own, (BASELINE, FOLLOW_UP), strict=True):
        copy = Workshop.objects.create(
            area=other_area, programme=twin, framework=framework, phase=w.phase, title=w.title, date=w.date
        )
        twins.append(rate(copy, levels))
    make_areas(programme, framework, 4, prefix="Old")
    make_areas(twin, framework, 4, prefix="Twin")
    lead_client, twin_client = client_for(lead), client_for(other_lead)
    names = {"Test programme": "P", "Twin programme": "P", "North Shire": "A", "Riverside": "A"}
    before = _normalised(seen(lead_client, own, area, pdf=False), names)
    assert before == _normalised(seen(twin_client, twins, other_area, pdf=False), names)

    new_areas(programme, framework, NEW_LEVELS)
    new_areas(twin, framework, NEW_LEVELS[1:] + NEW_LEVELS[:1])  # the same levels, other areas
    after = _normalised(seen(lead_client, own, area), names)
    assert after == _normalised(seen(twin_client, twins, other_area), names)
    assert after != before  # a release: the figures moved, by five areas at once
    today = timezone.localdate()
    assert f"compared with the 10 areas complete by {today:%-d %B %Y}" in after["results 1"]
    from ratings.models import BenchmarkRelease

    releases = BenchmarkRelease.objects.filter(programme=programme).order_by("phase", "number")
    assert [(r.phase, r.number, len(r.levels)) for r in releases] == [
        (1, 1, 5),
        (1, 2, 10),
        (2, 1, 5),
        (2, 2, 10),
    ]


def test_below_the_first_release_no_count_is_shown(lead, own, area, programme, framework, client_for):
    make_areas(programme, framework, 3, prefix="Peer")
    views = seen(client_for(lead), own, area)
    for key, value in views.items():
        text = " ".join(value) if isinstance(value, list) else value
        assert "appear once at least 5" in text, key
        assert "so far" not in text and " 4 " not in re.sub(r"<[^>]+>", " ", text), key


def test_admins_and_programme_leads_see_the_current_figures(
    admin_user, django_user_model, own, area, programme, framework, client_for
):
    boss = django_user_model.objects.create_user("boss", is_staff=True)  # leads the programme, and
    programme.leads.add(boss)
    own[0].facilitators.add(boss)  # facilitates the workshop, so may open its results page
    make_areas(programme, framework, 4, prefix="Old")
    for user in (admin_user, boss):
        page = client_for(user).get(f"/workshops/{own[0].pk}/results/").content.decode()
        assert "beside the 5 areas" in page
    make_areas(programme, framework, 1, prefix="Sixth")
    for user in (admin_user, boss):
        page = client_for(user).get(f"/workshops/{own[0].pk}/results/").content.decode()
        assert "beside the 6 areas" in page and "current figures" in page


def test_taking_a_release_takes_the_same_queries_for_5_and_100_areas(own, programme, framework):
    from ratings.benchmark_data import workshop_benchmark

    follow_up = Workshop.objects.select_related("programme", "area", "framework").get(pk=own[1].pk)
    previous = follow_up.previous_workshop()
    make_areas(programme, framework, 4, prefix="Few")
    with CaptureQueriesContext(connection) as small:
        assert workshop_benchmark(follow_up, previous).n_areas == 5  # two releases taken
    make_areas(programme, framework, 95, prefix="Many")
    with CaptureQueriesContext(connection) as large:
        assert workshop_benchmark(follow_up, previous).n_areas == 100
    assert len(small) == len(large)


def test_two_requests_taking_the_same_release_store_one(own, programme, framework, monkeypatch):
    """The other request wins between our read and our write: we show its release."""
    from ratings import benchmark_data
    from ratings.models import BenchmarkRelease

    make_areas(programme, framework, 4, prefix="Old")
    real = benchmark_data.next_release

    def raced(complete, released, min_areas):
        levels = real(complete, released, min_areas)
        if levels is not None and not released:
            BenchmarkRelease.objects.create(
                programme=programme, framework=framework, phase=1, number=1, levels={"999": {}}
            )
        return levels

    monkeypatch.setattr(benchmark_data, "next_release", raced)
    b = benchmark_data.workshop_benchmark(own[0])
    assert BenchmarkRelease.objects.filter(programme=programme, phase=1).count() == 1
    assert b.n_areas == 0  # the winner's (here unusable) release, not a second one


def test_a_release_is_append_only_and_numbered_once(own, programme, framework):
    from django.db import IntegrityError, transaction

    from ratings.models import BenchmarkRelease
    from workshops.append_only import AppendOnlyError

    release = BenchmarkRelease.objects.create(
        programme=programme, framework=framework, phase=1, number=1, levels={}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        BenchmarkRelease.objects.create(
            programme=programme, framework=framework, phase=1, number=1, levels={}
        )
    with pytest.raises(AppendOnlyError):
        release.save()
    with pytest.raises(AppendOnlyError):
        BenchmarkRelease.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_leads_reading_at_once_take_one_release(own, lead, area, programme, framework, client_for):
    """Real threads, each with its own connection (PostgreSQL only; SQLite serialises writes)."""
    from django.db import connection as default

    from ratings.models import BenchmarkRelease
    from ratings.tests.test_concurrency import _run_together

    if default.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL (set DATABASE_URL)")
    make_areas(programme, framework, 4, prefix="Old")
    url = f"/workshops/{own[1].pk}/results/"
    pages = _run_together([lambda: client_for(lead).get(url) for _ in range(8)])
    assert all(getattr(p, "status_code", p) == 200 for p in pages), pages
    assert sorted(BenchmarkRelease.objects.values_list("phase", "number")) == [(1, 1), (2, 1)]
    assert len({"".join(_sections(p.content.decode())) for p in pages}) == 1


def _same_areas_in(programme2, framework, areas_levels) -> None:
    """Rate these areas' phase 1 again in a second programme (the same paper ratings imported
    into both, say)."""
    for a, levels in areas_levels:
        w = Workshop.objects.create(
            area=a, programme=programme2, framework=framework, phase=1, title=f"{a.name} again",
            date=dt.date(2026, 3, 1), status=Workshop.Status.CLOSED,
        )  # fmt: skip
        rate(w, levels)


def _means(section: str) -> list[str]:
    return re.findall(r'<td class="num">(\d\.\d\d)</td>', section)


def test_an_area_in_two_programmes_cannot_be_differenced_across_them(
    lead, workshop, area, programme, framework, client_for
):
    """Programme Q holds five areas, programme R the same five and one more: R's sums minus Q's
    would be the sixth area's levels. R gets no figures until it differs from Q by a whole step."""
    rate(workshop, BASELINE)
    others = make_areas(programme, framework, 4, prefix="Old")
    client = client_for(lead)
    q_page = client.get(f"/workshops/{workshop.pk}/results/").content.decode()
    assert "compared with the 5 areas" in q_page
    second = Programme.objects.create(name="Second programme")
    old_levels = [[(i + k) % 3 for k in range(7)] for i in range(4)]
    _same_areas_in(second, framework, [(area, BASELINE), *zip(others, old_levels, strict=True)])
    sixth = Area.objects.create(code="SIX", name="Sixth")
    _same_areas_in(second, framework, [(sixth, NEW_LEVELS[4])])
    r_workshop = Workshop.objects.get(area=area, programme=second)
    r_page = client.get(f"/workshops/{r_workshop.pk}/results/").content.decode()
    area_page = client.get(f"/areas/{area.pk}/").content.decode()
    for page in (r_page, area_page):
        for section in _sections(page):
            if "Compared with Second programme" in section:
                assert not _means(section), "the second programme's figures single out the sixth area"
    make_areas(second, framework, 4, prefix="Mor")  # five new areas in R, unknown to Q: a step
    r_page = client.get(f"/workshops/{r_workshop.pk}/results/").content.decode()
    assert "compared with the 10 areas" in r_page
