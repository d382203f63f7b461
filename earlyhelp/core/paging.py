"""Pages of results whose count stops at a limit.

Counting every match of a common surname in a county (Smith: thousands) costs more than finding
the page shown, and nobody reads past the first few pages: they add a date of birth or a postcode.
So a search counts at most `limit` + 1 matches, says "more than 500" beyond that, and offers the
pages up to the limit.
"""

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator


class BoundedPaginator(Paginator[Any]):
    def __init__(self, object_list: Any, per_page: int, *, limit: int, counted: int | None = None) -> None:
        """`counted`: the matches already counted up to one past the limit, when the caller knows."""
        super().__init__(object_list, per_page)
        self.limit = limit
        self.known = counted

    @cached_property
    def counted(self) -> int:
        """Matches counted, up to one past the limit (one query, stopping early, unless known)."""
        if self.known is not None:
            return min(self.known, self.limit + 1)
        matches: Any = self.object_list
        return int(matches[: self.limit + 1].count())

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.limit)

    @property
    def more_than_limit(self) -> bool:
        return self.counted > self.limit
