"""A professional's referral: the question pages, "check your answers" and the confirmation.

Each page saves its answers to the user's draft (`ReferralDraft`) and moves on; nothing becomes
a contact until "Send the referral", except an "immediate danger" answer, which is saved and
flagged at once while the referrer is told to call 999 and children's social care.
"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from earlyhelp.core.numbers import record_id
from earlyhelp.directory.models import Need
from earlyhelp.frontdoor import access, drafts, journey, receiving
from earlyhelp.frontdoor.models import Contact, ContactPerson
from earlyhelp.frontdoor.referrals import referral_problems
from earlyhelp.organisations.models import User, user_of
from earlyhelp.people.access import get_person_for_user
from earlyhelp.people.selectors import ProposedPerson, likely_matches
from earlyhelp.thresholds.forms import LevelOfNeedCheckForm
from earlyhelp.thresholds.layout import indicator_layout, indicators_selected
from earlyhelp.thresholds.rules import Facts, recommend
from earlyhelp.thresholds.selectors import framework_version_latest

ORDER = [
    "danger",
    "referrer",
    "children",
    "adults",
    "reasons",
    "level-of-need",
    "tried",
    "agencies",
    "consent",
    "check",
]

ROLE_LABELS = dict(ContactPerson.Role.choices)

SIMPLE_STEPS: dict[str, tuple[type[journey.StepForm], str]] = {
    "danger": (journey.DangerForm, "Is a child in immediate danger?"),
    "referrer": (journey.ReferrerForm, "About you"),
    "reasons": (journey.ReasonsForm, "Why are you making this referral?"),
    "tried": (journey.TriedForm, "What has been tried"),
    "agencies": (journey.AgenciesForm, "Other agencies involved"),
    "consent": (journey.ConsentForm, "The family's consent"),
}


def _referrer(request: HttpRequest) -> User:
    user = user_of(request)
    if not access.can_refer(user):
        raise Http404("No such page")
    return user


def _draft(user: User) -> dict[str, Any]:
    draft = drafts.referral_draft_of(user)
    return dict(draft.data) if draft else {}


def _save(user: User, data: dict[str, Any]) -> None:
    drafts.referral_draft_save(owner=user, data=data)


def _next(step: str, draft: dict[str, Any]) -> HttpResponse:
    if draft.get("checking") and step != "children" and step != "adults":
        return redirect("frontdoor:refer-check")
    following = ORDER[ORDER.index(step) + 1]
    return redirect("frontdoor:refer-step", step=following) if following in SIMPLE_STEPS else redirect(_url(following))


def _url(step: str) -> str:
    if step in SIMPLE_STEPS:
        return reverse("frontdoor:refer-step", kwargs={"step": step})
    return reverse(
        {"children": "frontdoor:refer-children", "adults": "frontdoor:refer-adults"}.get(
            step, f"frontdoor:refer-{step}"
        )
    )


def _back(step: str) -> str:
    index = ORDER.index(step)
    return _url(ORDER[index - 1]) if index else reverse("frontdoor:refer-start")


@require_http_methods(["GET"])
def start(request: HttpRequest) -> HttpResponse:
    user = _referrer(request)
    draft = drafts.referral_draft_of(user)
    return render(request, "frontdoor/refer_start.html", {"draft": draft})


@require_POST
def discard(request: HttpRequest) -> HttpResponse:
    user = _referrer(request)
    drafts.referral_draft_discard(owner=user)
    messages.success(request, "Your unsent referral has been deleted.")
    return redirect("frontdoor:refer-start")


def _initial_referrer(user: User) -> dict[str, Any]:
    return {"referrer_name": user.full_name, "referrer_role": user.job_title, "referrer_email": user.email}


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, step: str) -> HttpResponse:
    user = _referrer(request)
    if step not in SIMPLE_STEPS:
        raise Http404("No such question")
    form_class, title = SIMPLE_STEPS[step]
    draft = _draft(user)
    key = step
    initial = draft.get(key) or (_initial_referrer(user) if step == "referrer" else {})
    if step == "reasons" and initial:
        initial = initial | {"needs": initial.get("needs", [])}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cleaned = dict(form.cleaned_data)
        if step == "reasons":
            cleaned["needs"] = [need.code for need in cleaned["needs"]]
        draft[key] = journey.jsonable(cleaned)
        _save(user, draft)
        if step == "danger" and cleaned["immediate_danger"] == "yes":
            return _immediate_danger(user, draft)
        return _next(step, draft)
    return render(
        request,
        "frontdoor/refer_step.html",
        {"form": form, "title": title, "step": step, "back": _back(step), "agency": user.agency},
    )


def _immediate_danger(user: User, draft: dict[str, Any]) -> HttpResponse:
    """Save what is known now, flagged, and tell the referrer to call 999 and social care."""
    referral = journey.referral_from_draft(draft)
    referral.referrer_name = referral.referrer_name or user.full_name
    referral.referrer_email = referral.referrer_email or user.email
    contact = receiving.contact_receive(
        referral=referral, source=Contact.Source.PROFESSIONAL, authority_id=user.authority_id, referrer_user=user
    )
    return redirect("frontdoor:refer-stop", pk=contact.pk)


@require_http_methods(["GET"])
def stop(request: HttpRequest, pk: int) -> HttpResponse:
    user = _referrer(request)
    contact = access.referrals_made_by(user).filter(pk=pk).first()
    if contact is None:
        raise Http404("No such referral")
    return render(
        request,
        "frontdoor/refer_stop.html",
        {"contact": contact, "social_care_phone": contact.authority.childrens_social_care_phone},
    )


# Children and adults: a list with "add another" -------------------------------------------------


def _matches_for(user: User, people: list[dict[str, Any]]) -> list[list[Any]]:
    """For each person typed, the records the referrer can already see that may be them."""
    found = []
    for data in people:
        details = journey.person_from_draft(data, child=True)
        proposed = ProposedPerson(
            first_name=details.first_name,
            last_name=details.last_name,
            date_of_birth=details.date_of_birth or details.expected_date_of_delivery,
            postcode=details.postcode,
            nhs_number=details.nhs_number,
            upn=details.upn,
        )
        found.append(likely_matches(user=user, proposed=proposed) if details.first_name else [])
    return found


@require_http_methods(["GET", "POST"])
def people_list(request: HttpRequest, group: str) -> HttpResponse:
    user = _referrer(request)
    draft = _draft(user)
    people = draft.get(group, [])
    error = ""
    if request.method == "POST":
        if group == "children" and not people:
            error = "Add at least one child or young person"
        else:
            return _next(group, draft)
    context = {
        "group": group,
        "people": [
            (data | {"role_label": ROLE_LABELS.get(data.get("role", ""), "")}, matches)
            for data, matches in zip(people, _matches_for(user, people), strict=True)
        ],
        "error": error,
        "back": _back(group),
        "title": "The children" if group == "children" else "Parents, carers and other adults",
    }
    return render(request, "frontdoor/refer_people.html", context)


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, group: str, index: int | None = None) -> HttpResponse:
    user = _referrer(request)
    draft = _draft(user)
    people = draft.setdefault(group, [])
    if index is not None and not 0 <= index < len(people):
        raise Http404("No such person")
    if index is None and len(people) >= 12:
        messages.success(
            request, "A referral can name up to 12 people in each group. Tell us about others in the reasons."
        )
        return redirect(_url(group))
    form_class = journey.ChildForm if group == "children" else journey.AdultForm
    form = form_class(request.POST or None, initial=people[index] if index is not None else {})
    if request.method == "POST" and form.is_valid():
        data = journey.jsonable(dict(form.cleaned_data))
        if index is None:
            people.append(data)
        else:
            people[index] = data
        _save(user, draft)
        return redirect(_url(group))
    title = ("Add a child" if group == "children" else "Add an adult") if index is None else "Change their details"
    return render(
        request, "frontdoor/refer_person.html", {"form": form, "title": title, "back": _url(group), "group": group}
    )


@require_POST
def person_remove(request: HttpRequest, group: str, index: int) -> HttpResponse:
    user = _referrer(request)
    draft = _draft(user)
    people = draft.get(group, [])
    if 0 <= index < len(people):
        people.pop(index)
        _save(user, draft)
    return redirect(_url(group))


@require_POST
def person_use_record(request: HttpRequest, group: str, index: int) -> HttpResponse:
    """The referrer says the person they typed is a record they already see: use its details."""
    user = _referrer(request)
    draft = _draft(user)
    people = draft.get(group, [])
    person_pk = request.POST.get("person", "")
    if not (0 <= index < len(people) and record_id(person_pk) is not None):
        raise Http404("No such person")
    person = get_person_for_user(user, int(person_pk))
    people[index] |= journey.jsonable(
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": person.date_of_birth,
            "nhs_number": person.nhs_number,
            "upn": person.upn,
            "postcode": person.postcode,
        }
    )
    _save(user, draft)
    messages.success(request, f"We have used the details on {person.full_name}'s record.")
    return redirect(_url(group))


# The level of need ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def level_of_need(request: HttpRequest) -> HttpResponse:
    user = _referrer(request)
    draft = _draft(user)
    version = framework_version_latest()
    if version is None:
        return _next("level-of-need", draft)
    definition = version.definition
    if request.method == "POST":
        form = LevelOfNeedCheckForm(request.POST, definition=definition)
        if form.is_valid():
            draft["indicators"] = form.cleaned_data["indicators"]
            _save(user, draft)
            if request.POST.get("action") == "continue":
                return _next("level-of-need", draft)
    else:
        data = QueryDict(mutable=True)
        data.setlist("indicators", draft.get("indicators", []))
        form = LevelOfNeedCheckForm(data, definition=definition)
        form.is_valid()
    result = recommend(definition, form.cleaned_data.get("indicators", []), Facts()) if form.is_valid() else None
    return render(
        request,
        "frontdoor/refer_level.html",
        {
            "form": form,
            "version": version,
            "definition": definition,
            "result": result if result and result.level is not None else None,
            "immediate_danger": False,
            "layout": indicator_layout(definition, form.chosen),
            "selected": indicators_selected(definition, form.chosen),
            "back": _back("level-of-need"),
        },
    )


# Check your answers, and send ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    user = _referrer(request)
    if request.method == "POST":
        try:
            contact = drafts.referral_draft_send(owner=user)
        except drafts.ReferralDraftGoneError:
            return redirect("frontdoor:refer-start")
        except receiving.ReferralInvalidError:
            pass  # shown below, beside the answers to change
        else:
            return redirect("frontdoor:refer-sent", pk=contact.pk)
    draft = _draft(user)
    if not draft:
        return redirect("frontdoor:refer-start")
    if not draft.get("checking"):
        draft["checking"] = True
        _save(user, draft)
    referral = journey.referral_from_draft(draft)
    version = framework_version_latest()
    problems = referral_problems(
        referral, definition=version.definition if version else None, today=timezone.localdate()
    )
    indicators = (
        [version.definition.by_id[code] for code in referral.indicators if code in version.definition.by_id]
        if version
        else []
    )
    return render(
        request,
        "frontdoor/refer_check.html",
        {
            "referral": referral,
            "problems": [
                (journey.step_for_problem(key), _url(journey.step_for_problem(key)), message)
                for key, message in problems.items()
            ],
            "submitted": request.method == "POST",
            "indicators": indicators,
            "needs": _need_names(referral.needs),
            "agency": user.agency,
        },
    )


def _need_names(codes: list[str]) -> list[str]:
    names = dict(Need.objects.filter(code__in=codes).values_list("code", "name"))
    return [names.get(code, code) for code in codes]


@require_http_methods(["GET"])
def sent(request: HttpRequest, pk: int) -> HttpResponse:
    user = _referrer(request)
    contact = access.referrals_made_by(user).filter(pk=pk).first()
    if contact is None:
        raise Http404("No such referral")
    return render(request, "frontdoor/refer_sent.html", {"contact": contact})
