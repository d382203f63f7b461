"""The services directory, open to everyone: families, partners and the front door find help in
the community by level of need, area, age and need. It holds no personal data."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from earlyhelp.directory.forms import ServiceSearchForm
from earlyhelp.directory.selectors import ServiceFilter, services_matching
from earlyhelp.organisations.models import Authority


@login_not_required
@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    authority = request.user.authority if request.user.is_authenticated else Authority.objects.current()
    form = ServiceSearchForm(request.GET or None, authority=authority)
    criteria = ServiceFilter()
    if form.is_valid():
        data = form.cleaned_data
        criteria = ServiceFilter(
            level=int(data["level"]) if data["level"] else None,
            area=data["area"],
            ages=(data["age"],) if data["age"] is not None else (),
            needs=tuple(data["needs"]),
            words=data["words"],
        )
    found = services_matching(authority=authority, criteria=criteria) if authority else None
    page = Paginator(found, 20).get_page(request.GET.get("page")) if found is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "directory/service_list.html", {"form": form, "page": page, "query": query.urlencode()})
