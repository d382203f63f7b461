"""Every KPI for a period, for an analyst's own tools:

    python manage.py kpis --from 2026-04-01 --to 2027-03-31 --format csv > kpis.csv
    python manage.py kpis --from 2026-04-01 --to 2027-03-31 --format json --team "Family Support Team North"

Figures only, never a record: the same figures as the dashboard, with their definitions."""

import json
import sys
from argparse import ArgumentTypeError
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.organisations.models import Area, Authority, Team
from earlyhelp.performance import exports
from earlyhelp.performance.forms import LONGEST_PERIOD_DAYS
from earlyhelp.performance.measures import Figure, Measures, Period, Scope
from earlyhelp.performance.models import Target


def a_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ArgumentTypeError(f"‘{text}’ is not a date: write it as YYYY-MM-DD, for example 2026-04-01") from error


def period_from(options: dict[str, Any]) -> Period:
    since, until = options["since"], options["until"]
    if since > until:
        raise CommandError("--to must be on or after --from")
    if (until - since).days > LONGEST_PERIOD_DAYS:
        raise CommandError("Choose a period of five years or less")
    return Period(since=since, until=until)


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def figure_as_dict(figure: Figure) -> dict[str, Any]:
    kpi = figure.kpi
    return {
        "kpi": kpi.key,
        "title": kpi.title,
        "group": kpi.group.value,
        "unit": kpi.unit.value,
        "value": _number(figure.value),
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "target": _number(figure.target),
        "on_target": figure.met,
        "beside": dict(figure.beside),
        "breakdowns": {breakdown.title: dict(breakdown.rows) for breakdown in figure.breakdowns},
        "definition": {"counts": kpi.counts, "out_of": kpi.out_of, "dates": kpi.dates, "source": kpi.source},
    }


class Command(BaseCommand):
    help = "Every KPI of the performance framework for a period, as JSON or CSV (figures only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="since", type=a_date, required=True, help="First day, YYYY-MM-DD")
        parser.add_argument("--to", dest="until", type=a_date, required=True, help="Last day, YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--team", help="A family support team's name")
        parser.add_argument("--area", help="An area's name")

    def handle(self, *args: Any, **options: Any) -> None:
        authority = Authority.objects.current()
        if authority is None:
            raise CommandError("There is no authority set up yet.")
        period = period_from(options)
        scope = Scope(authority_id=authority.pk)
        if options["team"]:
            team = Team.objects.filter(area__authority=authority, name=options["team"]).first()
            if team is None:
                raise CommandError(f"There is no team called ‘{options['team']}’.")
            scope = Scope(authority_id=authority.pk, team_id=team.pk)
        if options["area"]:
            area = Area.objects.filter(authority=authority, name=options["area"]).first()
            if area is None:
                raise CommandError(f"There is no area called ‘{options['area']}’.")
            scope = Scope(authority_id=authority.pk, team_id=scope.team_id, area_id=area.pk)
        measures = Measures(authority, period, scope)
        measures.targets = dict(Target.objects.filter(authority=authority).values_list("kpi", "target"))
        figures = measures.every_figure()
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "from": period.since.isoformat(),
                        "to": period.until.isoformat(),
                        "kpis": [figure_as_dict(figure) for figure in figures],
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return
        rows = [
            [
                f.kpi.key,
                f.kpi.title,
                _number(f.value),
                f.kpi.unit.value,
                f.numerator,
                f.denominator,
                _number(f.target),
                {True: "yes", False: "no", None: ""}[f.met],
                period.since.isoformat(),
                period.until.isoformat(),
            ]
            for f in figures
        ]
        headings = ["kpi", "title", "value", "unit", "numerator", "denominator", "target", "on_target", "from", "to"]
        content = exports.as_csv([("KPIs", headings, rows)]).decode("utf-8-sig")
        # The title line is for people reading a download; a pipeline wants the table alone.
        sys.stdout.flush()
        self.stdout.write(content.split("\r\n", 1)[1], ending="")
