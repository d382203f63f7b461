"""How long the server spent on a request, and how much of it in the database: the Server-Timing
header (`SERVER_TIMING=1`), which `make bench` reads and a browser's developer tools show.

Off by default: the numbers say something about the data behind a page (a search that takes
longer found more), so a production deployment turns it on only while it is being measured."""

import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse


class _DatabaseTime:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        database = _DatabaseTime()
        started = time.perf_counter()
        with connection.execute_wrapper(database):
            response = self.get_response(request)
        total = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (
            f'app;dur={total:.2f}, db;dur={database.seconds * 1000:.2f};desc="{database.queries} queries"'
        )
        return response
