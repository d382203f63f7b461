"""Refused access: every attempt to open, change or list a record someone may not see, for team
leaders, newest first, with a count per person per day so that someone sweeping ids stands out."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import user_of
from earlyhelp.organisations.roles import Permission

WHAT = {
    "people.person": "person",
    "people.family": "family",
    "frontdoor.contact": "contact",
    "frontdoor.triagedecision": "triage decision",
}


@never_cache
@require_http_methods(["GET"])
def refused_access(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not user.can(Permission.VIEW_RECORD_ACCESS_LOG):
        raise Http404("No such page")
    refused = AuditEvent.objects.filter(verb=AuditEvent.Verb.REFUSED, actor__authority_id=user.authority_id)
    per_day = list(
        refused.annotate(day=TruncDate("occurred_at"))
        .values("actor_id", "actor_label", "day")
        .annotate(attempts=Count("id"))
        .order_by("-day", "-attempts", "actor_label")[:100]
    )
    page = Paginator(refused.order_by("-occurred_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "audit/refused_access.html", {"per_day": per_day, "page": page, "what": WHAT, "query": ""})
