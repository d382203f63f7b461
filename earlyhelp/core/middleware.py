"""Limits on what a request may carry: its size, and values the database cannot store."""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def _unreadable(text: str) -> str | None:
    """Why a value cannot be stored or shown: a NUL byte, or half of a character (a lone surrogate)."""
    if "\x00" in text:
        return "contains a null character (\\u0000), which is not allowed"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains an incomplete character (an unpaired surrogate), which is not allowed"
    return None


def _json_strings(value: Any, where: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield [*where, str(key)], str(key)
            yield from _json_strings(item, [*where, str(key)])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, [*where, index])


def request_length(request: HttpRequest) -> int:
    """The body's declared length (the body itself may already have been read as a form)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _uploads(request: HttpRequest) -> bool:
    """A page that takes a document (settings UPLOAD_PATHS): its limit is the document's."""
    return request.method == "POST" and any(re.match(pattern, request.path) for pattern in settings.UPLOAD_PATHS)


def largest_body(request: HttpRequest) -> int:
    if _uploads(request):
        # The file, and room for the form's other fields and the multipart framing.
        return int(settings.DOCUMENT_LARGEST_BYTES) + int(settings.LARGEST_REQUEST_BYTES)
    return int(settings.LARGEST_REQUEST_BYTES)


def too_large(request: HttpRequest) -> HttpResponse:
    limit = largest_body(request)
    if _is_api(request):
        return JsonResponse(
            {"detail": f"The request body is larger than this service accepts ({limit:,} bytes)."}, status=413
        )
    return render(request, "413.html", {"limit_kb": limit // 1024, "upload": _uploads(request)}, status=413)


class RequestLimitsMiddleware:
    """Refuses, with a clear message, what no page or API operation can use: a body over the size
    limit (413), and a NUL byte or half a character in a query parameter, a form field or a JSON
    value (400 for the query and forms, 422 for JSON, naming where it is)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_length(request) > largest_body(request):
            return too_large(request)
        try:
            problem = self._problem(request)
        except RequestDataTooBig:
            return too_large(request)
        if problem is not None:
            return problem
        return self.get_response(request)

    def _problem(self, request: HttpRequest) -> HttpResponse | None:
        for name, values in request.GET.lists():
            for value in [name, *values]:
                why = _unreadable(value)
                if why:
                    return self._refuse(request, ["query", name], why, status=400)
        content_type = request.content_type or ""
        if request.method in ("POST", "PUT", "PATCH") and content_type == "application/json":
            return self._json_problem(request)
        if request.method == "POST" and content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, values in request.POST.lists():
                for value in [name, *values]:
                    why = _unreadable(value)
                    if why:
                        return self._refuse(request, ["form", name], why, status=400)
        return None

    def _json_problem(self, request: HttpRequest) -> HttpResponse | None:
        try:
            body = json.loads(request.body)
        except ValueError:
            return None  # the API says what is wrong with JSON it cannot read
        for where, value in _json_strings(body, ["body"]):
            why = _unreadable(value)
            if why:
                return self._refuse(request, where, why, status=422)
        return None

    def _refuse(self, request: HttpRequest, where: list[str | int], why: str, *, status: int) -> HttpResponse:
        label = ".".join(str(part) for part in where[1:]) or "the request"
        if _is_api(request):
            return JsonResponse({"detail": [{"loc": where, "msg": f"{label} {why}"}]}, status=status)
        return render(request, "400.html", {"problem": f"What was sent as “{label}” {why}."}, status=400)
