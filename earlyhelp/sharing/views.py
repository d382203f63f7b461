"""Pages for a person's consent and information sharing: read them, record the family's
agreement and consent, withdraw them, record a decision to share or not to share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.trail import record_view
from earlyhelp.core.forms import service_errors_show
from earlyhelp.organisations.models import User, user_of
from earlyhelp.people.access import get_person_for_user
from earlyhelp.people.models import Person
from earlyhelp.sharing import access, recording, selectors
from earlyhelp.sharing.forms import AgreementForm, ConsentForm, DecisionForm, WithdrawForm
from earlyhelp.sharing.models import RecordPart


def _person_for_recording(user: User, pk: int) -> Person:
    person = get_person_for_user(user, pk, attempted="change")
    if not access.can_record_consent(user, person):
        raise Http404("No such page")
    return person


@require_GET
def person_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    person = get_person_for_user(user, pk)
    record_view(actor=user, target=person)
    return render(
        request,
        "sharing/person_sharing.html",
        {
            "person": person,
            "page": selectors.person_sharing_page(user=user, person=person),
            "can_record_consent": access.can_record_consent(user, person),
            "can_record_decisions": access.can_record_decisions(user),
            "parts": RecordPart,
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    person = _person_for_recording(user, pk)
    people = selectors.people_around(user=user, person=person)
    form = AgreementForm(request.POST or None, people=people, initial={"people": list(people)})
    if request.method == "POST" and form.is_valid():
        try:
            recording.agreement_record(
                actor=user, statement=form.statement(), agreed=form.cleaned_data["agreed"] == "yes"
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "The family’s agreement to receive help has been recorded.")
            return redirect("sharing:person-sharing", pk=person.pk)
    record_view(actor=user, target=person)
    return render(request, "sharing/agreement_form.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    person = _person_for_recording(user, pk)
    people = selectors.people_around(user=user, person=person)
    form = ConsentForm(
        request.POST or None,
        people=people,
        around=selectors.agencies_around(people=people),
        every=selectors.agencies_of(user),
        initial={"people": list(people)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            recording.consent_record(actor=user, statement=form.statement(), consent=form.consent())
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "The consent to share has been recorded. It applies from now.")
            return redirect("sharing:person-sharing", pk=person.pk)
    record_view(actor=user, target=person)
    return render(request, "sharing/consent_form.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def withdraw_record(request: HttpRequest, pk: int, kind: str, record_pk: int) -> HttpResponse:
    user = user_of(request)
    person = _person_for_recording(user, pk)
    record = access.get_withdrawable(user, person, kind, record_pk)
    form = WithdrawForm(request.POST or None, record_version=record.version)
    if request.method == "POST" and form.is_valid():
        try:
            recording.withdraw(
                actor=user,
                record=record,
                on=form.cleaned_data.get("withdrawn_on"),
                because=form.cleaned_data.get("because") or "",
                seen_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Withdrawn. From now it opens nothing to anyone.")
            return redirect("sharing:person-sharing", pk=person.pk)
    record_view(actor=user, target=person)
    return render(
        request, "sharing/withdraw_form.html", {"form": form, "person": person, "record": record, "kind": kind}
    )


@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    person = get_person_for_user(user, pk, attempted="change")
    if not access.can_record_decisions(user):
        raise Http404("No such page")
    people = selectors.people_around(user=user, person=person)
    form = DecisionForm(
        request.POST or None, people=people, agencies=selectors.agencies_of(user), initial={"people": [person]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            recording.sharing_decision_record(actor=user, details=form.details())
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "The decision has been recorded.")
            return redirect("sharing:person-sharing", pk=person.pk)
    record_view(actor=user, target=person)
    return render(request, "sharing/decision_form.html", {"form": form, "person": person})
