"""The front door checks people a partner tried to add whose NHS number or UPN is already held."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.organisations.models import User, user_of
from earlyhelp.people import access, checking
from earlyhelp.people.models import PersonToCheck


def _checker(request: HttpRequest) -> User:
    user = user_of(request)
    if not access.can_merge_people(user):
        raise Http404("No such page")
    return user


@require_http_methods(["GET"])
def people_to_check(request: HttpRequest) -> HttpResponse:
    user = _checker(request)
    waiting = list(checking.people_to_check(user=user).filter(status=PersonToCheck.Status.WAITING))
    checked = list(
        checking.people_to_check(user=user).exclude(status=PersonToCheck.Status.WAITING).order_by("-checked_at")[:20]
    )
    return render(request, "people/people_to_check.html", {"waiting": waiting, "checked": checked})


@require_http_methods(["GET", "POST"])
def person_to_check(request: HttpRequest, pk: int) -> HttpResponse:
    user = _checker(request)
    item = checking.people_to_check(user=user).filter(pk=pk).first()
    if item is None:
        raise access.refuse(user, "people.persontocheck", pk, "open", "Nothing to check")
    holders = [
        person for person in checking.holders_of(item) if access.people_visible_to(user).filter(pk=person.pk).exists()
    ]
    error = ""
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        matched = next((person for person in holders if str(person.pk) == choice), None)
        try:
            if matched is not None:
                checking.person_to_check_resolve(actor=user, item=item, matched_person=matched)
            elif choice == "not-the-same":
                checking.person_to_check_resolve(
                    actor=user, item=item, matched_person=None, note=request.POST.get("note", "")
                )
            else:
                error = "Select whether this is the same person as the record held"
        except ValidationError as problem:
            error = " ".join(problem.messages)
        if not error:
            messages.success(request, f"{item.full_name} has been checked.")
            return redirect("people:people-to-check")
    record_view(actor=user, target=item)
    record_listed(actor=user, shown=holders, where=f"held records for person to check {item.pk}")
    return render(request, "people/person_to_check.html", {"item": item, "holders": holders, "error": error})
