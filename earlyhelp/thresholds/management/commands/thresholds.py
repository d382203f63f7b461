"""`manage.py thresholds`: load, switch, export and try out thresholds frameworks.

thresholds load [--file PATH]            load the shipped frameworks, or one file
thresholds list                          the loaded frameworks and their versions
thresholds use NAME                      switch the framework practitioners use
thresholds export [--framework NAME] [--format json|yaml]
thresholds assess [--framework NAME]     read {"indicators": [...], "facts": {...}} on stdin
"""

import json
import sys
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser
from pydantic import ValidationError

from earlyhelp.thresholds import selectors, services
from earlyhelp.thresholds.definition import FrameworkFileError
from earlyhelp.thresholds.models import FrameworkVersion
from earlyhelp.thresholds.rules import UnknownIndicatorsError, recommend
from earlyhelp.thresholds.schemas import AssessmentIn, framework_export


class Command(BaseCommand):
    help = "Load, switch, export and try out thresholds frameworks (the Vulnerability Matrix)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help="Load the shipped frameworks, or the framework file given.")
        load.add_argument("--file", type=Path, action="append", help="A framework YAML file (may be repeated).")
        actions.add_parser("list", help="List the loaded frameworks and their versions.")
        use = actions.add_parser("use", help="Switch the framework practitioners check levels of need with.")
        use.add_argument("name")
        export = actions.add_parser("export", help="Print a framework with its indicator identifiers.")
        export.add_argument("--framework", help="Framework name (default: the one in use).")
        export.add_argument("--format", choices=["json", "yaml"], default="json")
        assess = actions.add_parser("assess", help='Read {"indicators": [...], "facts": {...}} as JSON on stdin.')
        assess.add_argument("--framework", help="Framework name (default: the one in use).")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"_{options['action']}")
        try:
            handler(options)
        except FrameworkFileError as error:
            raise CommandError("\n".join(error.problems)) from error

    def _load(self, options: dict[str, Any]) -> None:
        files: list[Path] | None = options["file"]
        if files:
            results = [services.framework_load_file(path=path) for path in files]
            services.framework_choose_if_none_in_use()
        else:
            results = services.frameworks_load_shipped()
        for result in results:
            if options["verbosity"] > 0:
                self.stdout.write(str(result))

    def _list(self, options: dict[str, Any]) -> None:
        versions = FrameworkVersion.objects.select_related("framework").order_by("framework__name", "loaded_at")
        if not versions:
            self.stdout.write("No framework is loaded. Run: python manage.py thresholds load")
        for version in versions:
            in_use = " (in use)" if version.framework.in_use else ""
            loaded = version.loaded_at.strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{version.framework.name}{in_use}: version {version.version}, loaded {loaded}")

    def _use(self, options: dict[str, Any]) -> None:
        framework = services.framework_use(name=options["name"])
        self.stdout.write(f"Practitioners now check levels of need with {framework.name} ({framework.title}).")

    def _export(self, options: dict[str, Any]) -> None:
        exported = framework_export(self._version(options["framework"]).definition)
        if options["format"] == "yaml":
            self.stdout.write(yaml.safe_dump(exported, allow_unicode=True, sort_keys=False, width=120))
        else:
            self.stdout.write(json.dumps(exported, indent=2, ensure_ascii=False))

    def _assess(self, options: dict[str, Any]) -> None:
        version = self._version(options["framework"])
        question = _read_question(sys.stdin.read())
        try:
            result = recommend(version.definition, question.indicators, question.facts.to_facts())
        except UnknownIndicatorsError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))

    def _version(self, name: str | None) -> FrameworkVersion:
        version = selectors.framework_version_latest(name)
        if version is None:
            wanted = f"No framework called {name!r} is loaded." if name else "No framework is in use."
            raise CommandError(f"{wanted} Run: python manage.py thresholds load")
        return version


def _read_question(text: str) -> AssessmentIn:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(f"Standard input is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise CommandError('Standard input must be a JSON object: {"indicators": [...], "facts": {...}}')
    try:
        return AssessmentIn.model_validate(data)
    except ValidationError as error:
        problems = [f"{'.'.join(str(p) for p in detail['loc'])}: {detail['msg']}" for detail in error.errors()]
        raise CommandError("The question is not in the expected shape:\n" + "\n".join(problems)) from error
