"""Mutation testing for the rule modules: change the code one small way at a time, run that
module's tests, and count the changes the tests catch. `make mutate` runs it; it is too slow for
CI (a run of the tests for every mutant), so run it on what you change.

    python tools/mutation.py                          # every rule module
    python tools/mutation.py earlyhelp/frontdoor/clock.py   # one module
    python tools/mutation.py --list earlyhelp/frontdoor/clock.py   # the mutants, not run
    python tools/mutation.py earlyhelp/people/access.py --lines 38-47,85-100   # only what changed

Each mutant is one of: a comparison turned (< and <=, == and !=, in and not in), arithmetic
swapped (+ and -), `and` and `or` swapped, a `not` dropped, a number moved by one, True and False
swapped, a text changed, a `return value` made `return None`. The file is written back unchanged
afterwards, whatever happens. Survivors are listed with their line so that each can be given a
test, or judged equivalent (a change no behaviour can show).
"""

import argparse
import ast
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each rule module and the tests that pin it down.
MODULES: dict[str, list[str]] = {
    "earlyhelp/thresholds/rules.py": ["tests/test_thresholds_rules.py"],
    "earlyhelp/frontdoor/clock.py": ["tests/test_frontdoor_clock.py"],
    "earlyhelp/casework/timescales.py": ["tests/test_casework_timescales.py"],
    "earlyhelp/casework/schedule.py": [
        "tests/test_casework_timescales.py",
        "tests/test_casework_supervision.py",
        "tests/test_casework_step_down.py",
    ],
    # Issue 14's rules: is the family improving, and where the genogram and ecomap draw each one.
    "earlyhelp/casework/improving.py": ["tests/test_casework_not_improving.py"],
    "earlyhelp/records/drawing.py": ["tests/test_records_maps.py"],
    "earlyhelp/people/identifiers.py": ["tests/test_identifiers.py"],
    # Issue 15's rules: a forum's dates, words that may identify a family, the agenda's slots, the
    # figures' periods, and who sees which case and the family's identity.
    "earlyhelp/forums/meeting_dates.py": ["tests/test_forums_rules.py"],
    "earlyhelp/forums/identifying.py": ["tests/test_forums_rules.py"],
    "earlyhelp/forums/agenda.py": ["tests/test_forums_rules.py", "tests/test_forums_meetings.py"],
    "earlyhelp/forums/reports.py": ["tests/test_forums_reports.py"],
    "earlyhelp/forums/access.py": ["tests/test_forums_access.py"],
    "earlyhelp/frontdoor/referrals.py": ["tests/test_frontdoor_referrals.py"],
    # Each access module's quickest tests first: a mutant caught there never waits for the whole
    # permission matrix (tests/test_access.py, minutes a run).
    "earlyhelp/people/access.py": [
        "tests/test_restricted.py",
        "tests/test_people_merging.py",
        "tests/test_single_point_of_contact.py",
        "tests/test_audit.py",
        "tests/test_access.py",
    ],
    "earlyhelp/frontdoor/access.py": ["tests/test_access.py", "tests/test_single_point_of_contact.py"],
    "earlyhelp/casework/access.py": [
        "tests/test_casework_step_down.py",
        "tests/test_restricted.py",
        "tests/test_casework_pages.py",
        "tests/test_single_point_of_contact.py",
        "tests/test_casework.py",
        "tests/test_access.py",
    ],
    # Which ids a query built once runs with: a wrong one would show another family's record.
    "earlyhelp/core/compiled.py": ["tests/test_compiled.py"],
    # Which ids a name search ranks (`any_of`): run it on both databases, as each has its own SQL.
    "earlyhelp/core/lookups.py": ["tests/test_lookups.py"],
    "earlyhelp/accounts/signing_in.py": ["tests/test_signing_in.py"],
    "earlyhelp/accounts/granting.py": ["tests/test_accounts.py"],
    "earlyhelp/accounts/two_step.py": ["tests/test_two_step.py"],
    "earlyhelp/audit/chain.py": ["tests/test_audit_chain.py", "tests/test_scale.py", "tests/test_disposal.py"],
    "earlyhelp/sharing/rules.py": ["tests/test_sharing.py", "tests/test_single_point_of_contact.py"],
    "earlyhelp/sharing/recording.py": ["tests/test_sharing.py"],
    "earlyhelp/people/restricting.py": ["tests/test_restricted.py"],
    "earlyhelp/governance/deadlines.py": ["tests/test_subject_access.py", "tests/test_disposal.py"],
    "earlyhelp/governance/retention.py": ["tests/test_disposal.py"],
}

COMPARISONS: dict[type, type] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
ARITHMETIC: dict[type, type] = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.FloorDiv: ast.Mult}


@dataclass(frozen=True)
class Mutant:
    index: int
    line: int
    what: str


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


class _Mutator(ast.NodeTransformer):
    """Visits the tree in a fixed order; applies the `target`-th possible change (or, with
    target None, only lists them)."""

    def __init__(self, target: int | None, skip: set[int], quiet_lines: set[int]) -> None:
        self.target = target
        self.skip = skip
        self.quiet_lines = quiet_lines
        self.found: list[Mutant] = []
        self.in_annotation = False

    def _candidate(self, node: ast.AST, what: str) -> bool:
        line = getattr(node, "lineno", 0)
        if line in self.quiet_lines or self.in_annotation:
            return False
        self.found.append(Mutant(len(self.found), line, what))
        return self.target == len(self.found) - 1

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        self.in_annotation = True
        node.annotation = self.visit(node.annotation)
        self.in_annotation = False
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def visit_arg(self, node: ast.arg) -> ast.AST:
        return node  # annotations of arguments are not behaviour

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.returns = None
        node.body = [self.visit(statement) for statement in node.body]  # not decorators or defaults' types
        node.args = self.visit(node.args)
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        # `@dataclass(frozen=True)` and the like describe the class, not the rules.
        node.body = [self.visit(statement) for statement in node.body]
        return node

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        for position, operator in enumerate(node.ops):
            swapped = COMPARISONS.get(type(operator))
            if swapped and self._candidate(node, f"{type(operator).__name__} → {swapped.__name__}"):
                node.ops[position] = swapped()
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        swapped = ARITHMETIC.get(type(node.op))
        if swapped and self._candidate(node, f"{type(node.op).__name__} → {swapped.__name__}"):
            node.op = swapped()
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        self.generic_visit(node)
        swapped = ast.Or if isinstance(node.op, ast.And) else ast.And
        if self._candidate(node, f"{type(node.op).__name__} → {swapped.__name__}"):
            node.op = swapped()
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Not) and self._candidate(node, "not dropped"):
            return node.operand
        return node

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if id(node) in self.skip:
            return node
        value = node.value
        if isinstance(value, bool):
            if self._candidate(node, f"{value} → {not value}"):
                return ast.copy_location(ast.Constant(not value), node)
        elif isinstance(value, int) and self._candidate(node, f"{value} → {value + 1}"):
            return ast.copy_location(ast.Constant(value + 1), node)
        elif isinstance(value, str) and value and self._candidate(node, f"text {value[:30]!r} changed"):
            return ast.copy_location(ast.Constant(f"XX{value}XX"), node)
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        return node  # the parts of an f-string are not mutated one by one

    def visit_Return(self, node: ast.Return) -> ast.AST:
        self.generic_visit(node)
        keeps_none = node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)
        if not keeps_none and self._candidate(node, "return None"):
            node.value = ast.Constant(None)
        return node


def _quiet_lines(source: str) -> set[int]:
    return {number for number, line in enumerate(source.splitlines(), start=1) if "pragma: no mutate" in line}


def mutants_of(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    mutator = _Mutator(None, _docstring_nodes(tree), _quiet_lines(source))
    mutator.visit(tree)
    return mutator.found


def mutated(source: str, index: int) -> str:
    tree = ast.parse(source)
    mutator = _Mutator(index, _docstring_nodes(tree), _quiet_lines(source))
    changed = mutator.visit(tree)
    return ast.unparse(ast.fix_missing_locations(changed))


def _tests_pass(tests: list[str], timeout: int) -> bool:
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *tests]
    # No bytecode: two mutants of the same size written in the same second would share a stale .pyc.
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "earlyhelp.settings.test", "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return False  # a mutant that hangs the tests is caught
    return result.returncode == 0


def _within(line: int, lines: list[tuple[int, int]]) -> bool:
    return not lines or any(first <= line <= last for first, last in lines)


def _line_ranges(text: str) -> list[tuple[int, int]]:
    """ "38-47,85" as [(38, 47), (85, 85)]."""
    ranges = []
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        ranges.append((int(first), int(last or first)))
    return ranges


def run_module(
    path: str, tests: list[str], timeout: int, lines: list[tuple[int, int]] | None = None
) -> tuple[int, list[Mutant]]:
    file = ROOT / path
    original = file.read_text(encoding="utf-8")
    if not _tests_pass(tests, timeout * 3):
        raise SystemExit(f"The tests for {path} fail before any change: fix them first.")
    found = [mutant for mutant in mutants_of(original) if _within(mutant.line, lines or [])]
    survivors: list[Mutant] = []
    try:
        for mutant in found:
            for stale in (file.parent / "__pycache__").glob(f"{file.stem}.*.pyc"):
                stale.unlink()
            file.write_text(mutated(original, mutant.index), encoding="utf-8")
            if _tests_pass(tests, timeout):
                survivors.append(mutant)
                print(f"  survived: line {mutant.line}: {mutant.what}", flush=True)
    finally:
        file.write_text(original, encoding="utf-8")
    return len(found), survivors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: every rule module)")
    parser.add_argument("--list", action="store_true", help="list the mutants without running them")
    parser.add_argument("--timeout", type=int, default=300, help="seconds a mutant's test run may take")
    parser.add_argument("--lines", default="", help="only the mutants on these lines (38-47,85): what changed")
    options = parser.parse_args()
    chosen = options.modules or list(MODULES)
    scores = []
    for path in chosen:
        tests = MODULES.get(path)
        if tests is None:
            raise SystemExit(f"{path} is not a rule module with tests named in tools/mutation.py")
        if options.list:
            for mutant in mutants_of((ROOT / path).read_text(encoding="utf-8")):
                if not _within(mutant.line, _line_ranges(options.lines)):
                    continue
                print(f"{path}:{mutant.line}: {mutant.what}")
            continue
        started = time.monotonic()
        print(f"{path} (tests: {' '.join(tests)})", flush=True)
        total, survivors = run_module(path, tests, options.timeout, _line_ranges(options.lines))
        score = 100 * (total - len(survivors)) / total if total else 100.0
        scores.append((path, total, len(survivors), score))
        print(
            f"  {total - len(survivors)} of {total} caught: {score:.0f}% ({time.monotonic() - started:.0f} s)",
            flush=True,
        )
    if scores:
        print("\nmodule | mutants | survived | score")
        for path, total, survived, score in scores:
            print(f"{path} | {total} | {survived} | {score:.0f}%")


if __name__ == "__main__":
    main()
