"""The returns, checked by the sector's own tools: Ofsted's Annex A by Social Finance's liiatools
cleaner (it must blank no cell and drop no row), and the analyst's command line."""

import json
import subprocess  # nosec B404 (the sector's checker, run on a file the test wrote)
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from earlyhelp.forums.reports import Period
from earlyhelp.organisations.models import Agency, Authority
from earlyhelp.people.models import Ethnicity, Gender
from earlyhelp.performance.returns import annex_a
from earlyhelp.performance.returns.codes import ANNEX_A_SOURCE_BY_AGENCY

ROOT = Path(__file__).resolve().parent.parent
LIIATOOLS = ROOT / ".checkers" / "liiatools" / "bin" / "python"


def liiatools_clean(workbook: Path, tmp_path: Path) -> tuple[Path, str]:
    """Run the cleaner as a data team would; the cleaned workbook and its error log."""
    assert LIIATOOLS.exists(), "the sector's checkers are installed by `make checkers` (make test runs it)"
    logs, out = tmp_path / "logs", tmp_path / "out"
    logs.mkdir()
    out.mkdir()
    subprocess.run(  # nosec B603 (a fixed command on a file the test wrote)
        [
            *(str(LIIATOOLS), "-m", "liiatools", "annex-a", "cleanfile", "--i", str(workbook)),
            *("--la_code", "BAR", "--la_log_dir", str(logs), "--o", str(out)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    log = "\n".join(path.read_text() for path in logs.iterdir())
    [cleaned] = list(out.iterdir())
    return cleaned, log


@pytest.fixture
def demo(frameworks):
    call_command("load_demo", families=30)
    return Authority.objects.get()


@pytest.mark.django_db
def test_the_annex_a_return_passes_liiatools_with_no_cell_blanked_and_no_row_dropped(demo, tmp_path):
    today = date.today()
    period = Period(today - timedelta(days=183), today)
    made = annex_a.annex_a(demo, period)
    assert made.rows("List 1"), "the demo has contacts in the last six months"
    assert made.rows("List 2"), "the demo has early help assessments in the last six months"
    workbook = tmp_path / "AnnexA.xlsx"
    workbook.write_bytes(annex_a.as_workbook(made))

    ours = load_workbook(workbook)
    assert ours.sheetnames == [f"List {number}" for number in range(1, 12)]
    assert [cell.value for cell in ours["List 1"][1]] == annex_a.HEADINGS["List 1"]
    assert ours["List 3"].max_row == 1  # present, with its headings, and empty
    assert ours["List 1"]["F2"].number_format == "DD/MM/YYYY"

    cleaned_path, log = liiatools_clean(workbook, tmp_path)
    assert "made blank" not in log, log
    assert "should have contained data" not in log, log
    cleaned = load_workbook(cleaned_path)
    for name in ("List 1", "List 2"):
        rows = list(cleaned[name].iter_rows(min_row=2, values_only=True))
        assert len(rows) == len(made.rows(name)), f"{name}: liiatools dropped rows"
        headings = [cell.value for cell in cleaned[name][1]]
        # Every coded value passes through unchanged (the cleaner re-codes what it does not know).
        for column in ("Gender", "Ethnicity", "Contact Source"):
            if column in headings:
                theirs = [row[headings.index(column)] for row in rows]
                assert theirs == [row[annex_a.HEADINGS[name].index(column)] for row in made.rows(name)]


def test_every_coded_value_is_one_the_sector_cleaner_keeps(tmp_path):
    """Each gender, ethnicity and contact source code this service writes, through liiatools."""
    from earlyhelp.performance.returns.codes import ANNEX_A_ETHNICITY, ANNEX_A_GENDER, FAMILY_SOURCE, UNKNOWN_SOURCE

    sources = sorted(set(ANNEX_A_SOURCE_BY_AGENCY.values()) | {FAMILY_SOURCE, UNKNOWN_SOURCE})
    genders = sorted(set(ANNEX_A_GENDER.values()))
    ethnicities = sorted(set(ANNEX_A_ETHNICITY.values()))
    rows = []
    for number in range(max(len(sources), len(genders), len(ethnicities))):
        rows.append(
            [
                str(number + 1),
                genders[number % len(genders)],
                ethnicities[number % len(ethnicities)],
                date(2018, 1, 1),
                8,
                date(2026, 6, 1),
                sources[number % len(sources)],
            ]
        )
    workbook = tmp_path / "AnnexA.xlsx"
    workbook.write_bytes(annex_a.as_workbook(annex_a.AnnexA(lists={"List 1": rows})))
    cleaned_path, log = liiatools_clean(workbook, tmp_path)
    assert "made blank" not in log, log
    cleaned = [list(row) for row in load_workbook(cleaned_path)["List 1"].iter_rows(min_row=2, values_only=True)]
    assert [row[1:3] + row[6:7] for row in cleaned] == [row[1:3] + row[6:7] for row in rows]


def test_every_agency_kind_gender_and_ethnicity_has_a_code():
    from earlyhelp.performance.returns.codes import ANNEX_A_ETHNICITY, ANNEX_A_GENDER

    assert set(ANNEX_A_SOURCE_BY_AGENCY) == set(Agency.Kind)
    assert set(ANNEX_A_GENDER) == set(Gender)
    assert set(ANNEX_A_ETHNICITY) == set(Ethnicity)


@pytest.mark.django_db
def test_the_analysts_command_line_writes_the_kpis_and_the_return(demo, tmp_path, capsys):
    today = date.today()
    since = (today - timedelta(days=365)).isoformat()
    call_command("kpis", "--from", since, "--to", today.isoformat(), "--format", "json")
    written = json.loads(capsys.readouterr().out)
    assert [kpi["kpi"] for kpi in written["kpis"]][:2] == ["contacts_received", "contact_source"]
    assert written["kpis"][0]["value"] >= 1
    assert written["kpis"][0]["definition"]["source"].startswith("FF performance table")

    call_command("kpis", "--from", since, "--to", today.isoformat(), "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "kpi,title,value,unit,numerator,denominator,target,on_target,from,to"
    assert len(lines) == 23

    out = tmp_path / "AnnexA.xlsx"
    call_command("export", "annex-a", "--from", since, "--to", today.isoformat(), "--out", str(out))
    assert load_workbook(out).sheetnames[0] == "List 1"


@pytest.mark.django_db
def test_the_command_line_refuses_a_period_that_ends_before_it_starts(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--to must be on or after --from"):
        call_command("kpis", "--from", "2026-12-01", "--to", "2026-01-01")
