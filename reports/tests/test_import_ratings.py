"""Importing and exporting agreed ratings: commands, the upload page, idempotence, the round trip."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from ratings.models import Consensus, ConsensusChange
from reports.data import programme_report_for
from reports.exporter import ratings_export
from reports.importer import ratings_import
from reports.parsing import RatingsImportError
from workshops.models import Area, Programme, Workshop

from .report_factories import make_areas, rate, rated_workshop

pytestmark = pytest.mark.django_db

GOOD = (
    "area,code,phase,date,C1,A1,S,C2,A2,D,E\n"
    "North Shire,NSH,1,2019-03-14,1,2,1,0,1,1,0\n"
    "North Shire,NSH,2,2020-03-12,2,2,2,1,2,1,1\n"
    "Ynys Môn,YM,1,2019-04-01,0,0,1,0,0,1,0\n"
    "Ynys Môn,YM,2,2020-04-02,1,1,1,1,1,1,1\n"
    "Fenland,,1,2019-05-01,3,3,3,3,3,3,3\n"
)


def snapshot() -> dict:
    """Everything an import may write, to prove a second import writes nothing."""
    return {
        "programmes": list(Programme.objects.order_by("pk").values()),
        "areas": list(Area.objects.order_by("pk").values()),
        "workshops": list(Workshop.objects.order_by("pk").values()),
        "consensus": list(Consensus.objects.order_by("pk").values()),
        "changes": list(ConsensusChange.objects.order_by("pk").values()),
    }


def write(tmp_path, text: str, name: str = "ratings.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_import(path: str, programme: str = "Paper programme", **options) -> str:
    out = io.StringIO()
    call_command("import_ratings", path, programme=programme, stdout=out, **options)
    return out.getvalue()


def test_it_imports_closed_workshops_with_agreed_ratings(tmp_path, area, framework):
    out = run_import(write(tmp_path, GOOD))
    assert "5 workshop(s) created, 0 updated, 0 unchanged; 2 new area(s); new programme" in out
    programme = Programme.objects.get(name="Paper programme")
    workshops = Workshop.objects.filter(programme=programme)
    assert workshops.count() == 5
    for w in workshops:
        assert w.status == Workshop.Status.CLOSED and w.is_imported and w.closed_at is not None
        assert not w.facilitators.exists() and not w.rounds.exists() and w.framework == framework
        assert Consensus.objects.filter(workshop=w, round=None).count() == 7
    north = workshops.get(area=area, phase=2)  # matched to the existing area by code
    assert north.date == dt.date(2020, 3, 12)
    assert {c.domain.code: c.level for c in north.consensuses.select_related("domain")}["E"] == 1
    assert Area.objects.get(code="YM").name == "Ynys Môn"
    assert Area.objects.get(name="Fenland").code == "FENLAND"
    report = programme_report_for(programme)
    assert report["n_areas"] == 2
    assert report["excluded_areas"] == [{"area": "Fenland", "reason": "no phase 2 workshop"}]


def test_importing_the_same_file_twice_changes_nothing(tmp_path, framework):
    path = write(tmp_path, GOOD)
    run_import(path)
    before = snapshot()
    out = run_import(path)
    assert "0 workshop(s) created, 0 updated, 5 unchanged; 0 new area(s)" in out
    assert snapshot() == before


def test_a_row_without_a_date_is_dated_the_day_of_the_import_and_keeps_that_date(tmp_path, framework):
    path = write(tmp_path, "area,phase,C1,A1,S,C2,A2,D,E\nFenland,1,1,1,1,1,1,1,1\n")
    run_import(path)
    assert Workshop.objects.get().date == timezone.localdate()
    before = snapshot()
    run_import(path)
    assert snapshot() == before


def test_a_corrected_file_updates_the_imported_workshop(tmp_path, framework):
    run_import(write(tmp_path, GOOD))
    corrected = GOOD.replace(
        "North Shire,NSH,2,2020-03-12,2,2,2,1,2,1,1", "North Shire,NSH,2,2020-03-13,2,2,2,1,2,1,3"
    )
    out = run_import(write(tmp_path, corrected, "corrected.csv"))
    assert "0 workshop(s) created, 1 updated, 4 unchanged" in out
    w = Workshop.objects.get(area__code="NSH", phase=2)
    assert w.date == dt.date(2020, 3, 13)
    assert w.consensuses.get(domain__code="E").level == 3
    change = ConsensusChange.objects.filter(workshop=w, domain__code="E").order_by("-pk").first()
    assert (change.old_level, change.new_level) == (1, 3)


def test_a_bad_file_writes_nothing_and_lists_every_problem(tmp_path, framework, capsys):
    bad = GOOD + "Riverside,,3,2019-13-01,1,1,9,1,1,1,1\nNorth Shire,NSH,1,,1,1,1,1,1,1,1\n"
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 problem"):
        call_command("import_ratings", write(tmp_path, bad), programme="Paper programme", stderr=err)
    assert err.getvalue().splitlines() == [
        'line 7: column date: bad date "2019-13-01" (use YYYY-MM-DD)',
        "line 7: column S: level 9 out of range (0 to 3)",
        "line 8: column phase: duplicate area and phase: NSH phase 1 is already on line 2",
    ]
    assert snapshot() == before


def test_it_never_changes_a_workshop_run_in_the_app(tmp_path, area, programme, framework, workshop):
    rate(workshop, [0, 0, 0, 0, 0, 0, 0])
    text = "area,phase,C1,A1,S,C2,A2,D,E\nNSH,1,1,0,0,0,0,0,0\nNSH,2,1,1,1,1,1,1,1\n"
    before = snapshot()
    with pytest.raises(RatingsImportError) as exc:
        ratings_import(text.encode(), programme.name, framework)
    assert exc.value.errors == [
        "line 2: column -: North Shire phase 1 was run in the app and agreed different levels "
        "(C1 0 in the app, 1 in the file); an import never changes it"
    ]
    assert snapshot() == before
    # The same levels as the room agreed: nothing to do, and the follow-up comes in.
    summary = ratings_import(text.replace("NSH,1,1,", "NSH,1,0,").encode(), programme.name, framework)
    assert (summary.workshops_created, summary.workshops_unchanged) == (1, 1)
    assert not Workshop.objects.get(pk=workshop.pk).is_imported


def test_the_command_refuses_an_unknown_framework_or_file(tmp_path, framework):
    with pytest.raises(CommandError, match='No framework named "Nope"'):
        run_import(write(tmp_path, GOOD), framework="Nope")
    with pytest.raises(CommandError, match="No such file"):
        run_import(str(tmp_path / "missing.csv"))
    assert run_import(write(tmp_path, GOOD), framework=framework.name)


def test_export_then_import_into_an_empty_database_gives_the_same_report(
    tmp_path, programme, framework, facilitator
):
    areas = make_areas(programme, framework, 6)
    Area.objects.filter(pk=areas[0].pk).update(name='Ynys Môn, "Anglesey"')
    lonely = Area.objects.create(code="LON", name="Lonely")
    rated_workshop(lonely, programme, framework, 1, [2] * 7, facilitator=facilitator)
    partial = Workshop.objects.create(
        area=areas[1],
        programme=programme,
        framework=framework,
        phase=3,
        title="Unfinished",
        date="2027-01-01",
    )
    rate(partial, {"C1": 1})
    reports = {phases: programme_report_for(programme, *phases) for phases in [(1, 2), (2, 1)]}

    path = tmp_path / "export.csv"
    err = io.StringIO()
    call_command("export_ratings", programme=programme.name, output=str(path), stderr=err)
    assert "left out: Unfinished: 1 of 7 domains agreed" in err.getvalue()
    assert "Wrote 13 row(s)" in err.getvalue()

    Workshop.objects.all().delete()
    Area.objects.all().delete()
    Programme.objects.all().delete()

    run_import(str(path), programme="Test programme")
    programme = Programme.objects.get()
    for phases, report in reports.items():
        assert programme_report_for(programme, *phases) == report
    assert Area.objects.get(code="LON").name == "Lonely"


def test_export_writes_the_import_format(programme, framework, area):
    rated_workshop(area, programme, framework, 1, [1, 2, 1, 0, 1, 1, 0], date=dt.date(2026, 1, 2))
    export = ratings_export(programme)
    assert (
        export.text == "area,code,phase,date,C1,A1,S,C2,A2,D,E\nNorth Shire,NSH,1,2026-01-02,1,2,1,0,1,1,0\n"
    )
    out = io.StringIO()
    call_command("export_ratings", programme=programme.name, stdout=out)
    assert out.getvalue() == export.text


def test_export_never_starts_a_formula_and_the_import_reads_it_back(tmp_path, programme, framework):
    evil = Area.objects.create(code="+EV", name='=HYPERLINK("http://x","y")')
    rated_workshop(evil, programme, framework, 1, [1] * 7, date=dt.date(2026, 1, 2))
    export = ratings_export(programme)
    assert (
        export.text.splitlines()[1] == '"\'=HYPERLINK(""http://x"",""y"")",\'+EV,1,2026-01-02,1,1,1,1,1,1,1'
    )
    Workshop.objects.all().delete()
    Area.objects.all().delete()
    run_import(write(tmp_path, export.text), programme="Again")
    assert Area.objects.get().name == '=HYPERLINK("http://x","y")'
    assert Area.objects.get().code == "+EV"


def test_export_refuses_an_unknown_programme():
    with pytest.raises(CommandError, match="No programme"):
        call_command("export_ratings", programme="Nope")


# --- The upload page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,status",
    [
        ("facilitator", 404),
        ("other_facilitator", 404),
        ("lead", 404),
        ("other_lead", 404),
        ("admin", 200),
        ("anonymous", 302),
    ],
)
def test_only_admins_may_import_or_export(role, status, users, programme, framework, client_for):
    client = client_for(users[role])
    assert client.get("/reports/import/").status_code == status
    assert client.get(f"/reports/programmes/{programme.pk}/ratings.csv").status_code == status
    posted = client.post(
        "/reports/import/",
        {"new_programme": "X", "framework": framework.pk, "file": SimpleUploadedFile("r.csv", GOOD.encode())},
    )
    assert posted.status_code == (302 if role in ("admin", "anonymous") else 404)
    assert Programme.objects.filter(name="X").exists() == (role == "admin")


def test_the_upload_page_imports_a_file(admin_user, framework, client_for):
    client = client_for(admin_user)
    page = client.get("/reports/import/").content.decode()
    assert "area,phase,date,C1,A1,S,C2,A2,D,E" in page
    response = client.post(
        "/reports/import/",
        {
            "new_programme": "Paper programme",
            "framework": framework.pk,
            "file": SimpleUploadedFile("r.csv", GOOD.encode()),
        },
        follow=True,
    )
    programme = Programme.objects.get(name="Paper programme")
    assert response.redirect_chain[-1][0] == f"/reports/programmes/{programme.pk}/"
    assert "5 workshop(s) created" in response.content.decode()
    assert Workshop.objects.filter(programme=programme, is_imported=True).count() == 5


def test_the_upload_page_shows_every_problem_and_writes_nothing(admin_user, framework, client_for):
    before = snapshot()
    response = client_for(admin_user).post(
        "/reports/import/",
        {
            "new_programme": "Paper programme",
            "framework": framework.pk,
            "file": SimpleUploadedFile("r.csv", b"area,phase,C1,Colour\nX,1,5,red\n"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported: 8 problems to fix" in page
    assert "line 1: column Colour: unknown column" in page
    assert "line 1: column A1: missing domain column" in page
    assert "line 2: column C1: level 5 out of range (0 to 3)" in page
    assert snapshot() == before


def test_the_upload_page_needs_a_file_and_a_programme(admin_user, framework, client_for):
    response = client_for(admin_user).post("/reports/import/", {"framework": framework.pk})
    assert response.status_code == 400
    content = response.content.decode()
    assert content.count("This field is required.") == 1  # the file
    assert "Choose an existing programme or type a new programme" in content


def test_it_refuses_a_framework_that_is_not_complete(reference_data):
    from workshops.models import Framework

    empty = Framework.objects.create(name="Unfinished framework", source="-")
    with pytest.raises(RatingsImportError) as exc:
        ratings_import(GOOD.encode(), "Paper programme", empty)
    assert (
        exc.value.errors[0]
        == "line -: column -: the framework is not complete: A framework needs at least one level."
    )
    assert not Programme.objects.filter(name="Paper programme").exists()
