"""Every request's "from where" for the audit rows it writes."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from earlyhelp.audit.trail import RequestOrigin, reads_recorded_together, request_origin
from earlyhelp.core.addresses import client_address


class AuditOriginMiddleware:
    """Makes "from where" (address, browser, page) available to every audit row this request writes,
    and writes the request's read rows together before its response leaves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = RequestOrigin(
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            path=request.get_full_path()[:500],
        )
        with request_origin(origin), reads_recorded_together():
            response = self.get_response(request)
        return response
