"""`manage.py export_action_plans`: one PDF per workshop, one line per file, clear errors."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from workshops.models import Programme, Workshop

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = io.StringIO()
    call_command("export_action_plans", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_writes_one_pdf_per_workshop_of_the_programme(workshop, follow_up, other_workshop, tmp_path):
    outside = Workshop.objects.create(
        area=workshop.area, framework=workshop.framework, title="No programme", date=dt.date(2026, 1, 1)
    )
    lines = run("--programme", "Test programme", "--out", str(tmp_path / "plans"))
    names = sorted(p.name for p in (tmp_path / "plans").iterdir())
    assert names == [
        "cascade-action-plan-NSH-2026-09-01.pdf",
        "cascade-action-plan-NSH-2027-03-01.pdf",
        "cascade-action-plan-RVP-2026-09-02.pdf",
    ]
    assert len(lines) == 3 and all(line.split()[0].endswith(".pdf") for line in lines)
    assert all((tmp_path / "plans" / name).read_bytes().startswith(b"%PDF") for name in names)
    assert outside.title not in "\n".join(lines)


def test_it_writes_one_workshop(workshop, tmp_path):
    lines = run("--workshop", str(workshop.pk), "--out", str(tmp_path))
    assert lines == [f"{tmp_path}/cascade-action-plan-NSH-2026-09-01.pdf  (North Shire, Baseline, phase 1)"]


def test_two_workshops_of_one_area_on_one_day_keep_both(workshop, tmp_path):
    other = Programme.objects.create(name="Second")
    twin = Workshop.objects.create(
        area=workshop.area, programme=other, framework=workshop.framework, title="Twin", date=workshop.date
    )
    Workshop.objects.filter(pk=twin.pk).update(programme=workshop.programme, phase=2)
    lines = run("--programme", "Test programme", "--out", str(tmp_path))
    assert len(lines) == 2 and len(list(tmp_path.iterdir())) == 2
    assert f"-{twin.pk}.pdf" in lines[1]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--programme", "Nope"], "No programme named “Nope”. Programmes: Test programme."),
        (["--workshop", "999999"], "No workshop with id 999999."),
        ([], "Give --programme NAME or --workshop ID"),
    ],
)
def test_it_fails_with_a_message(workshop, tmp_path, args, message):
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        run(*args, "--out", str(tmp_path))
    assert not list(tmp_path.iterdir())


def test_a_workshop_outside_the_programme_is_an_error(workshop, tmp_path):
    Programme.objects.create(name="Empty")
    with pytest.raises(CommandError, match="No workshop with id .* in programme “Empty”"):
        run("--programme", "Empty", "--workshop", str(workshop.pk), "--out", str(tmp_path))
    with pytest.raises(CommandError, match="has no workshops"):
        run("--programme", "Empty", "--out", str(tmp_path))


def test_the_exit_status_is_non_zero(workshop, tmp_path, capsys):
    from actionplans.management.commands.export_action_plans import Command

    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(
            ["manage.py", "export_action_plans", "--programme", "Nope", "--out", str(tmp_path)]
        )
    assert exit_info.value.code == 1
    assert "No programme named “Nope”" in capsys.readouterr().err
