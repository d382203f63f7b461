"""Supervision's pages: the team's supervision, recording individual and group supervision, a
family's case supervision note, and a team leader's answer to a family flagged as not
improving. Thin: fetch through `access`, parse with a form, call one service, render or
redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.casework import access, improving, selectors, supervising
from earlyhelp.casework.caseloads import coaches_of
from earlyhelp.casework.models import NotImproving
from earlyhelp.casework.supervision_forms import (
    CaseSupervisionForm,
    GroupSupervisionForm,
    IndividualSupervisionForm,
    NotImprovingForm,
)
from earlyhelp.core.forms import service_errors_show
from earlyhelp.organisations.models import Team, User, user_of
from earlyhelp.people.access import refuse


def _team_led_by(user: User, pk: int) -> Team:
    chosen, _ = access.team_and_teams_for_user(user, pk)
    if not access.leads_team(user, chosen.pk):
        raise refuse(user, "organisations.team", pk, "record supervision in", "No team found")
    return chosen


def _coach_choices(team: Team) -> list[tuple[int, str]]:
    return [(coach.pk, coach.full_name) for coach in coaches_of(team).order_by("full_name", "pk")]


@require_http_methods(["GET"])
def team_supervision(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    chosen, _ = access.team_and_teams_for_user(user, pk)
    clock = selectors.Clock.of(user.authority)
    found = supervising.team_supervision(chosen, clock=clock)
    now = timezone.now()
    record_listed(actor=user, shown=found.recent, where=f"supervision of {chosen}")
    return render(
        request,
        "casework/supervision.html",
        {
            "team": chosen,
            "supervision": found,
            "coaches": [(row, selectors.shown(row.due, now, clock.hours)) for row in found.coaches],
            "group_due": selectors.shown(found.group_due, now, clock.hours) if found.group_due else None,
            "can_record": access.leads_team(user, chosen.pk),
        },
    )


@require_http_methods(["GET", "POST"])
def individual_supervision_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    chosen = _team_led_by(user, pk)
    coaches = _coach_choices(chosen)
    form = IndividualSupervisionForm(request.POST or None, coaches=coaches)
    if request.method == "POST" and form.is_valid():
        supervisee = coaches_of(chosen).filter(pk=form.cleaned_data["supervisee"]).first()
        try:
            supervising.individual_supervision_record(
                actor=user, team=chosen, supervisee=supervisee, details=form.details()
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Individual supervision recorded.")
            return redirect("casework:supervision", pk=chosen.pk)
    return render(request, "casework/supervision_add.html", {"team": chosen, "form": form, "kind": "individual"})


@require_http_methods(["GET", "POST"])
def group_supervision_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    chosen = _team_led_by(user, pk)
    form = GroupSupervisionForm(request.POST or None, coaches=_coach_choices(chosen))
    if request.method == "POST" and form.is_valid():
        try:
            supervising.group_supervision_record(
                actor=user, team=chosen, attendees=form.cleaned_data["attendees"], details=form.details()
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Group supervision recorded.")
            return redirect("casework:supervision", pk=chosen.pk)
    return render(request, "casework/supervision_add.html", {"team": chosen, "form": form, "kind": "group"})


@require_http_methods(["GET", "POST"])
def case_supervision_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_allocating(user, pk)
    form = CaseSupervisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            supervising.case_supervision_record(actor=user, episode=found, details=form.details())
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Case supervision note recorded.")
            return redirect("casework:episode", pk=found.pk)
    record_view(actor=user, target=found)
    return render(request, "casework/case_supervision_add.html", {"episode": found, "form": form})


@require_http_methods(["GET", "POST"])
def not_improving(request: HttpRequest, pk: int, flag_pk: int) -> HttpResponse:
    """A team leader records what happens next for a family flagged as not improving."""
    user = user_of(request)
    found = access.get_episode_for_allocating(user, pk)
    flag = NotImproving.objects.filter(episode=found, pk=flag_pk).first()
    if flag is None:
        raise refuse(user, "casework.notimproving", flag_pk, "answer", "No such flag")
    form = NotImprovingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            improving.not_improving_respond(actor=user, flag=flag, what_next=form.cleaned_data["what_next"])
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "What happens next is recorded.")
            return redirect("casework:episode", pk=found.pk)
    record_view(actor=user, target=flag)
    return render(request, "casework/not_improving.html", {"episode": found, "flag": flag, "form": form})
