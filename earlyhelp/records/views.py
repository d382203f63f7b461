"""The family's record: its chronology, genogram and ecomap. Thin: fetch through casework's `access`, parse with a
form, call one service, render or redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.casework import access
from earlyhelp.core.forms import service_errors_show
from earlyhelp.core.jinja import rendered
from earlyhelp.organisations.models import user_of
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.models import FamilyMembership
from earlyhelp.records.chronology import Filters, family_chronology
from earlyhelp.records.family_maps import family_maps
from earlyhelp.records.forms import ChronologyEntryForm, ChronologyFiltersForm
from earlyhelp.records.recording import chronology_entry_add


@require_http_methods(["GET"])
def chronology(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    whole = user.can(Permission.VIEW_AUTHORITY_RECORDS)
    built = family_chronology(found.family, episodes=[found], whole_history=whole)
    form = ChronologyFiltersForm(request.GET or None, children=built.children)
    filters = Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = Filters(
            child=data.get("child"),
            kinds=frozenset(data.get("kinds") or ()),
            since=data.get("since"),
            until=data.get("until"),
        )
    record_view(actor=user, target=found)
    record_view(actor=user, target=found.family)
    record_listed(
        actor=user,
        shown=built.people,
        where=f"chronology of {found.reference}",
    )
    events = built.shown(filters)
    return render(
        request,
        "records/chronology.html",
        {
            "episode": found,
            "chronology": built,
            "events": events,
            "form": form,
            "filters": filters,
            "child_name": built.child_name(filters.child),
            "can_work": access.can_work(user, found),
        },
    )


@require_http_methods(["GET", "POST"])
def chronology_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    children = list(
        FamilyMembership.objects.filter(family_id=found.family_id, role=FamilyMembership.Role.CHILD)
        .select_related("person")
        .order_by("person__date_of_birth", "person_id")
    )
    choices = [(membership.person_id, membership.person.full_name) for membership in children]
    form = ChronologyEntryForm(request.POST or None, children=choices)
    if request.method == "POST" and form.is_valid():
        try:
            chronology_entry_add(actor=user, episode=found, details=form.details())
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Added to the chronology.")
            return redirect("records:chronology", pk=found.pk)
    record_view(actor=user, target=found)
    record_listed(
        actor=user, shown=[membership.person for membership in children], where=f"chronology of {found.reference}"
    )
    return render(request, "records/chronology_add.html", {"episode": found, "form": form})


@require_http_methods(["GET"])
def genogram_and_ecomap(request: HttpRequest, pk: int) -> HttpResponse:
    """Both pictures, drawn from the record, each with its text alternative (WCAG 1.1.1)."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    maps = family_maps(user, found, today=timezone.localdate())
    record_view(actor=user, target=found)
    record_listed(actor=user, shown=maps.records, where=f"genogram and ecomap of {found.reference}")
    family = str(found.family)
    return render(
        request,
        "records/genogram_and_ecomap.html",
        {
            "episode": found,
            "maps": maps,
            "genogram": rendered("records/genogram.svg", picture=maps.genogram, family=family),
            "ecomap": rendered("records/ecomap.svg", picture=maps.ecomap, family=family),
        },
    )
