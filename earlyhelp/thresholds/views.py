"""Checking a level of need, browsing the matrix, and recording a child's level of need.

The check pages save nothing, so they use GET: a check can be bookmarked or sent to a colleague.
The public pages hold no personal data and need no sign-in. Recording a decision is in a child's
record, through `services.level_of_need_record`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.trail import record_view
from earlyhelp.core.forms import service_errors_show
from earlyhelp.core.numbers import is_ascii_digits
from earlyhelp.organisations.models import User, user_of
from earlyhelp.people import access
from earlyhelp.people.models import Person
from earlyhelp.thresholds import selectors, services
from earlyhelp.thresholds.definition import FrameworkDefinition
from earlyhelp.thresholds.forms import LevelOfNeedCheckForm, LevelOfNeedDecisionForm
from earlyhelp.thresholds.layout import indicator_layout, indicators_selected
from earlyhelp.thresholds.models import FrameworkVersion
from earlyhelp.thresholds.rules import Recommendation, recommend


def _chosen_version(request: HttpRequest) -> FrameworkVersion:
    version = selectors.framework_version_latest(request.GET.get("framework") or None)
    if version is None:
        raise Http404("No thresholds framework is loaded")
    return version


def _check_context(request: HttpRequest, *, public: bool) -> dict[str, Any]:
    version = _chosen_version(request)
    definition = version.definition
    submitted = "check" in request.GET or "indicators" in request.GET
    form = LevelOfNeedCheckForm(request.GET if submitted else None, definition=definition)
    result = None
    if submitted and form.is_valid():
        result = recommend(definition, form.cleaned_data["indicators"], form.facts())
    return {
        "public": public,
        "version": version,
        "definition": definition,
        "versions": selectors.framework_versions_latest(),
        "form": form,
        "result": result,
        "immediate_danger": bool(result and form.facts().immediate_danger),
        "layout": indicator_layout(definition, form.chosen),
        "selected": indicators_selected(definition, form.chosen),
    }


@require_GET
def check(request: HttpRequest) -> HttpResponse:
    return render(request, "thresholds/check.html", _check_context(request, public=False))


@login_not_required
@require_GET
def public_check(request: HttpRequest) -> HttpResponse:
    return render(request, "thresholds/check.html", _check_context(request, public=True))


@login_not_required
@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    version = _chosen_version(request)
    definition = version.definition
    level_text = request.GET.get("level", "")
    level = int(level_text) if is_ascii_digits(level_text) and int(level_text) in definition.level_numbers else None
    domain = request.GET.get("domain", "")
    domains = [d for group in definition.domain_groups for d in group.domains]
    if domain not in {d.id for d in domains}:
        domain = ""
    words = request.GET.get("words", "").strip()[:100]
    chosen = selectors.MatrixFilter(level=level, domain=domain, words=words)
    sections = selectors.matrix_browse(definition, chosen)
    return render(
        request,
        "thresholds/matrix.html",
        {
            "version": version,
            "definition": definition,
            "versions": selectors.framework_versions_latest(),
            "chosen": chosen,
            "domains": domains,
            "sections": sections,
            "count": sum(len(section.indicators) for section in sections),
            "special_lists": selectors.special_list_matches(definition, words) if not (level or domain) else [],
        },
    )


def _person_for_decision(user: User, pk: int) -> Person:
    person = access.get_person_for_editing(user, pk)
    if person.kind == Person.Kind.ADULT:
        # The matrix describes a child's needs; an adult's are recorded with their children.
        raise Http404("No such page")
    return _levels_of_need_open(user, person, attempted="change")


def _levels_of_need_open(user: User, person: Person, *, attempted: str) -> Person:
    """A partner opens a child's levels of need only with consent (ADR 21)."""
    if "levels_of_need" not in access.record_parts_open_to(user, person):
        raise access.refuse(user, "people.person", person.pk, f"{attempted} levels of need", "No such page")
    return person


@require_http_methods(["GET", "POST"])
def person_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    person = _person_for_decision(user, pk)
    record_view(actor=user, target=person)
    version = selectors.framework_version_latest()
    if version is None:
        raise Http404("No thresholds framework is loaded")
    if request.method == "POST":
        version = selectors.framework_version_posted(request.POST.get("version", ""), fallback=version)
    definition = version.definition
    form = LevelOfNeedDecisionForm(request.POST if request.method == "POST" else None, definition=definition)
    result: Recommendation | None = None
    if form.is_bound and form.is_valid():
        result = recommend(definition, form.cleaned_data["indicators"], form.facts())
        if request.POST.get("action") == "save":
            saved = _save_decision(request, form, user=user, person=person, version=version)
            if saved:
                return redirect(
                    _back_to(request) or reverse("people:person-detail", args=[person.pk]) + "#level-of-need"
                )
        elif not form.data.get("level") and result.level is not None:
            form = _with_level(request, definition, result.level)
    return render(
        request,
        "thresholds/person_decide.html",
        {
            "person": person,
            "version": version,
            "definition": definition,
            "form": form,
            "result": result,
            "immediate_danger": bool(result and form.facts().immediate_danger),
            "layout": indicator_layout(definition, form.chosen),
            "selected": indicators_selected(definition, form.chosen),
        },
    )


def _back_to(request: HttpRequest) -> str:
    """Where the page was opened from (`?next=`, only a path on this site): the assessment that
    asked for the level of need, say."""
    wanted = request.GET.get("next", "")
    safe = wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()})
    return wanted if safe else ""


def _with_level(request: HttpRequest, definition: FrameworkDefinition, level: int) -> LevelOfNeedDecisionForm:
    """The same answers with the recommended level chosen, ready for the practitioner to confirm."""
    data = request.POST.copy()
    data["level"] = str(level)
    refreshed = LevelOfNeedDecisionForm(data, definition=definition)
    refreshed.is_valid()
    return refreshed


def _save_decision(
    request: HttpRequest, form: LevelOfNeedDecisionForm, *, user: User, person: Person, version: FrameworkVersion
) -> bool:
    level = form.cleaned_data.get("level")
    try:
        services.level_of_need_record(
            actor=user,
            person=person,
            version=version,
            indicators=form.cleaned_data["indicators"],
            facts=form.facts(),
            level=level if isinstance(level, int) else 0,
            override_reason=form.cleaned_data.get("override_reason") or "",
        )
    except ValidationError as error:
        service_errors_show(form, error)
        return False
    messages.success(request, f"Level of need recorded for {person.display_name}")
    return True


@require_GET
def person_decision(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    user = user_of(request)
    person = _levels_of_need_open(user, access.get_person_for_user(user, pk), attempted="open")
    decision = selectors.decisions_for_person(person).filter(pk=decision_pk).first()
    if decision is None:
        raise Http404("No such decision")
    record_view(actor=user, target=person)
    definition = decision.definition
    return render(
        request,
        "thresholds/person_decision.html",
        {
            "person": person,
            "decision": decision,
            "definition": definition,
            "selected": indicators_selected(definition, set(decision.indicators)),
            "result": decision.recommendation,
            "immediate_danger": decision.facts.get("immediate_danger", False),
            "latest": selectors.framework_version_latest(decision.framework_version.framework.name),
        },
    )
