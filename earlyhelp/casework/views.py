"""Casework pages: My families, the team page, the case file, allocation, the head of service's
decisions, the legal basis and the lead practitioner. Thin: fetch through `access`, parse with a
form, call one service, render or redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.casework import (
    access,
    allocating,
    assessing,
    closing,
    leading,
    planning,
    selectors,
    supervising,
    visiting,
)
from earlyhelp.casework.caseloads import caseloads, coaches_of
from earlyhelp.casework.configuration import casework_settings_of, needs_list_in_use
from earlyhelp.casework.forms import (
    AllocationForm,
    AssessmentForm,
    AssessmentStartForm,
    CapacityDecisionForm,
    CaseNoteForm,
    ClosureForm,
    EscalationForm,
    LeadPractitionerForm,
    LegalBasisForm,
    MeetingForm,
    OversightForm,
    PlanActionForm,
    PlanActionUpdateForm,
    SignOffForm,
    TeamMemberForm,
    VisitForm,
)
from earlyhelp.casework.models import (
    Assessment,
    CapacityEscalation,
    CodedNeed,
    Episode,
    EpisodeChild,
    Meeting,
    NotImproving,
    PlanAction,
    StepUp,
    TeamMember,
)
from earlyhelp.casework.schedule import allocation_defaults
from earlyhelp.casework.selectors import assessment_as_written
from earlyhelp.core.forms import data_with, service_errors_show
from earlyhelp.core.pdf import copy_response
from earlyhelp.organisations.models import User, user_of
from earlyhelp.people.access import refuse

# The team page lists its open families 25 at a time, as the front-door queue lists contacts.
TEAM_PAGE_SIZE = 25


@require_http_methods(["GET"])
def my_families(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not access.has_my_families(user):
        raise Http404("No such page")
    clock = selectors.Clock.of(user.authority)
    rows = selectors.family_rows(selectors.my_episodes(user), clock=clock, now=timezone.now())
    record_listed(actor=user, shown=[row.episode for row in rows], where="my families")
    return render(request, "casework/my_families.html", {"rows": rows})


@require_http_methods(["GET"])
def my_team(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    teams = list(access.teams_visible_to(user))
    if not teams:
        raise Http404("No such page")
    own = next((team for team in teams if team.pk == user.team_id), teams[0])
    return redirect("casework:team", pk=own.pk)


@require_http_methods(["GET"])
def team(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    chosen, teams = access.team_and_teams_for_user(user, pk)
    clock = selectors.Clock.of(user.authority)
    # The open families a page at a time, the soonest due first; the counts cover them all.
    page = selectors.team_page(
        chosen, clock=clock, now=timezone.now(), page=request.GET.get("page"), size=TEAM_PAGE_SIZE
    )
    record_listed(
        actor=user, shown=[row.episode for row in [*page.awaiting, *page.families]], where=f"team page of {chosen}"
    )
    supervision = supervising.team_supervision(chosen, clock=clock)
    flagged = list(
        NotImproving.objects.filter(
            episode__team=chosen, responded_at__isnull=True, episode__status=Episode.Status.OPEN
        )
        .select_related("episode__family")
        .order_by("flagged_at", "pk")
    )
    step_ups = list(
        StepUp.objects.filter(episode__team=chosen, status=StepUp.Status.RAISED)
        .select_related("episode__family", "raised_by")
        .order_by("raised_at", "pk")
    )
    now = timezone.now()
    return render(
        request,
        "casework/team.html",
        {
            "page": page,
            "supervision": supervision,
            "step_ups": step_ups,
            "flagged": flagged,
            "supervision_overdue": sum(
                1 for row in supervision.coaches if selectors.shown(row.due, now, clock.hours).is_overdue
            ),
            "group_due": selectors.shown(supervision.group_due, now, clock.hours) if supervision.group_due else None,
            "families": page.families,
            "teams": teams,
            "can_allocate": access.leads_team(user, chosen.pk),
        },
    )


@require_http_methods(["GET"])
def episode(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    clock = selectors.Clock.of(user.authority)
    record_view(actor=user, target=found)
    every = request.GET.get("all") == "1"
    case = selectors.case_file(found, clock=clock, now=timezone.now(), every=every)
    record_listed(actor=user, shown=[child.person for child in case.children], where=f"episode {found.reference}")
    return render(
        request,
        "casework/episode.html",
        {
            "case": case,
            "every": every,
            "notes": case.latest_notes(every=every),
            "meetings": case.latest_meetings(every=every),
            "events": case.latest_events(every=every),
            "episode": found,
            "can_work": access.can_work(user, found),
            "can_allocate": access.can_allocate(user, found),
            "settings": clock.settings,
        },
    )


@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_allocating(user, pk)
    settings = casework_settings_of(found.authority)
    loads = caseloads(coaches_of(found.team), per_full_time_coach=found.authority.caseload_per_full_time_coach)
    children = list(EpisodeChild.objects.filter(episode=found).select_related("person").prefetch_related("needs"))
    needs_list = needs_list_in_use()
    needs = list(CodedNeed.objects.filter(needs_list=needs_list)) if needs_list else []
    clock = selectors.Clock.of(found.authority)
    defaults = allocation_defaults(
        referred_at=found.referred_at, allocated_on=timezone.localdate(), rules=clock.rules, hours=clock.hours
    )
    form = AllocationForm(
        request.POST or None,
        episode=found,
        loads=loads,
        children=children,
        needs=needs,
        settings=settings,
        defaults=defaults,
    )
    if request.method == "POST" and form.is_valid():
        try:
            allocating.episode_allocate(
                actor=user, episode=found, note=form.allocation_note(), seen_version=form.seen_version
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            found.refresh_from_db()
            messages.success(request, f"{found.family} allocated to {found.coach}.")
            return redirect("casework:episode", pk=found.pk)
    record_view(actor=user, target=found)
    record_listed(actor=user, shown=[child.person for child in children], where=f"allocating {found.reference}")
    escalation = CapacityEscalation.objects.filter(episode=found).order_by("-raised_at").first()
    return render(
        request,
        "casework/allocate.html",
        {
            "episode": found,
            "form": form,
            "loads": loads,
            "room": any(load.has_room_for(found.weight) for load in loads),
            "escalation": escalation,
        },
    )


@require_http_methods(["GET", "POST"])
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_allocating(user, pk)
    form = EscalationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            allocating.capacity_escalate(actor=user, episode=found, why=form.cleaned_data["why"])
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "The head of service has been told and will decide this family's case.")
            return redirect("casework:episode", pk=found.pk)
    record_view(actor=user, target=found)
    return render(request, "casework/escalate.html", {"episode": found, "form": form})


@require_http_methods(["GET"])
def capacity(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not access.can_decide_capacity(user):
        raise Http404("No such page")
    waiting = list(
        CapacityEscalation.objects.filter(episode__authority_id=user.authority_id, decided_at__isnull=True)
        .select_related("episode", "episode__team", "episode__family", "raised_by")
        .order_by("raised_at")
    )
    decided = list(
        CapacityEscalation.objects.filter(episode__authority_id=user.authority_id, decided_at__isnull=False)
        .select_related("episode", "episode__team", "episode__family", "decided_by")
        .order_by("-decided_at")[:20]
    )
    record_listed(actor=user, shown=[item.episode for item in waiting + decided], where="families beyond capacity")
    return render(request, "casework/capacity.html", {"waiting": waiting, "decided": decided})


@require_http_methods(["GET", "POST"])
def capacity_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    escalation = access.get_escalation_for_deciding(user, pk)
    form = CapacityDecisionForm(request.POST or None, escalation=escalation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocating.capacity_decide(
                actor=user,
                escalation=escalation,
                decision=data["decision"],
                reason=data["reason"],
                other_team=data.get("other_team"),
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, f"Decision recorded on {escalation.episode.reference}.")
            return redirect("casework:capacity")
    record_view(actor=user, target=escalation.episode)
    per_coach = escalation.episode.authority.caseload_per_full_time_coach
    loads = caseloads(coaches_of(escalation.episode.team), per_full_time_coach=per_coach)
    return render(request, "casework/capacity_decide.html", {"escalation": escalation, "form": form, "loads": loads})


@require_http_methods(["GET", "POST"])
def legal_basis(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    form = LegalBasisForm(request.POST or None, episode=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leading.legal_basis_change(
                actor=user,
                episode=found,
                to=data["legal_basis"],
                reason=data["reason"],
                social_worker=data.get("social_worker"),
                seen_version=form.seen_version,
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Legal basis changed.")
            return redirect("casework:episode", pk=found.pk)
    record_view(actor=user, target=found)
    settings = casework_settings_of(found.authority)
    return render(request, "casework/legal_basis.html", {"episode": found, "form": form, "settings": settings})


@require_http_methods(["GET", "POST"])
def lead_practitioner(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    form = LeadPractitionerForm(request.POST or None, episode=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leading.lead_practitioner_change(
                actor=user,
                episode=found,
                lead=data["lead"],
                agreed_with_family=data["agreed_with_family"],
                handover=data["handover"],
                handed_over_on=data.get("handed_over_on"),
                seen_version=form.seen_version,
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, f"{data['lead']} now leads the work with the family.")
            if not access.episodes_visible_to(user).filter(pk=found.pk).exists():
                return redirect("home")
            return redirect("casework:episode", pk=found.pk)
    record_view(actor=user, target=found)
    return render(request, "casework/lead_practitioner.html", {"episode": found, "form": form})


@require_http_methods(["GET", "POST"])
def visit_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_note = visiting.case_note_record(actor=user, episode=found, details=form.details())
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            written = "with its case note" if case_note.is_written else "; write its case note within 24 hours"
            messages.success(
                request, f"{case_note.get_kind_display()} recorded{' ' if case_note.is_written else ''}{written}."
            )
            return redirect("casework:episode", pk=found.pk)
    record_view(actor=user, target=found)
    return render(
        request,
        "casework/visit_add.html",
        {"episode": found, "form": form, "first_visit_recorded": found.first_visit_at is not None},
    )


@require_http_methods(["GET", "POST"])
def case_note(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    note = access.get_case_note(user, found, note_pk)
    form = CaseNoteForm(request.POST or None, case_note=note)
    if request.method == "POST" and form.is_valid():
        try:
            visiting.case_note_write(
                actor=user, case_note=note, note=form.cleaned_data["note"], seen_version=form.seen_version
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Case note saved.")
            return redirect("casework:episode", pk=found.pk)
    record_view(actor=user, target=note)
    return render(request, "casework/case_note.html", {"episode": found, "case_note": note, "form": form})


@require_http_methods(["GET", "POST"])
def oversight_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_allocating(user, pk)
    form = OversightForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visiting.oversight_record(
                actor=user, episode=found, point=form.cleaned_data["point"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Oversight recorded.")
            return redirect("casework:episode", pk=found.pk)
    record_view(actor=user, target=found)
    return render(request, "casework/oversight_add.html", {"episode": found, "form": form})


@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the family's assessment, or write the one being written."""
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    current = Assessment.objects.filter(episode=found).exclude(status=Assessment.Status.AUTHORISED).first()
    if current is not None and current.status != Assessment.Status.DRAFT:
        return redirect("casework:assessment-detail", pk=found.pk, assessment_pk=current.pk)
    record_view(actor=user, target=found)
    if current is None:
        return _assessment_start(request, user, found)
    settings = casework_settings_of(found.authority)
    children = list(EpisodeChild.objects.filter(episode=found).select_related("person"))
    record_listed(actor=user, shown=[child.person for child in children], where=f"assessment of {found.reference}")
    form = AssessmentForm(request.POST or None, assessment=current, children=children, settings=settings)
    if request.method == "POST" and form.is_valid():
        try:
            assessing.assessment_save(
                actor=user,
                assessment=current,
                answers=form.answers(),
                level_of_need=form.cleaned_data.get("level_of_need"),
                seen_version=form.seen_version,
            )
            if request.POST.get("action") == "submit":
                current.refresh_from_db()
                assessing.assessment_submit(actor=user, assessment=current)
        except ValidationError as error:
            service_errors_show(form, error)
            form.data = data_with(form.data, version=str(Assessment.objects.get(pk=current.pk).version))
        else:
            sent = request.POST.get("action") == "submit"
            messages.success(request, "Assessment sent for a team leader's sign-off." if sent else "Assessment saved.")
            return redirect("casework:episode", pk=found.pk) if sent else redirect("casework:assessment", pk=found.pk)
    return render(
        request,
        "casework/assessment.html",
        {"episode": found, "assessment": current, "form": form, "children": children},
    )


def _assessment_start(request: HttpRequest, user: User, found: Episode) -> HttpResponse:
    form = AssessmentStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessing.assessment_start(actor=user, episode=found, template=form.cleaned_data["template"])
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            return redirect("casework:assessment", pk=found.pk)
    return render(request, "casework/assessment_start.html", {"episode": found, "form": form})


@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """The assessment as written (printable for the family), and a team leader's sign-off."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    shown = access.get_assessment(user, found, assessment_pk)
    can_sign_off = shown.status == Assessment.Status.AWAITING_SIGN_OFF and access.can_allocate(user, found)
    form = SignOffForm(request.POST or None) if can_sign_off else None
    no_longer_waiting = ""
    if request.method == "POST" and form is None and access.can_allocate(user, found):
        # Someone else signed it off first: say so, change nothing.
        no_longer_waiting = f"The assessment is {shown.get_status_display().lower()}: it is not waiting for sign-off"
    if request.method == "POST" and form is not None and form.is_valid():
        signed = _sign_off(request, user, shown, form)
        if signed:
            return redirect("casework:episode", pk=found.pk)
    children = list(EpisodeChild.objects.filter(episode=found).select_related("person"))
    record_view(actor=user, target=shown)
    record_listed(actor=user, shown=[child.person for child in children], where=f"assessment of {found.reference}")
    return copy_response(
        request,
        "casework/assessment_detail.html",
        {
            "episode": found,
            "assessment": shown,
            "form": form,
            "written": assessment_as_written(shown, children),
            "can_work": access.can_work(user, found),
            "no_longer_waiting": no_longer_waiting,
        },
        filename=f"assessment-{found.reference}.pdf",
    )


def _sign_off(request: HttpRequest, user: User, shown: Assessment, form: SignOffForm) -> bool:
    data = form.cleaned_data
    try:
        if data["decision"] == "authorise":
            assessing.assessment_authorise(actor=user, assessment=shown, note=data["note"])
        else:
            assessing.assessment_return(actor=user, assessment=shown, because=data["note"])
    except ValidationError as error:
        service_errors_show(form, error)
        return False
    messages.success(request, "Assessment authorised." if data["decision"] == "authorise" else "Assessment returned.")
    return True


@require_http_methods(["GET", "POST"])
def team_around_the_family(request: HttpRequest, pk: int) -> HttpResponse:
    """The members of the Team Around the Family, and adding one (those who work the episode)."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    working = access.can_work(user, found)
    form = TeamMemberForm(request.POST or None) if working else None
    if request.method == "POST":
        if form is None:
            raise refuse(user, "casework.episode", found.pk, "change", "No episode found")
        if form.is_valid():
            try:
                planning.team_member_add(actor=user, episode=found, member=form.member())
            except ValidationError as error:
                service_errors_show(form, error)
            else:
                messages.success(request, f"{form.cleaned_data['name']} added to the Team Around the Family.")
                return redirect("casework:team-around-the-family", pk=found.pk)
    members = list(TeamMember.objects.filter(episode=found))
    record_view(actor=user, target=found)
    return render(request, "casework/team_around_the_family.html", {"episode": found, "members": members, "form": form})


@require_http_methods(["POST"])
def member_leave(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    member = access.get_team_member(user, found, member_pk)
    try:
        planning.team_member_leave(actor=user, member=member)
    except ValidationError as error:
        messages.success(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.name} has left the Team Around the Family.")
    return redirect("casework:team-around-the-family", pk=found.pk)


@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's plan as everyone's copy (printable), and adding an action."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    working = access.can_work(user, found)
    form = PlanActionForm(request.POST or None) if working else None
    if request.method == "POST":
        if form is None:
            raise refuse(user, "casework.episode", found.pk, "change", "No episode found")
        if form.is_valid():
            try:
                planning.plan_action_add(actor=user, episode=found, details=form.details())
            except ValidationError as error:
                service_errors_show(form, error)
            else:
                messages.success(request, "Action added to the plan.")
                return redirect("casework:plan", pk=found.pk)
    record_view(actor=user, target=found)
    children = list(EpisodeChild.objects.filter(episode=found).select_related("person"))
    record_listed(actor=user, shown=[child.person for child in children], where=f"plan of {found.reference}")
    return copy_response(
        request,
        "casework/plan.html",
        {
            "episode": found,
            "form": form,
            "children": children,
            "actions": list(PlanAction.objects.filter(episode=found)),
            "members": list(TeamMember.objects.filter(episode=found, left_at__isnull=True)),
            "meetings": list(Meeting.objects.filter(episode=found).order_by("-held_at")[:1]),
        },
        filename=f"plan-{found.reference}.pdf",
    )


@require_http_methods(["GET", "POST"])
def plan_action(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    action = access.get_plan_action(user, found, action_pk)
    form = PlanActionUpdateForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planning.plan_action_update(
                actor=user,
                action=action,
                status=data["status"],
                progress=data.get("progress") or "",
                by_when=data.get("by_when"),
                seen_version=form.seen_version,
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Plan action updated.")
            return redirect("casework:plan", pk=found.pk)
    record_view(actor=user, target=action)
    return render(request, "casework/plan_action.html", {"episode": found, "action": action, "form": form})


@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    members = list(TeamMember.objects.filter(episode=found, left_at__isnull=True))
    children = list(EpisodeChild.objects.filter(episode=found).select_related("person"))
    form = MeetingForm(
        request.POST or None, members=members, children=children, settings=casework_settings_of(found.authority)
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = planning.meeting_record(actor=user, episode=found, details=form.details())
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, f"{meeting.get_kind_display()} recorded.")
            return redirect("casework:episode", pk=found.pk)
    record_view(actor=user, target=found)
    record_listed(actor=user, shown=[child.person for child in children], where=f"meeting for {found.reference}")
    return render(request, "casework/meeting_add.html", {"episode": found, "form": form, "members": members})


@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """A team leader closes the family's case (FF §15–16)."""
    user = user_of(request)
    found = access.get_episode_for_allocating(user, pk)
    children = list(EpisodeChild.objects.filter(episode=found).select_related("person"))
    form = ClosureForm(
        request.POST or None, episode=found, children=children, settings=casework_settings_of(found.authority)
    )
    if request.method == "POST" and form.is_valid():
        try:
            closing.episode_close(actor=user, episode=found, details=form.details(), seen_version=form.seen_version)
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, f"{found.family}'s case is closed. Print the closure letter for the family.")
            return redirect("casework:closure-letter", pk=found.pk)
    record_view(actor=user, target=found)
    record_listed(actor=user, shown=[child.person for child in children], where=f"closing {found.reference}")
    open_actions = PlanAction.objects.filter(episode=found, status=PlanAction.Status.OPEN).count()
    ending = Meeting.objects.filter(episode=found, kind=Meeting.Kind.ENDING).order_by("-held_at").first()
    return render(
        request,
        "casework/close.html",
        {"episode": found, "form": form, "open_actions": open_actions, "ending": ending},
    )


@require_http_methods(["GET"])
def closure_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter to the family at closure, with the final plan (FF §15.1): printable."""
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    if found.is_open:
        raise refuse(user, "casework.episode", found.pk, "open the closure letter of", "No closure letter yet")
    record_view(actor=user, target=found)
    children = list(EpisodeChild.objects.filter(episode=found).select_related("person"))
    record_listed(actor=user, shown=[child.person for child in children], where=f"closure letter {found.reference}")
    return copy_response(
        request,
        "casework/closure_letter.html",
        {
            "episode": found,
            "children": children,
            "actions": list(PlanAction.objects.filter(episode=found)),
            "authority": found.authority,
        },
        filename=f"closure-letter-{found.reference}.pdf",
    )
