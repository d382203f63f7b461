"""Transfers with children's social care. A step-up: raising it, the team leader's decision, the
handover and the family's ending letter. A step-down: the weekly transfer panel, a social
worker's proposal, the panel's decision, the handover to the coach and social care's closure.
Thin: fetch through `access`, parse with a form, call one service, render or redirect. (The
printable step-up referral, which carries the chronology, is the records app's.)"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.casework import access, stepping_down, transfers
from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.models import Episode, EpisodeChild, StepDown, StepUp
from earlyhelp.casework.transfer_forms import (
    FamilyReferenceForm,
    PanelDecisionForm,
    SocialCareClosedForm,
    StepDownHandoverForm,
    StepDownProposalForm,
    StepUpDecisionForm,
    StepUpHandoverForm,
    StepUpRaiseForm,
)
from earlyhelp.core.forms import service_errors_show
from earlyhelp.core.pdf import copy_response
from earlyhelp.organisations.models import user_of
from earlyhelp.people.access import families_visible_to, refuse
from earlyhelp.people.models import FamilyMembership


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


def _step_up_of(request: HttpRequest, pk: int, step_up_pk: int) -> tuple[StepUp, Episode]:
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
    return copy_response(
        request,
        "casework/step_up_letter.html",
        {"episode": found, "step_up": chosen, "children": children, "authority": found.authority},
        filename=f"ending-letter-{found.reference}.pdf",
    )


# Step-down through the weekly transfer panel --------------------------------------------------


@require_http_methods(["GET"])
def transfer_panel(request: HttpRequest) -> HttpResponse:
    """The weekly transfer panel: the step-downs proposed for each panel, and those on their way."""
    user = user_of(request)
    if not access.sees_transfer_panel(user):
        raise Http404("No such page")
    listed = list(
        access.step_downs_visible_to(user)
        .select_related("family", "team", "proposed_by", "episode")
        .order_by("panel_on", "proposed_at", "pk")
    )
    record_listed(actor=user, shown=[item.family for item in listed], where="transfer panel")
    return render(
        request,
        "casework/transfer_panel.html",
        {
            "proposed": [item for item in listed if item.status == StepDown.Status.PROPOSED],
            "in_progress": [
                item for item in listed if item.status in (StepDown.Status.ACCEPTED, StepDown.Status.HANDED_OVER)
            ],
            "done": [
                item
                for item in listed
                if item.status in (StepDown.Status.NOT_ACCEPTED, StepDown.Status.SOCIAL_CARE_CLOSED)
            ][-20:],
            "next_panel": stepping_down.next_panel_on(user.authority, after=timezone.localdate()),
            "can_propose": stepping_down.proposes_step_downs(user),
        },
    )


@require_http_methods(["GET", "POST"])
def step_down_propose(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not (access.sees_transfer_panel(user) and stepping_down.proposes_step_downs(user)):
        raise Http404("No such page")
    chooser = FamilyReferenceForm(request.GET or None)
    family = None
    if chooser.is_bound and chooser.is_valid():
        reference = chooser.cleaned_data["family"].strip().upper().removeprefix("F")
        family = families_visible_to(user).filter(pk=int(reference)).first() if reference.isdigit() else None
        if family is None:
            chooser.add_error("family", "No family has this reference: check it on the family's record")
    if family is None:
        return render(request, "casework/step_down_propose.html", {"chooser": chooser, "form": None})
    children = [
        (membership.person_id, membership.person.full_name)
        for membership in FamilyMembership.objects.filter(family=family, role=FamilyMembership.Role.CHILD)
        .select_related("person")
        .order_by("person__date_of_birth", "person_id")
    ]
    form = StepDownProposalForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = stepping_down.Proposal(
            children=data["children"],
            why_now=data["why_now"],
            proposed_plan=data["proposed_plan"],
            panel_on=data.get("panel_on"),
        )
        try:
            made = stepping_down.step_down_propose(actor=user, family=family, proposal=proposal)
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, f"Proposed for the transfer panel of {made.panel_on:%-d %B %Y}.")
            return redirect("casework:step-down", pk=made.pk)
    record_view(actor=user, target=family)
    return render(request, "casework/step_down_propose.html", {"chooser": chooser, "form": form, "family": family})


@require_http_methods(["GET", "POST"])
def step_down(request: HttpRequest, pk: int) -> HttpResponse:
    """One step-down, and the panel's decision on it."""
    user = user_of(request)
    found = access.get_step_down_for_user(user, pk)
    deciding = found.status == StepDown.Status.PROPOSED and stepping_down.sits_on_panel(user)
    form = PanelDecisionForm(request.POST or None, step_down=found) if deciding else None
    if request.method == "POST":
        if form is None:
            raise refuse(user, "casework.stepdown", pk, "decide", "No step-down found")
        if form.is_valid():
            try:
                stepping_down.step_down_decide(
                    actor=user, step_down=found, details=form.details(), seen_version=form.seen_version
                )
            except ValidationError as error:
                service_errors_show(form, error)
            else:
                messages.success(request, "The panel's decision is recorded.")
                return redirect("casework:step-down", pk=found.pk)
    children = list(found.children.all())
    record_view(actor=user, target=found)
    record_listed(actor=user, shown=children, where=f"step-down {found.pk}")
    episode = found.episode
    return render(
        request,
        "casework/step_down.html",
        {
            "step_down": found,
            "children": children,
            "form": form,
            "can_hand_over": episode is not None
            and found.status == StepDown.Status.ACCEPTED
            and access.can_work(user, episode),
            "can_close": found.status == StepDown.Status.HANDED_OVER and stepping_down.proposes_step_downs(user),
        },
    )


@require_http_methods(["GET", "POST"])
def step_down_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_step_down_for_user(user, pk, attempted="change")
    if found.episode is None or not access.can_work(user, found.episode):
        raise refuse(user, "casework.stepdown", pk, "change", "No step-down found")
    form = StepDownHandoverForm(request.POST or None, step_down=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stepping_down.step_down_hand_over(
                actor=user,
                step_down=found,
                handover_on=data.get("handover_on"),
                note=data["note"],
                consent_given_by=data["consent_given_by"],
                consent_given_on=data.get("consent_given_on"),
                seen_version=form.seen_version,
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Handover recorded, with the family's consent reaffirmed.")
            return redirect("casework:step-down", pk=found.pk)
    record_view(actor=user, target=found)
    return render(request, "casework/step_down_hand_over.html", {"step_down": found, "form": form})


@require_http_methods(["GET", "POST"])
def step_down_social_care_closed(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_step_down_for_user(user, pk, attempted="change")
    if not stepping_down.proposes_step_downs(user):
        raise refuse(user, "casework.stepdown", pk, "change", "No step-down found")
    form = SocialCareClosedForm(request.POST or None, step_down=found)
    if request.method == "POST" and form.is_valid():
        try:
            stepping_down.step_down_social_care_close(
                actor=user,
                step_down=found,
                closed_on=form.cleaned_data.get("closed_on"),
                seen_version=form.seen_version,
            )
        except ValidationError as error:
            service_errors_show(form, error, field_for={"closed_on": "closed_on"})
        else:
            messages.success(request, "Children's social care's closure is recorded.")
            return redirect("casework:step-down", pk=found.pk)
    record_view(actor=user, target=found)
    return render(request, "casework/step_down_closed.html", {"step_down": found, "form": form})


@require_http_methods(["GET"])
def step_down_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter to the family once the handover is done (FF §14.3): printable, and as a PDF."""
    user = user_of(request)
    found = access.get_step_down_for_user(user, pk)
    if found.handover_on is None:
        raise refuse(user, "casework.stepdown", pk, "open the letter of", "No letter yet")
    children = list(found.children.all())
    record_view(actor=user, target=found)
    record_listed(actor=user, shown=children, where=f"step-down letter {found.pk}")
    return copy_response(
        request,
        "casework/step_down_letter.html",
        {"step_down": found, "children": children, "authority": found.authority},
        filename=f"letter-{found.family.reference}.pdf",
    )
