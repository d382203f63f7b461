"""The family's record: its chronology, genogram and ecomap, and referrals to other agencies.
Thin: fetch through casework's `access`, parse with a form, call one service, render or
redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.casework import access
from earlyhelp.casework.models import Assessment, EpisodeChild, PlanAction, StepUp
from earlyhelp.casework.selectors import assessment_as_written
from earlyhelp.core.forms import service_errors_show
from earlyhelp.core.jinja import rendered
from earlyhelp.core.templatetags.govuk_dates import govuk_date
from earlyhelp.organisations.models import user_of
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import refuse
from earlyhelp.people.models import FamilyMembership
from earlyhelp.records.access import get_agency_referral, get_document
from earlyhelp.records.chronology import Filters, family_chronology
from earlyhelp.records.documents import document_upload
from earlyhelp.records.family_maps import family_maps
from earlyhelp.records.forms import (
    AgencyReferralForm,
    AgencyReferralOutcomeForm,
    ChronologyEntryForm,
    ChronologyFiltersForm,
    DocumentForm,
)
from earlyhelp.records.models import AgencyReferral, Document
from earlyhelp.records.recording import chronology_entry_add
from earlyhelp.records.referring import agency_referral_make, agency_referral_outcome


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
    period = "".join(
        (
            f" from {govuk_date(filters.since)}" if filters.since else "",
            f" to {govuk_date(filters.until)}" if filters.until else "",
        )
    )
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
            "caption": f"{len(events)} event{pluralize(len(events))}{period}",
            "empty": "No events match what you chose." if form.is_bound else "No events.",
        },
    )


def _children_of(family_id: int) -> list[FamilyMembership]:
    return list(
        FamilyMembership.objects.filter(family_id=family_id, role=FamilyMembership.Role.CHILD)
        .select_related("person")
        .order_by("person__date_of_birth", "person_id")
    )


@require_http_methods(["GET", "POST"])
def chronology_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    children = _children_of(found.family_id)
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


@require_http_methods(["GET", "POST"])
def agency_referrals(request: HttpRequest, pk: int) -> HttpResponse:
    """The referrals made to other agencies during the episode, and a new one for whoever works it."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    can_work = access.can_work(user, found)
    children = _children_of(found.family_id)
    form = None
    if can_work:
        form = AgencyReferralForm(
            request.POST or None,
            authority_id=found.authority_id,
            children=[(membership.person_id, membership.person.full_name) for membership in children],
        )
    if request.method == "POST":
        if form is None:
            found = access.get_episode_for_working(user, pk)  # refused: 404, and recorded
        elif form.is_valid():
            try:
                agency_referral_make(actor=user, episode=found, details=form.details())
            except ValidationError as error:
                service_errors_show(form, error)
            else:
                messages.success(request, "Referral recorded.")
                return redirect("records:agency-referrals", pk=found.pk)
    referrals = list(
        AgencyReferral.objects.filter(episode=found).prefetch_related("children").order_by("-made_on", "-pk")
    )
    record_view(actor=user, target=found)
    record_listed(actor=user, shown=referrals, where=f"referrals of {found.reference}")
    return render(
        request,
        "records/agency_referrals.html",
        {"episode": found, "referrals": referrals, "form": form, "can_work": can_work},
    )


@require_http_methods(["GET", "POST"])
def agency_referral(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """What came of one referral."""
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    referral = get_agency_referral(user, found, referral_pk)
    form = AgencyReferralOutcomeForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency_referral_outcome(
                actor=user,
                referral=referral,
                outcome=data["outcome"],
                details=data.get("outcome_details") or "",
                on=data.get("outcome_on"),
                seen_version=form.seen_version,
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Outcome recorded.")
            return redirect("records:agency-referrals", pk=found.pk)
    record_view(actor=user, target=referral)
    return render(request, "records/agency_referral.html", {"episode": found, "referral": referral, "form": form})


@require_http_methods(["GET"])
def step_up_referral(request: HttpRequest, pk: int, step_up_pk: int) -> HttpResponse:
    """The referral to children's social care at a step-up: it carries the chronology, the
    assessment and the plan (FF §14.1; issue 14), printable, so the family need not tell their
    story again."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    chosen = (
        StepUp.objects.filter(episode=found, pk=step_up_pk, transfer_on__isnull=False)
        .select_related("raised_by", "decided_by")
        .first()
    )
    if chosen is None:
        raise refuse(user, "casework.stepup", step_up_pk, "open the referral of", "No referral yet")
    children = list(EpisodeChild.objects.filter(episode=found).select_related("person"))
    assessment = (
        Assessment.objects.filter(episode=found)
        .select_related("template", "level_of_need")
        .order_by("-authorised_at", "-started_at", "-pk")
        .first()
    )
    built = family_chronology(found.family, episodes=[found], whole_history=user.can(Permission.VIEW_AUTHORITY_RECORDS))
    record_view(actor=user, target=found)
    record_view(actor=user, target=found.family)
    record_listed(actor=user, shown=built.people, where=f"step-up referral {found.reference}")
    return render(
        request,
        "records/step_up_referral.html",
        {
            "episode": found,
            "step_up": chosen,
            "children": children,
            "assessment": assessment,
            "sections": assessment_as_written(assessment, children) if assessment else [],
            "actions": list(PlanAction.objects.filter(episode=found)),
            "chronology": built,
            "events": built.events,
        },
    )


@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's documents from this episode, and uploading one for whoever works it."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    can_work = access.can_work(user, found)
    children = _children_of(found.family_id)
    form = None
    if can_work:
        form = DocumentForm(
            request.POST or None,
            request.FILES or None,
            children=[(membership.person_id, membership.person.full_name) for membership in children],
        )
    if request.method == "POST":
        if form is None:
            found = access.get_episode_for_working(user, pk)  # refused: 404, and recorded
        elif form.is_valid():
            try:
                document_upload(actor=user, episode=found, details=form.details())
            except ValidationError as error:
                service_errors_show(form, error)
            else:
                messages.success(request, "Document uploaded.")
                return redirect("records:documents", pk=found.pk)
    listed = list(Document.objects.filter(episode=found).select_related("uploaded_by").prefetch_related("children"))
    record_view(actor=user, target=found)
    record_listed(actor=user, shown=listed, where=f"documents of {found.reference}")
    return render(request, "records/documents.html", {"episode": found, "documents": listed, "form": form})


@require_http_methods(["GET"])
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """The file itself, after the access check: always as a download, never shown in the page
    (a file someone uploaded is never run or rendered by the browser), never cached, audited."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    document = get_document(user, found, document_pk)
    record_view(actor=user, target=document)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
