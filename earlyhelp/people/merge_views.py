"""Merging a duplicate record into the one kept, and undoing a merge (`merging.py`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from earlyhelp.audit.trail import record_view
from earlyhelp.organisations.models import User, user_of
from earlyhelp.people import access
from earlyhelp.people.merging import person_merge, person_merge_undo


def _merger(request: HttpRequest) -> User:
    user = user_of(request)
    if not access.can_merge_people(user):
        raise Http404("No such page")
    return user


@require_http_methods(["GET", "POST"])
def person_merge_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = _merger(request)
    kept = access.get_person_for_user(user, pk)
    data = request.POST if request.method == "POST" else request.GET
    reference = data.get("duplicate", "")
    reason = data.get("reason", "")
    duplicate = access.duplicate_for_merging(user, kept, reference) if reference else None
    errors: dict[str, str] = {}
    if reference and duplicate is None:
        errors["duplicate"] = "Enter the reference of another person's record, like P0000123"
    if request.method == "POST" and duplicate is not None:
        if not reason.strip():
            errors["reason"] = "Say why these records are the same person"
        elif data.get("confirm") != "yes":
            errors["confirm"] = "Confirm that these records are the same person"
        else:
            try:
                person_merge(actor=user, kept=kept, duplicate=duplicate, reason=reason)
            except ValidationError as error:
                errors["duplicate"] = " ".join(error.messages)
            else:
                messages.success(
                    request, f"{duplicate.reference} has been merged into this record. You can undo it below."
                )
                return redirect("people:person-detail", pk=kept.pk)
    record_view(actor=user, target=kept)
    if duplicate is not None:
        record_view(actor=user, target=duplicate)
    context = {"kept": kept, "duplicate": duplicate, "reference": reference, "reason": reason, "errors": errors}
    return render(request, "people/person_merge.html", context)


@require_POST
def person_merge_undo_page(request: HttpRequest, merge_pk: int) -> HttpResponse:
    user = _merger(request)
    merge = access.get_merge_for_undoing(user, merge_pk)
    try:
        person_merge_undo(actor=user, merge=merge)
    except ValidationError as error:
        messages.success(request, " ".join(error.messages))
    else:
        messages.success(request, f"The merge is undone: {merge.duplicate.reference} is a separate record again.")
    return redirect("people:person-detail", pk=merge.kept_id)
