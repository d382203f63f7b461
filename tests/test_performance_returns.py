"""The returns, checked by the sector's own tools: Ofsted's Annex A by Social Finance's liiatools
cleaner (it must blank no cell and drop no row), and the analyst's command line."""

import csv
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
    assert len(lines) == 24

    out = tmp_path / "AnnexA.xlsx"
    call_command("export", "annex-a", "--from", since, "--to", today.isoformat(), "--out", str(out))
    assert load_workbook(out).sheetnames[0] == "List 1"


@pytest.mark.django_db
def test_the_command_line_refuses_a_period_that_ends_before_it_starts(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--to must be on or after --from"):
        call_command("kpis", "--from", "2026-12-01", "--to", "2026-01-01")


CIN_VALIDATOR = ROOT / ".checkers" / "cin-validator" / "bin" / "python"


def cin_validate(xml: Path, tmp_path: Path, ruleset: str) -> list[dict[str, str]]:
    """The DfE census validator's findings, as rows of its report (none when the file is clean)."""
    assert CIN_VALIDATOR.exists(), "the sector's checkers are installed by `make checkers` (make test runs it)"
    subprocess.run(  # nosec B603 (a fixed command on a file the test wrote)
        [str(CIN_VALIDATOR), "-m", "cin_validator", "run", str(xml), "-r", ruleset, "-o"],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        timeout=600,
    )
    report = tmp_path / "user_report.csv"
    return list(csv.DictReader(report.open())) if report.exists() else []


@pytest.mark.django_db
def test_the_children_in_need_census_has_no_errors_by_the_dfe_validator(demo, tmp_path):
    from earlyhelp.performance.returns import cin

    year = cin.census_year_of(date.today())
    xml = tmp_path / "cin.xml"
    xml.write_bytes(cin.census(demo, year))
    text = xml.read_text()
    assert "<Collection>CIN</Collection>" in text
    assert f"<ReferenceDate>{year.until.isoformat()}</ReferenceDate>" in text
    assert text.count("<Child>") >= 1, "the demo has a child in need"
    findings = cin_validate(xml, tmp_path, f"cin{year.since.year}_{str(year.until.year)[2:]}")
    errors = [row for row in findings if not row["rule_code"].endswith("Q")]
    assert errors == []


def test_the_child_in_need_spans_follow_the_legal_basis():
    from earlyhelp.casework.models import Episode, LegalBasis, LegalBasisChange
    from earlyhelp.performance.returns import cin

    def at(day: date):
        from datetime import datetime
        from zoneinfo import ZoneInfo

        return datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/London"))

    episode = Episode(referred_at=at(date(2026, 4, 2)), closed_at=at(date(2026, 9, 1)), legal_basis="")
    to_cin = LegalBasisChange(
        before=LegalBasis.TARGETED_EARLY_HELP, after=LegalBasis.CHILD_IN_NEED, changed_at=at(date(2026, 5, 1))
    )
    back = LegalBasisChange(
        before=LegalBasis.CHILD_IN_NEED, after=LegalBasis.TARGETED_EARLY_HELP, changed_at=at(date(2026, 7, 1))
    )
    assert cin.cin_spans(episode, [to_cin, back]) == [(date(2026, 5, 1), date(2026, 7, 1))]
    assert cin.cin_spans(episode, [to_cin]) == [(date(2026, 5, 1), date(2026, 9, 1))]
    started_cin = Episode(referred_at=at(date(2026, 4, 2)), closed_at=None, legal_basis=LegalBasis.CHILD_IN_NEED)
    assert cin.cin_spans(started_cin, []) == [(date(2026, 4, 2), None)]
    assert cin.census_year_of(date(2027, 3, 31)) == Period(date(2026, 4, 1), date(2027, 3, 31))
    assert cin.census_year_of(date(2027, 4, 1)) == Period(date(2027, 4, 1), date(2028, 3, 31))
    assert cin.primary_need(["sf-housing", "parental-domestic-abuse"]) == "N4"
    assert cin.primary_need(["nothing-known"]) == "N4"
    assert cin.assessment_factors(["family-conflict"]) == ["21"]
    assert cin.assessment_factors(["parental-mental-health", "emotional-wellbeing"]) == ["4B", "4A"]


@pytest.mark.django_db
def test_the_standard_safeguarding_dataset_has_its_field_names_and_its_keys_join(demo, tmp_path):
    from earlyhelp.performance.returns import ssd

    out = tmp_path / "ssd"
    today = date.today()
    call_command(
        "export",
        "ssd",
        "--from",
        (today - timedelta(days=365)).isoformat(),
        "--to",
        today.isoformat(),
        "--out",
        str(out),
    )
    read = {}
    for name, fields in ssd.FIELDS.items():
        with (out / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows, f"{name} is empty for the demo"
        assert list(rows[0]) == fields
        read[name] = rows
    people = {row["pers_person_id"] for row in read["ssd_person"]}
    assert {row["cont_person_id"] for row in read["ssd_contacts"]} <= people
    assert {row["earl_person_id"] for row in read["ssd_early_help_episodes"]} <= people
    assert {row["fami_person_id"] for row in read["ssd_family"]} <= people
    assert {row["invo_professional_team"] for row in read["ssd_involvements"]} <= {
        row["dept_team_id"] for row in read["ssd_department"]
    }
    assert len({row["earl_episode_id"] for row in read["ssd_early_help_episodes"]}) == len(
        read["ssd_early_help_episodes"]
    )
    outcome = json.loads(read["ssd_contacts"][0]["cont_contact_outcome_json"])
    assert set(outcome) == set(ssd.OUTCOME_FLAGS)
    assert all(row["pers_sex"] in {"M", "F", "U"} for row in read["ssd_person"])


@pytest.mark.django_db
def test_a_closed_child_in_need_episode_with_its_assessment_and_plan_passes_the_validator(demo, tmp_path):
    """A family made a child in need before its assessment, planned for, then closed: every part
    of a CIN episode the census holds, through the DfE's validator."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from earlyhelp.audit.models import AuditEvent
    from earlyhelp.audit.trail import audited_writes, record_change
    from earlyhelp.casework.models import Assessment, Episode, LegalBasis, LegalBasisChange
    from earlyhelp.organisations.models import User
    from earlyhelp.performance.returns import cin
    from tests.factories import system_user

    year = cin.census_year_of(date.today())
    assessment = (
        Assessment.objects.filter(authorised_at__isnull=False, episode__first_meeting_at__isnull=False)
        .select_related("episode")
        .order_by("pk")
        .first()
    )
    assert assessment is not None, "the demo has an authorised assessment and a plan"
    episode = assessment.episode
    became_cin = max(assessment.started_at - timedelta(days=1), episode.referred_at)
    assert became_cin.date() >= year.since, "the demo's dates fall in this census year"
    closed_at = datetime.combine(date.today(), datetime.min.time(), ZoneInfo("Europe/London")) + timedelta(hours=12)
    actor = system_user()
    with audited_writes():
        change = LegalBasisChange.objects.create(
            episode=episode,
            before=LegalBasis.TARGETED_EARLY_HELP,
            after=LegalBasis.CHILD_IN_NEED,
            reason="Needs under section 17",
            changed_by=actor,
            changed_at=became_cin,
        )
        record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=change, changes={})
        fresh = Episode.objects.get(pk=episode.pk)
        fresh.legal_basis = LegalBasis.CHILD_IN_NEED
        fresh.overseeing_social_worker = User.objects.filter(email__startswith="socialworker@").first()
        fresh.status = Episode.Status.CLOSED
        fresh.closed_at = closed_at
        fresh.end_reason = Episode.EndReason.GOALS_MET
        fresh.save(update_fields=["legal_basis", "overseeing_social_worker", "status", "closed_at", "end_reason"])
        record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=fresh, changes={"test": "closed"})

    xml = tmp_path / "cin.xml"
    xml.write_bytes(cin.census(demo, year))
    text = xml.read_text()
    for part in ("CINclosureDate", "<ReasonForClosure>RC7</ReasonForClosure>", "AssessmentAuthorisationDate"):
        assert part in text
    assert "<AssessmentFactors>" in text
    assert "<CINPlanStartDate>" in text
    findings = cin_validate(xml, tmp_path, f"cin{year.since.year}_{str(year.until.year)[2:]}")
    assert [row for row in findings if not row["rule_code"].endswith("Q")] == []
