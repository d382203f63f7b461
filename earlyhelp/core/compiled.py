"""Queries whose SQL is built once (ADR 26).

On the pages practitioners open all day (the signed-in user on every request, the team page, the
case file) Django's building of a query's SQL took longer than the database's running of it:
about 0.5 to 1 ms a query against 0.3 ms for PostgreSQL to answer (docs/performance.md). A
`Compiled` query is built by the ORM as usual the first time it runs on a connection, and after
that its SQL is run again with the new values: the same SQL, the same model objects back, the
same prefetching, without building it again.

Its values are record ids only, one id or a list of ids, since those reach the SQL unchanged on
every database. The query is built with stand-in ids that are found among its parameters and
replaced at each run (everywhere the query uses them); a query that changes an id on the way is
refused when first built, so a wrong result cannot come back silently. A list is padded to a few fixed
lengths by repeating its last id, so that a list of 7 ids and one of 8 share their SQL. A query
that filters on anything else (a moment, a text) stays an ordinary QuerySet: whatever else the
lambda reads (the time, a setting) would be fixed at its first run.

    CASE_NOTES = Compiled(lambda episode: CaseNote.objects.filter(episode_id=episode))
    notes = CASE_NOTES.list(episode=episode.pk)

    CHILDREN = Compiled(lambda episodes: EpisodeChild.objects.filter(episode_id__in=episodes), lists=("episodes",))
    children = CHILDREN.list(episodes=[1, 2, 3])

A value that changes the query's shape rather than an id in it (which page of a list, so its
OFFSET) is named in `shapes`: the query is built once for each value it is given, which should
be few.
"""

import copy
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

T = TypeVar("T")  # pragma: no mutate (a type's name)

# Stand-in ids: far above any id a table will reach.
_STAND_IN = 7_000_000_000_000_000_000  # pragma: no mutate (any number far above every id)
# A list of ids is padded up to the next of these lengths (longer lists: the next multiple of 256).
_LIST_LENGTHS = (1, 4, 16, 64, 256)


def _storable(pk: int) -> bool:
    """Whether an id fits the databases' 64-bit integer columns (an address can ask for any)."""
    return -(2**63) <= pk < 2**63


def _padded_length(count: int) -> int:
    for length in _LIST_LENGTHS:
        if count <= length:
            return length
    return -(-count // _LIST_LENGTHS[-1]) * _LIST_LENGTHS[-1]


@dataclass(frozen=True)
class _Built:
    queryset: QuerySet[Any]
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    # Where each value goes among the parameters: for each name, the places of its id (or of each
    # id of a list), an id being used as often as the query names it.
    positions: dict[str, list[list[int]]]


class Compiled(Generic[T]):
    """A query, built by `build` from named ids, whose SQL is made once per database and shape."""

    def __init__(
        self,
        build: Callable[..., "QuerySet[Any, T]"],
        *,
        lists: Collection[str] = (),
        shapes: Collection[str] = (),
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        self.build = build
        self.lists = frozenset(lists)
        self.shapes = frozenset(shapes)
        self.using = using
        self._built: dict[tuple[Any, ...], _Built] = {}
        self._lock = threading.Lock()

    def list(self, **given: Any) -> list[T]:
        """The query's results for these ids, as `list(queryset)` would give them."""
        shape = {name: given[name] for name in self.shapes}
        values: dict[str, int | Sequence[int]] = {name: value for name, value in given.items() if name not in shape}
        lengths = {}
        for name, value in values.items():
            if name not in self.lists:
                if not isinstance(value, int):
                    raise TypeError(f"{name!r} is one id")
                if not _storable(value):
                    return []  # as the ORM does: an id no column can hold matches nothing
                continue
            if isinstance(value, int):
                raise TypeError(f"{name!r} is a list of ids, not one id")
            ids = [pk for pk in value if _storable(pk)]
            if not ids:
                return []  # as the ORM does: an empty IN () runs no query
            values[name] = ids
            lengths[name] = _padded_length(len(ids))
        alias = self.using
        built = self._built_for(alias, lengths, values, shape)
        params = list(built.params)
        for name, places in built.positions.items():
            value = values[name]
            ids = [value] if isinstance(value, int) else list(value)
            ids += [ids[-1]] * (len(places) - len(ids))
            # Padded to its places above, so the two are always as long: strictness cannot show.
            for positions, pk in zip(places, ids, strict=True):  # pragma: no mutate
                for position in positions:
                    params[position] = int(pk)
        compiler = copy.copy(built.compiler)
        compiler.connection = connections[alias]
        sql = built.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, tuple(params))  # type: ignore[method-assign]
        runnable = built.queryset._chain()  # type: ignore[attr-defined]
        runnable.query.get_compiler = lambda *args, **kwargs: compiler
        return list(runnable)

    def _stand_ins(self, values: dict[str, Any], lengths: dict[str, int]) -> dict[str, Any]:
        stand_ins: dict[str, Any] = {}
        for index, name in enumerate(sorted(values)):
            base = _STAND_IN + index * 1_000_000  # the spacing is any above the longest list's length
            stand_ins[name] = [base + offset for offset in range(lengths[name])] if name in self.lists else base
        return stand_ins

    def _built_for(self, alias: str, lengths: dict[str, int], values: dict[str, Any], shape: dict[str, Any]) -> _Built:
        key = (
            alias,
            connections[alias].vendor,
            tuple(sorted(lengths.items())),
            tuple(sorted(values)),
            tuple(sorted(shape.items())),
        )
        found = self._built.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._built.get(key)
            if found is None:
                found = self._build(alias, lengths, values, shape)
                self._built[key] = found
        return found

    def _build(self, alias: str, lengths: dict[str, int], values: dict[str, Any], shape: dict[str, Any]) -> _Built:
        stand_ins = self._stand_ins(values, lengths)
        queryset = self.build(**stand_ins, **shape)
        queryset = queryset.using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        where: dict[int, list[int]] = {}
        for position, value in enumerate(params):
            if isinstance(value, int) and not isinstance(value, bool) and value >= _STAND_IN:
                where.setdefault(value, []).append(position)
        positions: dict[str, list[list[int]]] = {}
        for name, stand_in in stand_ins.items():
            wanted = stand_in if isinstance(stand_in, list) else [stand_in]
            missing = [value for value in wanted if value not in where]
            if missing:
                raise ImproperlyConfigured(f"The query does not pass {name!r} to the database unchanged: {sql}")
            positions[name] = [where.pop(value) for value in wanted]
        if where:
            raise ImproperlyConfigured(f"Unexpected stand-in ids among the parameters of {sql}")
        return _Built(queryset=queryset, compiler=compiler, sql=sql, params=tuple(params), positions=positions)
