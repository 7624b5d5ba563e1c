"""Imports never crash (issue 9, section 5): every length limit of what an import writes is a
`line N: column X: reason`, huge files are refused whole, non-ASCII digits are refused, and the
programme is chosen explicitly (no silent look-alike programmes)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from ratings.models import Consensus
from reports.area_matching import KnownArea, resolve_areas
from reports.importer import ratings_import
from reports.parsing import MAX_ROWS, RatingsImportError, parse_ratings_csv
from reports.programmes import normalise_programme_name
from workshops.models import Area, Programme, Workshop

CODES = ["C1", "A1", "S", "C2", "A2", "D", "E"]
HEADER = "area,code,phase,date,C1,A1,S,C2,A2,D,E\n"
LEVELS = ",1,1,1,1,1,1,1"


def parse(text: str):
    return parse_ratings_csv(text.encode("utf-8"), CODES, 4)


# --- lengths ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [181, 190, 200])
def test_an_area_name_too_long_for_the_workshop_title_is_a_line_error(length):
    result = parse(HEADER + "A" * length + ",,1," + LEVELS + "\n")
    assert not result.rows
    assert result.errors == [
        f"line 2: column area: the workshop title “{'A' * 20}…: phase 1 (imported)” would be longer than "
        f"200 characters; shorten the area name to at most {200 - len(': phase 1 (imported)')} characters"
    ]


def test_the_longest_area_name_that_fits_imports(db, framework):
    name = "A" * (200 - len(": phase 1 (imported)"))
    ratings_import((HEADER + name + ",,1," + LEVELS + "\n").encode(), "P", framework)
    assert len(Workshop.objects.get().title) == 200


def test_an_existing_area_matched_by_code_is_checked_too():
    long_name = "B" * 195
    rows = parse(HEADER + "," + "LNG" + ",1," + LEVELS + "\n").rows
    refs, errors = resolve_areas(rows, [KnownArea(1, "LNG", long_name)])
    assert not refs
    assert errors and errors[0].startswith("line 2: column code: the workshop title")


@pytest.mark.django_db
def test_a_long_area_name_no_longer_crashes_the_upload(client_for, admin_user, framework):
    upload = SimpleUploadedFile("r.csv", (HEADER + "Z" * 190 + ",,1," + LEVELS + "\n").encode())
    response = client_for(admin_user).post(
        "/reports/import/", {"new_programme": "Paper", "framework": framework.pk, "file": upload}
    )
    assert response.status_code == 400
    assert "line 2: column area: the workshop title" in response.content.decode()
    assert not Workshop.objects.exists() and not Programme.objects.exists()


# --- digits -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("column,index", [("C1", 0), ("E", 6)])
def test_a_level_in_non_ascii_digits_is_refused(column, index):
    levels = ["1"] * 7
    levels[index] = "١"
    result = parse(HEADER + "North,,1,," + ",".join(levels) + "\n")
    assert not result.rows
    assert result.errors == [f'line 2: column {column}: "١" is not a level (0 to 3)']


def test_a_phase_in_non_ascii_digits_is_refused():
    result = parse(HEADER + "North,,١,," + LEVELS[1:] + "\n")
    assert result.errors == ['line 2: column phase: "١" is not a phase (a whole number, 1 for the baseline)']


# --- size -------------------------------------------------------------------------------------------


def _rows(n: int) -> str:
    return HEADER + "".join(f"Area {i},,1,2019-01-01{LEVELS}\n" for i in range(n))


def test_a_file_over_the_row_limit_is_refused_whole_with_a_clear_message():
    result = parse(_rows(MAX_ROWS + 5))
    assert result.rows == []
    assert result.errors == [
        f"line {MAX_ROWS + 2}: column -: the file has more than {MAX_ROWS:,} ratings rows; "
        "split it into files of at most that many"
    ]


@pytest.mark.django_db
def test_a_100000_row_file_writes_nothing(framework):
    with pytest.raises(RatingsImportError) as caught:
        ratings_import(_rows(100_000).encode(), "Huge", framework)
    assert "more than" in caught.value.errors[0]
    assert not Programme.objects.exists() and not Area.objects.exists() and not Consensus.objects.exists()


# --- the programme: chosen, or explicitly new -------------------------------------------------------


def test_programme_names_normalise_dashes_case_and_spaces():
    assert normalise_programme_name("Paper pilot 2019–2020") == normalise_programme_name(
        " paper  PILOT 2019-2020 "
    )
    assert normalise_programme_name("Pilot A") != normalise_programme_name("Pilot B")


@pytest.fixture
def pilot(db):
    return Programme.objects.create(name="Paper pilot 2019–2020")


GOOD = HEADER + "North Shire,NSH,1,2019-03-14" + LEVELS + "\n"


def _upload(client, **data):
    data.setdefault("file", SimpleUploadedFile("r.csv", GOOD.encode()))
    return client.post("/reports/import/", data)


@pytest.mark.django_db
def test_the_upload_page_offers_existing_programmes_and_a_new_name(client_for, admin_user, pilot):
    content = client_for(admin_user).get("/reports/import/").content.decode()
    assert f'<option value="{pilot.pk}">Paper pilot 2019–2020</option>' in content
    assert 'name="new_programme"' in content


@pytest.mark.django_db
def test_it_imports_into_the_chosen_programme(client_for, admin_user, pilot, framework):
    response = _upload(client_for(admin_user), programme=pilot.pk, framework=framework.pk)
    assert response.status_code == 302
    assert Workshop.objects.get().programme == pilot and Programme.objects.count() == 1


@pytest.mark.django_db
def test_a_look_alike_new_name_is_refused_naming_the_existing_programme(
    client_for, admin_user, pilot, framework
):
    response = _upload(client_for(admin_user), new_programme="paper pilot 2019-2020", framework=framework.pk)
    assert response.status_code == 400
    assert "“Paper pilot 2019–2020” already exists" in response.content.decode()
    assert Programme.objects.count() == 1 and not Workshop.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"new_programme": "New one", "programme": "PK"}])
def test_it_needs_exactly_one_programme(client_for, admin_user, pilot, framework, data):
    data = {k: (pilot.pk if v == "PK" else v) for k, v in data.items()}
    response = _upload(client_for(admin_user), framework=framework.pk, **data)
    assert response.status_code == 400
    assert "Choose an existing programme or type a new programme&#x27;s name" in response.content.decode()
    assert not Workshop.objects.exists()


@pytest.mark.django_db
def test_a_clearly_new_name_creates_the_programme(client_for, admin_user, pilot, framework):
    response = _upload(client_for(admin_user), new_programme="Paper pilot 2021", framework=framework.pk)
    assert response.status_code == 302
    assert Programme.objects.filter(name="Paper pilot 2021").exists()


@pytest.mark.django_db
def test_the_command_says_when_it_creates_a_programme(tmp_path, framework, pilot):
    path = tmp_path / "r.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_ratings", str(path), programme="Brand new", stdout=out)
    assert "creating new programme Brand new" in out.getvalue()
    out = io.StringIO()
    call_command("import_ratings", str(path), programme="Paper pilot 2019–2020", stdout=out)
    assert "creating new programme" not in out.getvalue()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_ratings", str(path), programme="PAPER PILOT 2019-2020", stdout=out, stderr=err)
    assert "a programme “Paper pilot 2019–2020” already exists" in err.getvalue()
    assert Programme.objects.count() == 2
