from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from earlyhelp.audit.trail import RequestOrigin, request_origin


class AuditOriginMiddleware:
    """Makes "from where" (address, browser, page) available to every audit row this request writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = RequestOrigin(
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            path=request.get_full_path()[:500],
        )
        with request_origin(origin):
            return self.get_response(request)
