"""Pages for information governance: families due for disposal, each one's review (dispose of it,
or keep it under a legal hold), and what is left of the families disposed of."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.core.forms import GovukFormRenderer, service_errors_show
from earlyhelp.governance import disposal, holds, retention
from earlyhelp.governance.models import LegalHold
from earlyhelp.organisations.models import User, user_of
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import families_visible_to, get_family_for_user
from earlyhelp.people.models import Family


class DisposeForm(forms.Form):
    default_renderer = GovukFormRenderer

    note = forms.CharField(
        label="What did you review?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "For example: no open work, no complaint or court case, nothing asked to be kept. Do not name anyone: "
            "this note is kept after everything else is deleted."
        ),
    )


class HoldForm(forms.Form):
    default_renderer = GovukFormRenderer

    reason = forms.CharField(
        label="Why must the records be kept?", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LiftForm(forms.Form):
    default_renderer = GovukFormRenderer

    because = forms.CharField(
        label="Why is the hold lifted?", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _require(user: User) -> None:
    if not user.can(Permission.MANAGE_RETENTION):
        raise Http404("No such page")


@require_GET
def due(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require(user)
    families = retention.families_due(authority_id=user.authority_id, today=timezone.localdate()).filter(
        pk__in=families_visible_to(user).values("pk")
    )
    page = Paginator(families.only("pk", "name", "restricted", "authority_id"), 25).get_page(request.GET.get("page"))
    record_listed(actor=user, shown=page.object_list, where="families due for disposal")
    return render(request, "governance/due.html", {"page": page, "query": ""})


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    _require(user)
    family = get_family_for_user(user, pk, attempted="review for disposal")
    hold = LegalHold.objects.filter(family=family, lifted_at__isnull=True).select_related("placed_by").first()
    action = request.POST.get("action", "")
    dispose_form = DisposeForm(request.POST if action == "dispose" else None)
    hold_form = HoldForm(request.POST if action == "hold" else None)
    lift_form = LiftForm(request.POST if action == "lift" else None)
    done = _act(request, user, family, hold, action, dispose_form, hold_form, lift_form)
    if done is not None:
        return done
    record_view(actor=user, target=family)
    due_now = retention.is_due(family, today=timezone.localdate())
    return render(
        request,
        "governance/review.html",
        {
            "family": family,
            "hold": hold,
            "due": due_now,
            "counts": _counts(family) if due_now else {},
            "dispose_form": dispose_form,
            "hold_form": hold_form,
            "lift_form": lift_form,
        },
    )


def _counts(family: Family) -> dict[str, int]:
    found = disposal.gathered(family)
    return {
        str(model._meta.verbose_name_plural).capitalize(): len(ids)
        for model, ids in found.items()
        if ids and not model._meta.auto_created
    }


def _act(
    request: HttpRequest,
    user: User,
    family: Family,
    hold: LegalHold | None,
    action: str,
    dispose_form: DisposeForm,
    hold_form: HoldForm,
    lift_form: LiftForm,
) -> HttpResponse | None:
    if request.method != "POST":
        return None
    try:
        if action == "dispose" and dispose_form.is_valid():
            result = disposal.family_dispose(actor=user, family=family, note=dispose_form.cleaned_data["note"] or "")
            messages.success(request, f"{result.reference} has been disposed of. Only its audit entry is left.")
            return redirect("governance:disposed")
        if action == "hold" and hold_form.is_valid():
            holds.legal_hold_place(actor=user, family=family, reason=hold_form.cleaned_data["reason"] or "")
            messages.success(request, "Legal hold placed: nothing of this family will be disposed of while it stands.")
            return redirect("governance:review", pk=family.pk)
        if action == "lift" and hold is not None and lift_form.is_valid():
            holds.legal_hold_lift(actor=user, hold=hold, because=lift_form.cleaned_data["because"] or "")
            messages.success(request, "The legal hold is lifted.")
            return redirect("governance:review", pk=family.pk)
    except ValidationError as error:
        form = {"dispose": dispose_form, "hold": hold_form, "lift": lift_form}.get(action, dispose_form)
        service_errors_show(form, error)
    return None


@require_GET
def disposed(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require(user)
    page = Paginator(disposal.disposals(user.authority_id), 25).get_page(request.GET.get("page"))
    return render(request, "governance/disposed.html", {"page": page, "query": ""})
