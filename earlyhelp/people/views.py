"""Pages for finding, reading and changing people, families and relationships.

Views fetch records only through `access.py`, read through `selectors.py` and write only through
`services.py`. Each read of a record is audited here, where the reading happens.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import record_listed, record_refused, record_search, record_view
from earlyhelp.core.forms import service_errors_show
from earlyhelp.core.numbers import record_id
from earlyhelp.core.paging import BoundedPaginator
from earlyhelp.organisations.models import User, user_of
from earlyhelp.organisations.roles import Permission
from earlyhelp.people import access, checking, selectors, services
from earlyhelp.people.forms import (
    FamilyForm,
    FamilyMemberChoiceForm,
    FamilyMembershipForm,
    PersonForm,
    PersonSearchForm,
    RelationshipChangeForm,
    RelationshipForm,
)
from earlyhelp.people.models import Family, Person

PAGE_SIZE = 25
# A search counts and offers at most this many matches (core/paging.py).
SEARCH_LIMIT = selectors.SEARCH_LIMIT
DRAFT_KEY = "person_draft"


def _require_can_add(user: User) -> None:
    if not access.can_add_people(user):
        raise Http404("No such page")


def _require_can_search(user: User) -> None:
    if not access.can_search_people(user):
        raise Http404("No such page")


# Finding people -----------------------------------------------------------------------------


@require_http_methods(["GET"])
def person_search(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_can_search(user)
    form = PersonSearchForm(request.GET or None)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        criteria = selectors.SearchCriteria(
            name=data["name"],
            date_of_birth=data["date_of_birth"],
            postcode=data["postcode"],
            nhs_number=data["nhs_number"],
            upn=data["upn"],
        )
        found = selectors.person_search(user=user, criteria=criteria)
        page = BoundedPaginator(found.people, PAGE_SIZE, limit=SEARCH_LIMIT, counted=found.counted).get_page(
            request.GET.get("page")
        )
        record_search(actor=user, criteria=criteria.as_audit_details(), found=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "can_add": access.can_add_people(user)}
    return render(request, "people/search.html", context)


# A person -----------------------------------------------------------------------------------


@require_http_methods(["GET"])
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    person = access.get_person_for_user(user, pk)
    record_view(actor=user, target=person)
    with_viewers = access.can_see_who_viewed(user)
    parts = access.record_parts_open_to(user, person)
    page = selectors.person_page(user=user, person=person, with_viewers=with_viewers)
    record_listed(actor=user, shown=[other for _, other, _ in page.relationships], where="relationships")
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "page": page,
            "parts": parts,
            "not_shared": _not_shared_words(user),
            "can_edit": access.can_edit_person(user, person),
            "can_restrict": access.can_restrict(user),
            "can_manage_retention": user.can(Permission.MANAGE_RETENTION),
            "with_viewers": with_viewers,
            "can_merge": access.can_merge_people(user),
            "merges": selectors.merges_into(person),
        },
    )


def _not_shared_words(user: User) -> str:
    if user.can(Permission.VIEW_AUTHORITY_RECORDS):
        return "Not shown to your role"
    return "Not shared with your agency: the family’s consent to share does not cover it"


@require_http_methods(["GET"])
def person_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Every time this record was opened, found, listed or changed, and by whom, newest first."""
    user = user_of(request)
    person = access.get_person_for_user(user, pk)
    if not access.can_see_who_viewed(user):
        raise Http404("No such page")
    record_view(actor=user, target=person)
    events = AuditEvent.objects.for_target(person._meta.label_lower, person.pk).order_by("-occurred_at", "-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    actors = {event.actor_id for event in page.object_list if event.actor_id}
    reasons = selectors.reasons_for_access(person=person, actor_ids=actors)
    rows = [(event, reasons.get(event.actor_id or 0, "")) for event in page.object_list]
    return render(request, "people/person_access_log.html", {"person": person, "page": page, "rows": rows, "query": ""})


def _person_details(form: PersonForm) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name in services.PERSON_FIELDS}


def _proposed(form: PersonForm) -> selectors.ProposedPerson:
    data = form.cleaned_data
    return selectors.ProposedPerson(
        first_name=data["first_name"],
        last_name=data["last_name"],
        date_of_birth=data["date_of_birth"] or data["expected_date_of_delivery"],
        postcode=data["postcode"],
        nhs_number=data["nhs_number"],
        upn=data["upn"],
    )


def _family_from_query(request: HttpRequest, user: User) -> Family | None:
    family_pk = record_id(request.GET.get("family") or request.POST.get("family"))
    if family_pk is None:
        return None
    return access.get_family_for_editing(user, family_pk)


def _after_person_created(request: HttpRequest, person: Person, family: Family | None) -> HttpResponse:
    if family is not None:
        messages.success(request, f"{person.full_name} has been recorded. Now say what their role in the family is.")
        return redirect(reverse("people:family-member-add", args=[family.pk]) + f"?person={person.pk}")
    messages.success(request, f"{person.full_name} has been recorded.")
    return redirect("people:person-detail", pk=person.pk)


def _create_person(request: HttpRequest, user: User, form: PersonForm, family: Family | None) -> HttpResponse | None:
    asks = selectors.restricted_matches(user=user, proposed=_proposed(form))
    if asks:
        # Never a second record of a restricted person (ADR 22): the page says whom to ask.
        form.add_error(None, selectors.restricted_match_words(asks))
        return None
    try:
        person = services.person_create(actor=user, details=_person_details(form))
    except ValidationError as error:
        form.add_error(None, error)
        return None
    request.session.pop(DRAFT_KEY, None)
    return _after_person_created(request, person, family)


@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_can_add(user)
    family = _family_from_query(request, user)
    if request.method == "POST":
        form = PersonForm(request.POST, user=user)
        if form.is_valid() and form.held_elsewhere:
            return _send_to_check(request, user, form)
        if form.is_valid():
            matches = selectors.likely_matches(user=user, proposed=_proposed(form))
            if matches:
                # Keep what was typed, so that "none of these" creates it and "go back" shows it.
                request.session[DRAFT_KEY] = {"data": request.POST.dict(), "family": family.pk if family else None}
                return redirect("people:person-matches")
            response = _create_person(request, user, form, family)
            if response is not None:
                return response
    else:
        draft = request.session.get(DRAFT_KEY)
        form = PersonForm(draft["data"], user=user) if draft and request.GET.get("draft") else PersonForm(user=user)
    record_listed(actor=user, shown=form.identifier_holders, where="same NHS number or UPN")
    return render(request, "people/person_form.html", {"form": form, "family": family, "adding": True})


def _send_to_check(request: HttpRequest, user: User, form: PersonForm) -> HttpResponse:
    """The identifier is on a record the user may not see: the front door checks; nothing is added."""
    item = checking.person_to_check_add(actor=user, details=_person_details(form), held_by=form.held_elsewhere)
    request.session.pop(DRAFT_KEY, None)
    return render(request, "people/person_to_check_sent.html", {"item": item})


@require_http_methods(["GET", "POST"])
def person_matches(request: HttpRequest) -> HttpResponse:
    """Likely existing records for the person being added: pick one, or confirm a new one."""
    user = user_of(request)
    _require_can_add(user)
    draft = request.session.get(DRAFT_KEY)
    if not draft:
        return redirect("people:person-add")
    form = PersonForm(draft["data"], user=user)
    family = access.get_family_for_editing(user, draft["family"]) if draft.get("family") else None
    if form.is_valid() and form.held_elsewhere:
        return _send_to_check(request, user, form)
    if not form.is_valid():
        return render(request, "people/person_form.html", {"form": form, "family": family, "adding": True})
    data = form.cleaned_data
    matches = selectors.likely_matches(user=user, proposed=_proposed(form))
    same_identifier = any(match.strength == 2 for match in matches)
    record_listed(actor=user, shown=[match.person for match in matches], where="likely matches")
    if request.method == "POST" and request.POST.get("choice") == "new" and not same_identifier:
        response = _create_person(request, user, form, family)
        if response is not None:
            return response
        if form.non_field_errors():
            return render(request, "people/person_form.html", {"form": form, "family": family, "adding": True})
    return render(
        request,
        "people/person_matches.html",
        {"matches": matches, "typed": data, "family": family, "same_identifier": same_identifier},
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    person = access.get_person_for_editing(user, pk)
    health = "health" in access.record_parts_open_to(user, person)
    if request.method == "POST":
        form = PersonForm(request.POST, user=user, person=person, health=health)
        if form.is_valid():
            try:
                services.person_update(
                    actor=user, person=person, details=_person_details(form), seen_version=form.seen_version
                )
            except ValidationError as error:
                service_errors_show(form, error)
            else:
                messages.success(request, f"{person.full_name}’s details have been saved.")
                return redirect("people:person-detail", pk=person.pk)
        record_listed(actor=user, shown=form.identifier_holders, where="same NHS number or UPN")
        for holder in form.held_elsewhere:
            record_refused(actor=user, target_type="people.person", target_id=holder.pk, attempted="copy-identifier")
    else:
        record_view(actor=user, target=person)
        initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
        form = PersonForm(initial=initial, user=user, person=person, health=health)
    return render(request, "people/person_form.html", {"form": form, "person": person, "adding": False})


# Relationships --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def relationship_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    person = access.get_person_for_editing(user, pk)
    search = request.GET.get("q", "")
    candidates = selectors.relationship_candidates(
        user=user, person=person, search=search, chosen=request.POST.get("other_person")
    )
    form = RelationshipForm(request.POST or None, person=person, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.relationship_add(
                actor=user,
                from_person=data["from_person"],
                to_person=data["to_person"],
                kind=data["relationship_kind"],
                details=data["details"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The relationship has been recorded.")
            return redirect("people:person-detail", pk=person.pk)
    record_listed(actor=user, shown=candidates, where="relationship picker")
    return render(request, "people/relationship_form.html", {"form": form, "person": person, "search": search})


@require_http_methods(["GET", "POST"])
def relationship_edit(request: HttpRequest, pk: int, relationship_pk: int) -> HttpResponse:
    user = user_of(request)
    person = access.get_person_for_editing(user, pk)
    relationship = access.get_relationship_for_editing(user, person, relationship_pk)
    form = RelationshipChangeForm(
        request.POST or None, initial={"details": relationship.details}, record_version=relationship.version
    )
    if request.method == "POST" and form.is_valid():
        removing = request.POST.get("action") == "remove"
        try:
            if removing:
                services.relationship_remove(actor=user, relationship=relationship, seen_version=form.seen_version)
            else:
                services.relationship_update(
                    actor=user,
                    relationship=relationship,
                    kind=relationship.kind,
                    details=form.cleaned_data["details"],
                    seen_version=form.seen_version,
                )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, f"The relationship has been {'removed' if removing else 'saved'}.")
            return redirect("people:person-detail", pk=person.pk)
    return render(
        request,
        "people/relationship_edit.html",
        {
            "form": form,
            "person": person,
            "relationship": relationship,
            "label": relationship.label_from(person),
            "other": relationship.other_person(person),
        },
    )


# Families -------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    family = access.get_family_for_user(user, pk)
    record_view(actor=user, target=family)
    members, hidden_count = selectors.family_members(user=user, family=family)
    record_listed(actor=user, shown=[membership.person for membership in members], where="family page")
    return render(
        request,
        "people/family_detail.html",
        {
            "family": family,
            "members": members,
            "hidden_count": hidden_count,
            "relationships": selectors.family_relationships(members=members),
            "can_edit": access.can_edit_family(user, family),
            "can_restrict": access.can_restrict(user),
        },
    )


@require_http_methods(["GET", "POST"])
def family_add(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_can_add(user)
    person_pk = request.GET.get("person", "")
    person = access.get_person_for_editing(user, int(person_pk)) if record_id(person_pk) is not None else None
    initial = {"name": f"The {person.last_name} family"} if person else {}
    form = FamilyForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        family = services.family_create(actor=user, name=data["name"], area=data["area"], notes=data["notes"])
        messages.success(request, f"{family.name} has been recorded.")
        if person is not None:
            return redirect(reverse("people:family-member-add", args=[family.pk]) + f"?person={person.pk}")
        return redirect("people:family-detail", pk=family.pk)
    return render(request, "people/family_form.html", {"form": form, "person": person, "adding": True})


@require_http_methods(["GET", "POST"])
def family_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    family = access.get_family_for_editing(user, pk)
    initial = {"name": family.name, "area": family.area, "notes": family.notes}
    form = FamilyForm(request.POST or None, user=user, initial=initial, family=family)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            family = services.family_update(
                actor=user,
                family=family,
                name=data["name"],
                area=data["area"],
                notes=data["notes"],
                seen_version=form.seen_version,
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, f"{family.name} has been saved.")
            return redirect("people:family-detail", pk=family.pk)
    if request.method == "GET":
        record_view(actor=user, target=family)
    return render(request, "people/family_form.html", {"form": form, "family": family, "adding": False})


@require_http_methods(["GET", "POST"])
def family_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    family = access.get_family_for_editing(user, pk)
    search = request.GET.get("q", "").strip()
    chosen = request.GET.get("person") or request.POST.get("person") or ""
    candidates = selectors.family_member_candidates(user=user, family=family, search=search, chosen=chosen)
    initial = {"person": int(chosen)} if record_id(chosen) is not None else {}
    form = FamilyMemberChoiceForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.family_member_add(
            actor=user,
            family=family,
            person=data["person"],
            role=data["role"],
            lives_in_household=data["lives_in_household"],
        )
        messages.success(request, f"{data['person'].full_name} has been added to {family.name}.")
        return redirect("people:family-detail", pk=family.pk)
    shown = list(candidates[:50])
    record_listed(actor=user, shown=shown, where="family member picker")
    return render(
        request,
        "people/family_member_add.html",
        {"form": form, "family": family, "search": search, "candidates": shown},
    )


@require_http_methods(["GET", "POST"])
def family_member_edit(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    user = user_of(request)
    family = access.get_family_for_editing(user, pk)
    membership = access.get_membership_for_editing(user, family, membership_pk)
    initial = {"role": membership.role, "lives_in_household": membership.lives_in_household}
    form = FamilyMembershipForm(request.POST or None, initial=initial, record_version=membership.version)
    removing = request.POST.get("action") == "remove"
    if request.method == "POST" and (form.is_valid() or (removing and form.seen_version is not None)):
        try:
            if removing:
                services.family_member_remove(actor=user, membership=membership, seen_version=form.seen_version)
            else:
                services.family_member_update(
                    actor=user,
                    membership=membership,
                    role=form.cleaned_data["role"],
                    lives_in_household=form.cleaned_data["lives_in_household"],
                    seen_version=form.seen_version,
                )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            name = membership.person.full_name
            done = (
                f"{name} has been removed from {family.name}."
                if removing
                else f"{name}’s role in the family has been saved."
            )
            messages.success(request, done)
            return redirect("people:family-detail", pk=family.pk)
    return render(request, "people/family_member_edit.html", {"form": form, "family": family, "membership": membership})
