"""Checking a ratings file without the database: every problem as `line N: column X: reason`."""

from __future__ import annotations

import datetime as dt

from reports.area_matching import AreaRef, KnownArea, new_area_code, resolve_areas
from reports.importer import ExistingWorkshop, plan_import
from reports.parsing import ImportRow, parse_ratings_csv

CODES = ["C1", "A1", "S", "C2", "A2", "D", "E"]
HEADER = "area,phase,date,C1,A1,S,C2,A2,D,E\n"


def parse(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_ratings_csv(data, CODES, 4)


def test_it_reads_a_sound_file():
    result = parse(HEADER + "North Shire,1,2019-03-14,1,2,1,0,1,1,0\r\nNSH,2,,3,3,3,3,3,3,3\n")
    assert result.errors == []
    first, second = result.rows
    assert first == ImportRow(
        2, "North Shire", "", 1, dt.date(2019, 3, 14), dict(zip(CODES, [1, 2, 1, 0, 1, 1, 0], strict=True))
    )
    assert second.line == 3 and second.date is None and second.levels["E"] == 3


def test_columns_may_come_in_any_order_and_case_with_a_bom_and_blank_lines():
    text = "\ufeffE,d,A2,c2,S,a1,C1,Phase,Area,Code\n\n0,1,1,0,1,2,1,1,North Shire,NSH\n,,,,,,,,,\n"
    result = parse(text)
    assert result.errors == []
    assert result.rows[0].levels == {"C1": 1, "A1": 2, "S": 1, "C2": 0, "A2": 1, "D": 1, "E": 0}
    assert result.rows[0].code == "NSH" and result.rows[0].line == 3


def test_it_reports_an_empty_file():
    for text in ("", "  \n\n"):
        assert parse(text).errors == [
            "line 1: column -: the file is empty; expected a header row: area,phase,date,C1,A1,S,C2,A2,D,E"
        ]


def test_it_reports_a_header_without_rows():
    assert parse(HEADER).errors == ["line 2: column -: the file has a header but no ratings"]


def test_it_reports_the_wrong_encoding_with_its_line():
    data = (HEADER + "North Shire,1,,1,1,1,1,1,1,1\n").encode() + "Ynys Môn,1,,1,1,1,1,1,1,1\n".encode(
        "latin-1"
    )
    assert parse(data).errors == [
        'line 3: column -: wrong encoding: the file is not UTF-8 text (in Excel, save as "CSV UTF-8")'
    ]


def test_it_reports_a_binary_file():
    assert parse(b"PK\x03\x04\x00\x00").errors == [
        "line 1: column -: wrong encoding: this is a binary file, not CSV text"
    ]


def test_it_reports_unknown_duplicated_and_missing_columns():
    result = parse("area,phase,C1,C1,A1,S,C2,A2,D,Notes\nX,1,1,1,1,1,1,1,1,hi\n")
    assert result.errors == [
        "line 1: column C1: the column appears twice",
        "line 1: column Notes: unknown column (expected area, code, phase, date, C1, A1, S, C2, A2, D, E)",
        "line 1: column E: missing domain column",
    ]
    assert result.rows == []
    assert parse("C1,A1,S,C2,A2,D,E\n1,1,1,1,1,1,1\n").errors == [
        "line 1: column area: missing column",
        "line 1: column phase: missing column",
    ]


def test_it_reports_every_bad_cell_of_every_row():
    text = (
        HEADER
        + "North Shire,1,2019-02-30,1,2,1,0,1,1,\n"  # line 2: bad date, missing level
        + ",x,,4,two,-1,0,1,1,0\n"  # line 3: no area, bad phase, three bad levels
        + "Riverside,0,14/03/2019,1,1,1,1,1,1,1\n"  # line 4: phase 0, date format
        + "Riverside,1,,1,1,1,1,1,1\n"  # line 5: a value short
        + "Fine,1,,1,1,1,1,1,1,1\n"
    )
    result = parse(text)
    assert result.errors == [
        'line 2: column date: bad date "2019-02-30" (use YYYY-MM-DD)',
        "line 2: column E: missing level (0 to 3)",
        "line 3: column area: missing area",
        'line 3: column phase: "x" is not a phase (a whole number, 1 for the baseline)',
        "line 3: column C1: level 4 out of range (0 to 3)",
        'line 3: column A1: "two" is not a level (0 to 3)',
        "line 3: column S: level -1 out of range (0 to 3)",
        'line 4: column phase: "0" is not a phase (a whole number, 1 for the baseline)',
        'line 4: column date: bad date "14/03/2019" (use YYYY-MM-DD)',
        "line 5: column -: 9 values, expected 10 (one per column)",
    ]
    assert [row.area for row in result.rows] == ["Fine"]


def test_it_reports_numbers_int_cannot_read_instead_of_failing():
    """'²' passes str.isdigit() but not int(); int() refuses more than 4300 digits."""
    huge = "9" * 5000
    text = HEADER + "North Shire,²,,1,1,1,1,1,1,1\n" + f"Riverside,{huge},,{huge},1,1,1,1,1,1\n"
    result = parse(text)
    assert result.errors == [
        'line 2: column phase: "²" is not a phase (a whole number, 1 for the baseline)',
        f'line 3: column phase: "{huge}" is not a phase (a whole number, 1 for the baseline)',
        f"line 3: column C1: level {huge} out of range (0 to 3)",
    ]
    assert result.rows == []


def test_it_reports_a_duplicate_area_and_phase():
    text = (
        HEADER + "North Shire,1,,1,1,1,1,1,1,1\nnorth shire,1,,2,2,2,2,2,2,2\nNorth Shire,2,,1,1,1,1,1,1,1\n"
    )
    assert parse(text).errors == [
        "line 3: column phase: duplicate area and phase: north shire phase 1 is already on line 2"
    ]


def test_it_reports_unreadable_csv():
    errors = parse(HEADER + 'North Shire,1,,1,1,1,1,1,1,"1\n').errors
    assert errors == ["line 2: column -: not readable as CSV (unexpected end of data)"]
    errors = parse(HEADER + 'North Shire,1,,1,1,1,1,1,"1"x,1\nRiverside,1,,1,1,1,1,1,1,1\n').errors
    assert errors == ["line 2: column -: not readable as CSV (',' expected after '\"')"]


# --- Matching areas -----------------------------------------------------------------------------

KNOWN = [
    KnownArea(1, "NSH", "North Shire"),
    KnownArea(2, "RVP", "Riverside"),
    KnownArea(3, "RV2", "Riverside"),
]


def row(line: int, area: str, code: str = "", phase: int = 1) -> ImportRow:
    return ImportRow(line, area, code, phase, None, {})


def test_it_matches_areas_by_code_or_name_and_creates_new_ones():
    refs, errors = resolve_areas(
        [
            row(2, "nsh"),
            row(3, "North Shire", phase=2),
            row(4, "South Vale"),
            row(5, "south vale", phase=2),
            row(6, "Ynys Môn", "YM"),
            row(7, "", "ym", phase=2),
        ],
        KNOWN,
    )
    assert errors == []
    assert refs[2] == refs[3] == AreaRef(1, "NSH", "North Shire")
    assert refs[4] == refs[5] == AreaRef(None, "SOUTH-VALE", "South Vale")
    assert refs[6] == refs[7] == AreaRef(None, "YM", "Ynys Môn")


def test_it_reports_ambiguous_names_and_mismatched_codes():
    _refs, errors = resolve_areas(
        [
            row(2, "Riverside"),
            row(3, "North Shire", "RVP"),
            row(4, "North Shire", "NEW"),
            row(5, "nsh", "NSH"),
        ],
        KNOWN,
    )
    assert errors == [
        'line 2: column area: "Riverside" matches 2 areas (RVP, RV2); add a code column to say which',
        'line 3: column area: area RVP is "Riverside", not "North Shire"',
        'line 4: column code: "North Shire" already exists with code NSH, not NEW',
    ]


def test_it_reports_duplicates_only_visible_once_areas_are_matched():
    _refs, errors = resolve_areas([row(2, "NSH"), row(3, "North Shire")], KNOWN)
    assert errors == [
        "line 3: column phase: duplicate area and phase: North Shire phase 1 is already on line 2"
    ]


def test_new_area_codes_come_from_the_name_and_stay_unique():
    assert new_area_code("North Shire (East)", set()) == "NORTH-SHIRE-EAST"
    assert new_area_code("North Shire", {"north-shire"}) == "NORTH-SHIRE-2"
    assert new_area_code("Môn", set()) == "M-N"
    assert new_area_code("——", set()) == "AREA"


# --- Planning -----------------------------------------------------------------------------------

LEVELS = {"C1": 1, "A1": 1}


def existing(pk: int, imported: bool, levels=LEVELS, framework_id: int = 1) -> ExistingWorkshop:
    return ExistingWorkshop(pk, imported, framework_id, "CASCADE", dt.date(2019, 1, 1), dict(levels))


def test_the_plan_creates_updates_and_leaves_alone():
    rows = [
        ImportRow(2, "A", "", 1, None, LEVELS),  # new
        ImportRow(3, "B", "", 1, None, LEVELS),  # imported, same
        ImportRow(4, "C", "", 1, None, {"C1": 2, "A1": 1}),  # imported, corrected
        ImportRow(5, "D", "", 1, dt.date(2019, 1, 2), LEVELS),  # imported, new date
        ImportRow(6, "E", "", 1, dt.date(2020, 1, 1), LEVELS),  # run in the app, same levels
    ]
    refs = {2: AreaRef(None, "A", "A"), 3: AreaRef(3, "B", "B"), 4: AreaRef(4, "C", "C")}
    refs |= {5: AreaRef(5, "D", "D"), 6: AreaRef(6, "E", "E")}
    current = {(3, 1): existing(30, True), (4, 1): existing(40, True), (5, 1): existing(50, True)}
    current[(6, 1)] = existing(60, False)
    plan = plan_import(rows, refs, current, framework_id=1)
    assert plan.errors == []
    assert [r.line for r, _ref in plan.create] == [2]
    assert [(r.line, w.pk) for r, w in plan.update] == [(4, 40), (5, 50)]
    assert plan.unchanged == 2


def test_the_plan_never_changes_a_workshop_run_in_the_app():
    rows = [ImportRow(2, "E", "", 1, None, {"C1": 3, "A1": 1}), ImportRow(3, "F", "", 2, None, LEVELS)]
    refs = {2: AreaRef(6, "E", "E"), 3: AreaRef(7, "F", "F")}
    current = {(6, 1): existing(60, False), (7, 2): existing(70, True, framework_id=9)}
    plan = plan_import(rows, refs, current, framework_id=1)
    assert plan.errors == [
        "line 2: column -: E phase 1 was run in the app and agreed different levels "
        "(C1 1 in the app, 3 in the file); an import never changes it",
        "line 3: column phase: F phase 2 in this programme was rated with CASCADE, not the framework "
        "of this import",
    ]


def test_it_reports_names_and_codes_too_long_for_an_area():
    text = "area,code,phase,C1,A1,S,C2,A2,D,E\n" + "N" * 201 + "," + "C" * 31 + ",1,1,1,1,1,1,1,1\n"
    assert parse(text).errors == [
        "line 2: column area: longer than 200 characters",
        "line 2: column code: longer than 30 characters",
    ]


def test_a_made_up_code_never_takes_a_code_the_file_gives():
    refs, errors = resolve_areas([row(2, "South Vale"), row(3, "Other", "SOUTH-VALE")], KNOWN)
    assert errors == []
    assert refs[2].code == "SOUTH-VALE-2" and refs[3] == AreaRef(None, "SOUTH-VALE", "Other")
