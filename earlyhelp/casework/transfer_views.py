"""A step-up to children's social care: raising it, the team leader's decision, the handover and
the family's ending letter. Thin: fetch through `access`, parse with a form, call one service,
render or redirect. (The printable referral, which carries the chronology, is the records app's.)"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.casework import access, transfers
from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.models import EpisodeChild, StepUp
from earlyhelp.casework.transfer_forms import StepUpDecisionForm, StepUpHandoverForm, StepUpRaiseForm
from earlyhelp.core.forms import service_errors_show
from earlyhelp.organisations.models import user_of
from earlyhelp.people.access import refuse


@require_http_methods(["GET", "POST"])
def step_up(request: HttpRequest, pk: int) -> HttpResponse:
    """The episode's step-ups, and raising one."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    step_ups = list(StepUp.objects.filter(episode=found).select_related("raised_by", "decided_by"))
    in_hand = next((item for item in step_ups if item.is_in_hand), None)
    can_raise = access.can_work(user, found) and found.status == found.Status.OPEN and in_hand is None
    form = StepUpRaiseForm(request.POST or None) if can_raise else None
    if request.method == "POST":
        if form is None:
            found = access.get_episode_for_working(user, pk)  # refused (404, recorded) unless they work it
            form = StepUpRaiseForm(request.POST)
            form.add_error(None, "A step-up is already in hand")
        elif form.is_valid():
            try:
                transfers.step_up_raise(actor=user, episode=found, concerns=form.cleaned_data["concerns"])
            except ValidationError as error:
                service_errors_show(form, error)
            else:
                messages.success(request, "Step-up raised: the team's leaders have been told.")
                return redirect("casework:step-up", pk=found.pk)
    record_view(actor=user, target=found)
    record_listed(actor=user, shown=step_ups, where=f"step-ups of {found.reference}")
    return render(
        request,
        "casework/step_up.html",
        {
            "episode": found,
            "step_ups": step_ups,
            "in_hand": in_hand,
            "form": form,
            "can_decide": access.can_allocate(user, found),
        },
    )


def _step_up_of(request: HttpRequest, pk: int, step_up_pk: int) -> tuple[StepUp, object]:
    user = user_of(request)
    found = access.get_episode_for_allocating(user, pk)
    chosen = StepUp.objects.filter(episode=found, pk=step_up_pk).first()
    if chosen is None:
        raise refuse(user, "casework.stepup", step_up_pk, "decide", "No step-up found")
    return chosen, found


@require_http_methods(["GET", "POST"])
def step_up_decide(request: HttpRequest, pk: int, step_up_pk: int) -> HttpResponse:
    user = user_of(request)
    chosen, found = _step_up_of(request, pk, step_up_pk)
    form = StepUpDecisionForm(
        request.POST or None,
        step_up=chosen,
        family_help=casework_settings_of(user.authority).is_family_help,
        authority_id=user.authority_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfers.step_up_decide(actor=user, step_up=chosen, details=form.details(), seen_version=form.seen_version)
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("casework:step-up", pk=pk)
    record_view(actor=user, target=chosen)
    return render(request, "casework/step_up_decide.html", {"episode": found, "step_up": chosen, "form": form})


@require_http_methods(["GET", "POST"])
def step_up_hand_over(request: HttpRequest, pk: int, step_up_pk: int) -> HttpResponse:
    user = user_of(request)
    chosen, found = _step_up_of(request, pk, step_up_pk)
    form = StepUpHandoverForm(request.POST or None, step_up=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfers.step_up_hand_over(
                actor=user,
                step_up=chosen,
                handover_on=data.get("handover_on"),
                note=data["note"],
                receiving_worker=data["receiving_worker"],
                seen_version=form.seen_version,
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Handover recorded: the family's case is closed, stepped up.")
            return redirect("casework:step-up", pk=pk)
    record_view(actor=user, target=chosen)
    return render(request, "casework/step_up_hand_over.html", {"episode": found, "step_up": chosen, "form": form})


@require_http_methods(["GET"])
def step_up_letter(request: HttpRequest, pk: int, step_up_pk: int) -> HttpResponse:
    """The ending letter to the family after the handover (FF §14.3): printable."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    chosen = StepUp.objects.filter(episode=found, pk=step_up_pk, status=StepUp.Status.HANDED_OVER).first()
    if chosen is None:
        raise refuse(user, "casework.stepup", step_up_pk, "open the ending letter of", "No ending letter yet")
    children = list(EpisodeChild.objects.filter(episode=found).select_related("person"))
    record_view(actor=user, target=found)
    record_listed(actor=user, shown=[child.person for child in children], where=f"ending letter {found.reference}")
    return render(
        request,
        "casework/step_up_letter.html",
        {"episode": found, "step_up": chosen, "children": children, "authority": found.authority},
    )
