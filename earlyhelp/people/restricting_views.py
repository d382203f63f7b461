"""Pages to restrict a person or a family to named users, and to lift the restriction."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_view
from earlyhelp.core.forms import GovukFormRenderer, service_errors_show
from earlyhelp.organisations.models import User, user_of
from earlyhelp.organisations.roles import ROLE_PERMISSIONS, Permission
from earlyhelp.people import access, restricting
from earlyhelp.people.models import Family, Person, Restriction


def staff_who_read_records(user: User) -> QuerySet[User]:
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if Permission.VIEW_AUTHORITY_RECORDS in granted]
    return (
        User.objects.filter(authority_id=user.authority_id, is_active=True, role_assignments__role__in=roles)
        .distinct()
        .order_by("full_name")
    )


class StaffField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, User)
        return f"{obj.full_name} ({obj.email})"


class RestrictForm(forms.Form):
    default_renderer = GovukFormRenderer

    reason = forms.CharField(
        label="Why is it restricted?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: a member of staff's family, or a case in the news.",
    )
    ask = forms.ModelChoiceField(
        label="Whom should others ask about it?",
        queryset=User.objects.none(),
        required=False,
        help_text="A referral that matches the record is told only this name.",
    )
    named = StaffField(
        label="Who else may see it?", queryset=User.objects.none(), required=False, help_text="You may see it too."
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("ask", "named"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = staff


class LiftForm(forms.Form):
    default_renderer = GovukFormRenderer

    because = forms.CharField(
        label="Why is the restriction lifted?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _require_can_restrict(user: User) -> None:
    if not access.can_restrict(user):
        raise Http404("No such page")


@require_http_methods(["GET", "POST"])
def person_restrict(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    _require_can_restrict(user)
    person = access.get_person_for_user(user, pk, attempted="restrict")
    current = Restriction.objects.filter(person=person, lifted_at__isnull=True).select_related("ask").first()
    return _restrict_page(request, user, target=person, current=current)


@require_http_methods(["GET", "POST"])
def family_restrict(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    _require_can_restrict(user)
    family = access.get_family_for_user(user, pk, attempted="restrict")
    current = Restriction.objects.filter(family=family, lifted_at__isnull=True).select_related("ask").first()
    return _restrict_page(request, user, target=family, current=current)


def _restrict_page(
    request: HttpRequest, user: User, *, target: Person | Family, current: Restriction | None
) -> HttpResponse:
    staff = staff_who_read_records(user)
    restrict_form = RestrictForm(request.POST if current is None and request.method == "POST" else None, staff=staff)
    lift_form = LiftForm(request.POST if current is not None and request.method == "POST" else None)
    done = (
        _lift(request, user, current, lift_form)
        if current is not None
        else _restrict(request, user, target, restrict_form)
    )
    if done:
        return redirect(_page_of(target))
    record_view(actor=user, target=target)
    return render(
        request,
        "people/restrict.html",
        {
            "target": target,
            "is_family": isinstance(target, Family),
            "current": current,
            "named": list(current.named.order_by("full_name")) if current else [],
            "form": lift_form if current is not None else restrict_form,
            "back": _page_of(target),
        },
    )


def _page_of(target: Person | Family) -> str:
    if isinstance(target, Family):
        return reverse("people:family-detail", args=[target.pk])
    return reverse("people:person-detail", args=[target.pk])


def _restrict(request: HttpRequest, user: User, target: Person | Family, form: RestrictForm) -> bool:
    if request.method != "POST" or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if isinstance(target, Family):
            restricting.family_restrict(
                actor=user, family=target, reason=data["reason"] or "", ask=data["ask"], named=list(data["named"])
            )
        else:
            restricting.person_restrict(
                actor=user, person=target, reason=data["reason"] or "", ask=data["ask"], named=list(data["named"])
            )
    except ValidationError as error:
        service_errors_show(form, error)
        return False
    messages.success(request, "Restricted. Only the people named can see it now.")
    return True


def _lift(request: HttpRequest, user: User, current: Restriction, form: LiftForm) -> bool:
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        restricting.restriction_lift(actor=user, restriction=current, because=form.cleaned_data["because"] or "")
    except ValidationError as error:
        service_errors_show(form, error)
        return False
    messages.success(request, "The restriction is lifted.")
    return True
