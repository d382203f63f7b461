"""The JSON API for partner systems and integrations, with its OpenAPI document (ADR 5).

Served at /api/v1/; the OpenAPI document at /api/v1/openapi.json and readable documentation at
/api/v1/docs. The API does its own authentication per router, so the site's sign-in
requirement (LoginRequiredMiddleware) does not apply to it.
"""

from typing import Any

from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI

from earlyhelp.frontdoor.api import router as referrals_router
from earlyhelp.thresholds.api import router as thresholds_router

api = NinjaAPI(
    title="Early Help API",
    version="1",
    description=(
        "Referrals from partner systems (each with its own key: `Authorization: Bearer <key>`), "
        "and the thresholds decision support (open to all)."
    ),
    urls_namespace="api",
)
api.add_router("/thresholds", thresholds_router)
api.add_router("/referrals", referrals_router)


def api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            callback: Any = pattern.callback
            callback.login_required = False
    return patterns, app_name, namespace
