"""The Supporting Families pages: a family's outcomes and their progress, the six-month check,
and the team leader's list of checks due."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.casework import access
from earlyhelp.casework import supporting_families as sf
from earlyhelp.casework.models import Meeting, OutcomeProgress, SustainedCheck
from earlyhelp.casework.supporting_families_forms import ProgressForm, SustainedCheckForm
from earlyhelp.core.forms import service_errors_show
from earlyhelp.organisations.models import user_of
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import refuse


@require_http_methods(["GET", "POST"])
def supporting_families(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's headline outcomes, where it stood on each at each point, and its check."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    outcomes = sf.outcomes_of(found)
    reviews = Meeting.objects.filter(episode=found, kind=Meeting.Kind.REVIEW).order_by("held_at", "pk")
    form = ProgressForm(request.POST or None, outcomes=outcomes, meetings=reviews)
    if request.method == "POST":
        if not access.can_work(user, found):
            raise refuse(user, "casework.episode", found.pk, "record progress", "No such episode")
        if form.is_valid():
            try:
                sf.progress_record(
                    actor=user,
                    episode=found,
                    point=form.cleaned_data["point"],
                    meeting=form.cleaned_data.get("meeting"),
                    statuses=form.statuses(),
                    note=form.cleaned_data.get("note") or "",
                )
            except ValidationError as error:
                service_errors_show(form, error)
            else:
                messages.success(request, "The family's progress is recorded.")
                return redirect("casework:supporting-families", pk=found.pk)
    record_view(actor=user, target=found)
    progress = list(
        OutcomeProgress.objects.filter(episode=found).select_related("outcome", "meeting").order_by("recorded_at", "pk")
    )
    by_point: dict[str, dict[str, str]] = {}
    for row in progress:
        label = (
            f"Review, {timezone.localtime(row.meeting.held_at):%d/%m/%Y}" if row.meeting else row.get_point_display()
        )
        by_point.setdefault(label, {})[row.outcome.code] = row.get_status_display()
    table = [(outcome.name, [by_point[label].get(outcome.code, "") for label in by_point]) for outcome in outcomes]
    check = SustainedCheck.objects.filter(episode=found).select_related("recorded_by").first()
    return render(
        request,
        "casework/supporting_families.html",
        {
            "episode": found,
            "outcomes": outcomes,
            "points": list(by_point),
            "table": table,
            "form": form,
            "can_record": access.can_work(user, found),
            "check": check,
            "check_due_on": sf.check_due_on(found),
            "can_check": sf.can_check(user, found),
        },
    )


@require_http_methods(["GET", "POST"])
def sustained_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The check six months after closure, with what to look at for each outcome met."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    if not sf.can_check(user, found):
        raise refuse(user, "casework.episode", found.pk, "check outcomes", "No such episode")
    met = sf.met_at_closure(found)
    names = {outcome.code: outcome.name for outcome in sf.outcomes_of(found)}
    form = SustainedCheckForm(request.POST or None, met=[(code, names.get(code, code)) for code in met])
    if request.method == "POST" and form.is_valid():
        try:
            sf.sustained_check_record(
                actor=user,
                episode=found,
                checked_on=form.cleaned_data["checked_on"],
                sustained=form.cleaned_data["sustained"],
                looked_at=form.cleaned_data["looked_at"],
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "The six-month check is recorded.")
            return redirect("casework:supporting-families", pk=found.pk)
    record_view(actor=user, target=found)
    return render(
        request,
        "casework/sustained_check.html",
        {
            "episode": found,
            "form": form,
            "due_on": sf.check_due_on(found),
            "look_at": [(names.get(code, code), sf.LOOK_AT.get(code, "")) for code in met],
            "check": SustainedCheck.objects.filter(episode=found).select_related("recorded_by").first(),
        },
    )


@require_http_methods(["GET"])
def checks(request: HttpRequest) -> HttpResponse:
    """The six-month checks due, for the team leader (every team's, for the head of service)."""
    user = user_of(request)
    if not (user.can(Permission.ALLOCATE_EPISODES) or user.can(Permission.VIEW_EVERY_TEAM)):
        raise Http404("No such page")
    today = timezone.localdate()
    due = sf.checks_due(user, today=today)
    record_listed(actor=user, shown=[episode.family for episode, _ in due], where="Supporting Families checks due")
    return render(request, "casework/sustained_checks.html", {"due": due, "today": today})
