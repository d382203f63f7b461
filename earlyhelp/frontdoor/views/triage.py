"""Triage: the queue, a contact, matching its people, the level of need, the decision, and a
team leader's confirmation. Views fetch only through `access.py` and write only through
`services.py`; every contact opened and every person listed is audited."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.core.forms import STALE_FORM, service_errors_show
from earlyhelp.core.numbers import record_id
from earlyhelp.core.pdf import copy_response
from earlyhelp.core.workflow import StaleEditError
from earlyhelp.directory.selectors import ServiceFilter, services_matching
from earlyhelp.frontdoor import access, consent, deciding, matching, selectors
from earlyhelp.frontdoor.clock import decided_in_time, decision_clock, rules_of
from earlyhelp.frontdoor.decision_rules import main_child, social_care_recommended
from earlyhelp.frontdoor.forms import ConfirmationForm, ContactAreaForm, ContactConsentForm, TriageDecisionForm
from earlyhelp.frontdoor.models import Contact, ContactPerson
from earlyhelp.frontdoor.notifications import family_addressee, outcome_context
from earlyhelp.organisations.models import User, user_of
from earlyhelp.people import access as people_access
from earlyhelp.people.checking import people_to_check
from earlyhelp.people.models import PersonToCheck
from earlyhelp.people.selectors import likely_matches, restricted_match_words, restricted_matches
from earlyhelp.thresholds.forms import LevelOfNeedDecisionForm
from earlyhelp.thresholds.layout import indicator_layout, indicators_selected
from earlyhelp.thresholds.models import FrameworkVersion
from earlyhelp.thresholds.rules import Recommendation, recommend
from earlyhelp.thresholds.selectors import framework_version_latest, framework_version_posted


def _require_triage(user: User) -> None:
    if not access.can_triage(user):
        raise Http404("No such page")


@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_triage(user)
    waiting = selectors.triage_queue(
        authority_id=user.authority_id,
        now=timezone.now(),
        rules=rules_of(user.authority),
        page=request.GET.get("page", 1),
    )
    # Only the contacts on the page shown were read.
    record_listed(actor=user, shown=[row.contact for row in waiting.rows], where="front door queue")
    context = {
        "rows": waiting.rows,
        "counts": waiting.counts,
        "page": waiting.page,
        "query": "",
        "can_confirm": access.can_confirm_overrides(user),
        "people_to_check": people_to_check(user=user).filter(status=PersonToCheck.Status.WAITING).count(),
    }
    return render(request, "frontdoor/queue.html", context)


def _contact_context(user: User, contact: Contact, area_form: ContactAreaForm | None = None) -> dict[str, Any]:
    people = selectors.contact_people(user=user, contact=contact)
    entries = [item.entry for item in people]
    earlier = list(selectors.earlier_contacts(contact, entries)) if contact.re_referral else []
    decisions = selectors.decisions_for(contact)
    children = [item for item in people if item.entry.is_child]
    return {
        "contact": contact,
        "people": people,
        "children": children,
        "unmatched": [item for item in people if item.entry.person_id is None],
        "earlier": earlier,
        "decisions": decisions,
        "clock": (
            decision_clock(
                contact.received_at,
                timezone.now(),
                immediate_danger=contact.immediate_danger,
                rules=rules_of(contact.authority),
            )
            if contact.is_open
            else None
        ),
        "decided_in_time": (
            decided_in_time(contact.received_at, contact.decided_at, rules_of(contact.authority))
            if contact.decided_at is not None
            else None
        ),
        "needs": list(contact.needs.all()),
        # The first child on the referral (decision_rules.main_child), from the people just fetched.
        "main_child": children[0].entry if children else None,
        "area_form": area_form or ContactAreaForm(initial={"area": contact.area_id}, contact=contact),
        "can_confirm": access.can_confirm_overrides(user),
    }


@require_http_methods(["GET", "POST"])
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    contact = access.get_contact_for_triage(user, pk)
    area_form = None
    if request.method == "POST":
        area_form = ContactAreaForm(request.POST, contact=contact)
        if area_form.is_valid():
            try:
                deciding.contact_area_set(
                    actor=user,
                    contact=contact,
                    area=area_form.cleaned_data["area"],
                    seen_version=area_form.seen_version,
                )
            except ValidationError as error:
                service_errors_show(area_form, error)
            else:
                messages.success(request, "The area has been saved.")
                return redirect("frontdoor:contact", pk=contact.pk)
    record_view(actor=user, target=contact)
    context = _contact_context(user, contact, area_form)
    matched = [item.entry.person for item in context["people"] if item.entry.person is not None]
    suggested = [match.person for item in context["unmatched"] for match in item.matches]
    record_listed(actor=user, shown=[*matched, *suggested], where=f"contact {contact.reference}")
    return render(request, "frontdoor/contact.html", context)


def _entry_for(contact: Contact, entry_pk: int) -> ContactPerson:
    entry: ContactPerson | None = contact.people.filter(pk=entry_pk).select_related("person").first()
    if entry is None:
        raise Http404("No such person on this contact")
    return entry


@require_http_methods(["GET", "POST"])
def contact_person(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Is this person on the referral someone already known? Pick the record, or create one."""
    user = user_of(request)
    contact = access.get_contact_for_triage(user, pk)
    entry = _entry_for(contact, entry_pk)
    error = ""
    if request.method == "POST":
        choice = request.POST.get("person", "")
        seen = record_id(request.POST.get("version"))
        try:
            if seen is None:
                error = STALE_FORM
            elif choice == "new":
                matching.contact_person_record(actor=user, entry=entry, seen_version=seen)
            elif (person_pk := record_id(choice)) is not None:
                person = people_access.get_person_for_user(user, person_pk)
                matching.contact_person_match(actor=user, entry=entry, person=person, seen_version=seen)
            else:
                error = "Select the record that is this person, or say that none of them is"
        except StaleEditError:
            entry = _entry_for(contact, entry_pk)
            matched = entry.person.reference if entry.person else "no record"
            error = (
                f"Someone else matched {entry.full_name} to {matched} after you opened this page. "
                "Check, then choose again"
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        if not error:
            messages.success(request, f"{entry.full_name} is matched to a record.")
            return redirect("frontdoor:contact", pk=contact.pk)
    record_view(actor=user, target=contact)
    proposed = selectors.proposed_from(entry)
    matches = likely_matches(user=user, proposed=proposed)
    record_listed(
        actor=user, shown=[match.person for match in matches], where=f"possible matches on {contact.reference}"
    )
    asks = restricted_matches(user=user, proposed=proposed) if entry.person_id is None else []
    return render(
        request,
        "frontdoor/contact_person.html",
        {
            "contact": contact,
            "entry": entry,
            "matches": matches,
            "error": error,
            "version": entry.version,
            "restricted": restricted_match_words(asks) if asks else "",
        },
    )


def _level_form_data(contact: Contact) -> dict[str, Any]:
    consent = {"given": "given", "refused": "refused"}.get(contact.consent, "not_asked")
    data: dict[str, Any] = {"indicators": contact.indicators, "consent": consent, "check": "1"}
    if contact.immediate_danger:
        data["immediate_danger"] = "on"
    return data


@require_http_methods(["GET", "POST"])
def contact_level(request: HttpRequest, pk: int) -> HttpResponse:
    """The level of need, through the thresholds tool, starting from what the referrer ticked."""
    user = user_of(request)
    contact = access.get_contact_for_triage(user, pk)
    child = main_child(contact)
    version = framework_version_latest()
    if version is None:
        raise Http404("No thresholds framework is loaded")
    data = QueryDict(mutable=True)
    if request.method == "POST":
        version = framework_version_posted(request.POST.get("version", ""), fallback=version)
        data = request.POST.copy()
    else:
        for key, value in _level_form_data(contact).items():
            data.setlist(key, value if isinstance(value, list) else [value])
    definition = version.definition
    form = LevelOfNeedDecisionForm(data, definition=definition)
    result: Recommendation | None = None
    if form.is_valid():
        result = recommend(definition, form.cleaned_data["indicators"], form.facts())
        if result.level is not None and request.POST.get("action") != "save":
            # Each check proposes the level it recommends, ready to confirm or change.
            data["level"] = str(result.level)
            form = LevelOfNeedDecisionForm(data, definition=definition)
            form.is_valid()
        saving = request.method == "POST" and request.POST.get("action") == "save"
        if saving and _level_saved(user, contact, version, form):
            messages.success(request, "The level of need has been recorded.")
            return redirect("frontdoor:contact", pk=contact.pk)
    record_view(actor=user, target=contact)
    return render(
        request,
        "frontdoor/contact_level.html",
        {
            "contact": contact,
            "child": child,
            "version": version,
            "definition": definition,
            "form": form,
            "result": result,
            "immediate_danger": bool(result and form.facts().immediate_danger),
            "layout": indicator_layout(definition, form.chosen),
            "selected": indicators_selected(definition, form.chosen),
        },
    )


def _level_saved(user: User, contact: Contact, version: FrameworkVersion, form: LevelOfNeedDecisionForm) -> bool:
    level = form.cleaned_data.get("level")
    try:
        deciding.contact_level_of_need_record(
            actor=user,
            contact=contact,
            version=version,
            indicators=form.cleaned_data["indicators"],
            facts=form.facts(),
            level=level if isinstance(level, int) else 0,
            override_reason=form.cleaned_data.get("override_reason") or "",
        )
    except ValidationError as error:
        service_errors_show(form, error)
        return False
    return True


def children_ages(contact: Contact) -> tuple[int, ...]:
    today = timezone.localdate()
    return tuple(age for entry in contact.people.all() if entry.is_child and (age := entry.age_on(today)) is not None)


def services_for(contact: Contact) -> list[Any]:
    level = contact.level_of_need.level if contact.level_of_need else None
    criteria = ServiceFilter(
        level=level, area=contact.area, ages=children_ages(contact), needs=tuple(contact.needs.all())
    )
    return list(services_matching(authority=contact.authority, criteria=criteria)[:20])


# Where the service names a problem by its keyword and the form by its field.
DECISION_FIELD_FOR = {"discuss_anonymously": "discussion"}


@require_http_methods(["GET", "POST"])
def contact_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    contact = access.get_contact_for_triage(user, pk)
    fitting = services_for(contact)
    form = TriageDecisionForm(request.POST or None, contact=contact, services=fitting, ages=children_ages(contact))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = deciding.contact_decide(
                actor=user,
                contact=contact,
                outcome=data["outcome"],
                reasons=data["reasons"],
                service=data["service"],
                team=data["team"],
                meeting_area=data["meeting_area"],
                override_reason=data["override_reason"],
                tell_family=data["tell_family"],
                discuss_anonymously=form.discuss_anonymously,
                consent_not_in_writing_because=data["consent_not_in_writing_because"],
            )
        except ValidationError as error:
            service_errors_show(form, error, field_for=DECISION_FIELD_FOR)
        else:
            if decision.needs_confirmation:
                messages.success(request, "Decision saved. A team leader must confirm it before anyone is told.")
            else:
                messages.success(request, f"Decision saved: {decision.get_outcome_display().lower()}.")
            return redirect("frontdoor:contact", pk=contact.pk)
    record_view(actor=user, target=contact)
    return render(
        request,
        "frontdoor/contact_decide.html",
        {
            "contact": contact,
            "form": form,
            "fitting": fitting,
            "needs_override": social_care_recommended(contact),
            "ready": not any(entry.person_id is None for entry in contact.people.all()) and contact.level_of_need_id,
        },
    )


@require_http_methods(["GET", "POST"])
def contact_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the family's consent during triage, or correct it; its history below."""
    user = user_of(request)
    contact = access.get_contact_for_triage(user, pk)
    form = ContactConsentForm(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        try:
            consent.contact_consent_record(
                actor=user,
                contact=contact,
                consent=form.details(),
                note=form.cleaned_data["note"],
                seen_version=form.seen_version,
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "The family's consent has been recorded.")
            return redirect("frontdoor:contact", pk=contact.pk)
    record_view(actor=user, target=contact)
    context = {"contact": contact, "form": form, "history": consent.consent_history(contact)}
    return render(request, "frontdoor/contact_consent.html", context)


@require_http_methods(["GET"])
def contact_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcome as a letter to print, to the family or to the referrer (?to=referrer)."""
    user = user_of(request)
    contact = access.get_contact_for_triage(user, pk)
    decision = next((item for item in selectors.decisions_for(contact) if item.is_final), None)
    if decision is None:
        raise Http404("No decision to write about yet")
    record_view(actor=user, target=contact)
    for_family = request.GET.get("to") != "referrer"
    addressee = family_addressee(contact) if for_family else None
    context = outcome_context(decision, for_family=for_family) | {"addressee": addressee, "today": timezone.localdate()}
    to = "family" if for_family else "referrer"
    return copy_response(request, "frontdoor/letter.html", context, filename=f"letter-{to}-{contact.reference}.pdf")


@require_http_methods(["GET"])
def confirmations(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not access.can_confirm_overrides(user):
        raise Http404("No such page")
    waiting = selectors.awaiting_confirmation(contacts=access.contacts_for_triage(user))
    record_listed(actor=user, shown=[decision.contact for decision in waiting], where="decisions to confirm")
    return render(request, "frontdoor/confirmations.html", {"waiting": waiting})


@require_http_methods(["GET", "POST"])
def confirmation(request: HttpRequest, decision_pk: int) -> HttpResponse:
    user = user_of(request)
    decision = access.get_decision_for_confirmation(user, decision_pk)
    form = ConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == "confirm":
                deciding.triage_confirm(actor=user, decision=decision)
                messages.success(request, f"You confirmed the decision for {decision.contact.reference}.")
            else:
                deciding.triage_return(actor=user, decision=decision, because=form.cleaned_data["because"])
                messages.success(request, f"{decision.contact.reference} is back on the queue for a new decision.")
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            return redirect("frontdoor:confirmations")
    record_view(actor=user, target=decision.contact)
    return render(
        request, "frontdoor/confirmation.html", {"decision": decision, "contact": decision.contact, "form": form}
    )
