"""Pages for subject access requests: the list against the statutory month, recording one from a
person's record, reviewing what was gathered item by item, and the pack that is sent."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.core.forms import GovukDateField, GovukFormRenderer, VersionedForm, service_errors_show
from earlyhelp.governance import subject_access
from earlyhelp.governance.models import DisclosureItem, SubjectAccessRequest
from earlyhelp.organisations.models import User, user_of
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import get_person_for_user, refuse


class RequestForm(forms.Form):
    default_renderer = GovukFormRenderer

    requested_by = forms.CharField(label="Who asked?", max_length=200, required=False)
    requester_is = forms.ChoiceField(
        label="Who are they to the person?",
        choices=SubjectAccessRequest.RequesterIs.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    received_on = GovukDateField(
        label="When was the request received?",
        past_only=True,
        required=False,
        help_text="The month to answer in runs from this day.",
    )
    identity_checked = forms.BooleanField(
        label="Their identity (and authority to act for the person) has been checked", required=False
    )


class ItemForm(VersionedForm):
    default_renderer = GovukFormRenderer

    decision = forms.ChoiceField(
        label="What is sent?",
        choices=[
            (DisclosureItem.Decision.DISCLOSE, "Send it as it is"),
            (DisclosureItem.Decision.REDACT, "Send it with parts removed"),
            (DisclosureItem.Decision.WITHHOLD, "Keep it back"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    redacted_text = forms.CharField(
        label="The text as it will be sent", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    reason = forms.CharField(label="Why", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SendForm(forms.Form):
    default_renderer = GovukFormRenderer

    sent_on = GovukDateField(label="Date sent", past_only=True, required=False)


class ExtendForm(forms.Form):
    default_renderer = GovukFormRenderer

    because = forms.CharField(
        label="Why is the request complex?", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _require(user: User) -> None:
    if not user.can(Permission.MANAGE_RETENTION):
        raise Http404("No such page")


def _request_for(user: User, pk: int) -> SubjectAccessRequest:
    _require(user)
    found: SubjectAccessRequest | None = (
        SubjectAccessRequest.objects.filter(pk=pk, person__authority_id=user.authority_id)
        .select_related("person")
        .first()
    )
    if found is None:
        raise refuse(user, "governance.subjectaccessrequest", pk, "open", "No such request")
    return found


@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require(user)
    open_first = Case(
        When(status=SubjectAccessRequest.Status.IN_REVIEW, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    found = (
        SubjectAccessRequest.objects.filter(person__authority_id=user.authority_id)
        .select_related("person")
        .order_by(open_first, "received_on", "pk")
    )
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    record_listed(actor=user, shown=[item.person for item in page.object_list], where="subject access requests")
    return render(
        request, "governance/subject_access_list.html", {"page": page, "today": timezone.localdate(), "query": ""}
    )


@require_http_methods(["GET", "POST"])
def request_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    _require(user)
    person = get_person_for_user(user, pk)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = subject_access.request_record(
                actor=user,
                person=person,
                requested_by=data["requested_by"] or "",
                requester_is=data["requester_is"] or "",
                received_on=data["received_on"],
                identity_checked=bool(data["identity_checked"]),
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Recorded, and everything held about them gathered for review.")
            return redirect("governance:subject-access", pk=made.pk)
    record_view(actor=user, target=person)
    return render(request, "governance/subject_access_add.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = _request_for(user, pk)
    action = request.POST.get("action", "")
    send_form = SendForm(request.POST if action == "send" else None)
    extend_form = ExtendForm(request.POST if action == "extend" else None)
    if request.method == "POST":
        try:
            if action == "identity":
                subject_access.identity_confirm(actor=user, request=found)
                return redirect("governance:subject-access", pk=found.pk)
            if action == "extend" and extend_form.is_valid():
                subject_access.request_extend(
                    actor=user, request=found, because=extend_form.cleaned_data["because"] or ""
                )
                return redirect("governance:subject-access", pk=found.pk)
            if action == "send" and send_form.is_valid():
                subject_access.request_send(actor=user, request=found, sent_on=send_form.cleaned_data["sent_on"])
                messages.success(request, "Recorded as sent.")
                return redirect("governance:subject-access", pk=found.pk)
        except ValidationError as error:
            service_errors_show(extend_form if action == "extend" else send_form, error)
    record_view(actor=user, target=found.person)
    items = list(found.items.all())
    return render(
        request,
        "governance/subject_access.html",
        {
            "found": found,
            "items": items,
            "waiting": sum(item.third_party and item.decision == DisclosureItem.Decision.PENDING for item in items),
            "days_left": (found.due_on - timezone.localdate()).days,
            "send_form": send_form,
            "extend_form": extend_form,
        },
    )


@require_http_methods(["GET", "POST"])
def item_review(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = user_of(request)
    found = _request_for(user, pk)
    item = found.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404("No such item")
    initial = {"decision": item.decision, "redacted_text": item.redacted_text or item.text, "reason": item.reason}
    form = ItemForm(request.POST or None, initial=initial, record_version=item.version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject_access.item_decide(
                actor=user,
                item=item,
                decision=data["decision"] or "",
                redacted_text=data["redacted_text"] or "",
                reason=data["reason"] or "",
                seen_version=data.get("version"),
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            return redirect("governance:subject-access", pk=found.pk)
    record_view(actor=user, target=found.person)
    return render(request, "governance/subject_access_item.html", {"found": found, "item": item, "form": form})


@require_GET
def request_pack(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = _request_for(user, pk)
    record_view(actor=user, target=found.person)
    return render(request, "governance/subject_access_pack.html", {"found": found, "items": subject_access.pack(found)})
