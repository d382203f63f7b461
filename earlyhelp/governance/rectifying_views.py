"""Pages for requests to correct a person's record: record one, and decide it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_view
from earlyhelp.core.forms import GovukDateField, GovukFormRenderer, VersionedForm, service_errors_show
from earlyhelp.governance import rectifying
from earlyhelp.governance.models import Rectification
from earlyhelp.organisations.models import user_of
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import get_person_for_editing


class RectificationForm(forms.Form):
    default_renderer = GovukFormRenderer

    requested_by = forms.CharField(label="Who says it is wrong?", max_length=200, required=False)
    received_on = GovukDateField(label="When did they say so?", past_only=True, required=False)
    what_is_wrong = forms.CharField(
        label="What do they say is wrong, and what is right?",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In their words.",
    )


class DecideForm(VersionedForm):
    default_renderer = GovukFormRenderer

    decision = forms.ChoiceField(
        label="What was decided?",
        choices=[
            (Rectification.Decision.CORRECTED, "Corrected: the record has been changed"),
            (Rectification.Decision.NOT_CORRECTED, "Not corrected: keep their words on the record as disputed"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(label="Why", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


@require_http_methods(["GET", "POST"])
def rectifications(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    person = get_person_for_editing(user, pk)
    form = RectificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rectifying.rectification_record(
                actor=user,
                person=person,
                requested_by=data["requested_by"] or "",
                received_on=data["received_on"],
                what_is_wrong=data["what_is_wrong"] or "",
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Recorded. Correct the record on its own page, then record the decision here.")
            return redirect("governance:rectifications", pk=person.pk)
    record_view(actor=user, target=person)
    return render(
        request,
        "governance/rectifications.html",
        {
            "person": person,
            "form": form,
            "items": list(Rectification.objects.filter(person=person).select_related("decided_by")),
            "today": timezone.localdate(),
            "can_decide": user.can(Permission.VIEW_AUTHORITY_RECORDS),
        },
    )


@require_http_methods(["GET", "POST"])
def rectification_decide(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = user_of(request)
    person = get_person_for_editing(user, pk)
    item = Rectification.objects.filter(person=person, pk=item_pk).first()
    if item is None or not user.can(Permission.VIEW_AUTHORITY_RECORDS):
        raise Http404("No such request")
    form = DecideForm(request.POST or None, record_version=item.version)
    if request.method == "POST" and form.is_valid():
        try:
            rectifying.rectification_decide(
                actor=user,
                rectification=item,
                decision=form.cleaned_data["decision"] or "",
                reason=form.cleaned_data["reason"] or "",
                seen_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            return redirect("governance:rectifications", pk=person.pk)
    record_view(actor=user, target=person)
    return render(request, "governance/rectification_decide.html", {"person": person, "item": item, "form": form})
