"""The forums' pages. Thin: fetch through `access`, parse with a form, call one service, render
or redirect. Every page that shows a case records who read it."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.core.forms import service_errors_show
from earlyhelp.core.numbers import record_id
from earlyhelp.forums import access, selectors
from earlyhelp.forums import market_place as market_place_module
from earlyhelp.forums import reports as reports_module
from earlyhelp.forums.forms import (
    ActionReviewForm,
    AttendanceForm,
    DecisionForm,
    DiscussionForm,
    InviteForm,
    LearningForm,
    MarketPlaceForm,
    MeetingChangeForm,
    MoveOnForm,
    ReferToFrontDoorForm,
    ReportFiltersForm,
    RequestForm,
)
from earlyhelp.forums.models import (
    CONFIDENTIALITY_STATEMENT,
    Attendance,
    ForumAction,
    ForumMember,
    MarketPlaceEvent,
    RequestForDiscussion,
)
from earlyhelp.forums.referring import case_refer, forum_history
from earlyhelp.forums.requesting import (
    ISSUE_LABELS,
    identifying_warnings,
    request_decide,
    request_invite,
    request_submit,
    request_withdraw,
)
from earlyhelp.forums.running import (
    Attendee,
    action_notes_send,
    action_review,
    agenda_confirm,
    attendance_record,
    case_move_on,
    decisions_due_on,
    decisions_recorded,
    discussion_record,
)
from earlyhelp.forums.scheduling import meeting_cancel, meeting_move
from earlyhelp.organisations.models import User, user_of
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import refuse
from earlyhelp.thresholds.layout import indicator_layout
from earlyhelp.thresholds.selectors import framework_version_latest


def _shown_ones(user: User, shown: list[selectors.Shown], where: str) -> None:
    """Requests whose family was shown by name are recorded as listed."""
    named = [item.request for item in shown if item.identity and item.request.consent_given]
    if named:
        record_listed(actor=user, shown=named, where=where)


@require_http_methods(["GET"])
def forums(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    today = timezone.localdate()
    mine = list(access.memberships(user))
    made = list(selectors.with_reading(access.requests_made_by(user)).order_by("-submitted_at")[:20])
    _shown_ones(user, [selectors.shown_as(user, None, item) for item in made], "your requests for discussion")
    escalated = []
    if user.can(Permission.DECIDE_BEYOND_CAPACITY):
        escalated = [
            selectors.shown_as(user, None, item)
            for item in selectors.with_reading(access.escalated_for(user)).select_related("forum")
        ]
        _shown_ones(user, escalated, "cases escalated by the forums")
    return render(
        request,
        "forums/forums.html",
        {
            "rows": selectors.forum_rows(access.forums_for(user), today=today),
            "memberships": mine,
            "made": made,
            "escalated": escalated,
            "can_request": user.can(Permission.MAKE_REFERRALS),
            "can_report": _sees_reports(user),
        },
    )


def _sees_reports(user: User) -> bool:
    """Figures: for those who work with figures, and for those who run a forum."""
    if user.can(Permission.VIEW_AGGREGATE_FIGURES):
        return True
    return access.memberships(user).filter(kind__in=ForumMember.RUNS_THE_FORUM).exists()


@require_http_methods(["GET"])
def forum(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_forum(user, pk)
    member = access.membership(user, found)
    today = timezone.localdate()
    members = selectors.members_of(found)
    context: dict[str, Any] = {
        "forum": found,
        "member": member,
        "ahead": selectors.meetings_ahead(found, today=today),
        "past": selectors.meetings_past(found, today=today) if member else [],
        "members": members if member else [],
        "runners": [m for m in members if m.runs_the_forum],
        "can_request": user.can(Permission.MAKE_REFERRALS),
    }
    if access.runs(member):
        assert member is not None
        waiting = [selectors.shown_as(user, member, item) for item in selectors.waiting_requests(found)]
        following = [selectors.shown_as(user, member, item) for item in selectors.followed_up_requests(found)]
        _shown_ones(user, waiting + following, f"requests for {found.name}")
        context |= {
            "waiting": waiting,
            "following": following,
            "overdue_actions": selectors.overdue_actions(found, today=today),
        }
    return render(request, "forums/forum.html", context)


@require_http_methods(["GET", "POST"])
def request_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_forum(user, pk)
    if not user.can(Permission.MAKE_REFERRALS):
        raise refuse(user, "forums.forum", pk, "request a discussion", "No forum found")
    version = framework_version_latest()
    if version is None:
        raise Http404("No thresholds framework is loaded")
    definition = version.definition
    form = RequestForm(request.POST or None, definition=definition, user=user)
    warnings: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        details = form.details(user)
        warnings = identifying_warnings(details)
        try:
            made = request_submit(actor=user, forum=found, details=details)
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(
                request,
                f"Your request {made.reference} has been sent to {found.name}. The coordinator will tell you "
                "whether it is on the agenda, and your time slot.",
            )
            return redirect("forums:request", made.pk)
    return render(
        request,
        "forums/request_add.html",
        {
            "forum": found,
            "form": form,
            "warnings": warnings,
            "definition": definition,
            "layout": indicator_layout(definition, form.chosen),
            "confidentiality": CONFIDENTIALITY_STATEMENT,
        },
    )


def _request_context(user: User, found: RequestForDiscussion, reader: access.Reader) -> dict[str, Any]:
    shown = selectors.shown_as(
        user, reader.member, selectors.with_reading(RequestForDiscussion.objects.filter(pk=found.pk)).get()
    )
    discussions, actions = selectors.history_of(found)
    return {
        "item": found,
        "shown": shown,
        "reader": reader,
        "words": selectors.as_read(shown, discussions, actions),
        "issues": [ISSUE_LABELS[code] for code in found.presenting_issues if code in ISSUE_LABELS],
        "discussions": discussions,
        "not_shared_with": list(found.not_shared_with.all()) if shown.identity else [],
        "can_refer": (reader.runs_the_forum or reader.is_requester)
        and shown.identity
        and RequestForDiscussion.TRANSITIONS.allows(found.status, RequestForDiscussion.Status.REFERRED),
        "can_withdraw": reader.is_requester
        and RequestForDiscussion.TRANSITIONS.allows(found.status, RequestForDiscussion.Status.WITHDRAWN),
    }


@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found, reader = access.get_request_for_user(user, pk)
    record_view(actor=user, target=found)
    meetings = selectors.open_meetings(found.forum)
    decision_form = move_on_form = invite_form = None
    if reader.runs_the_forum and found.kind == RequestForDiscussion.Kind.CASE and not found.ended_at:
        invite_form = InviteForm(request.POST if request.POST.get("form") == "invite" else None, request=found)
    if reader.runs_the_forum and found.status in RequestForDiscussion.WAITING:
        decision_form = DecisionForm(
            request.POST if request.POST.get("form") == "decide" else None, request=found, meetings=meetings
        )
    if reader.runs_the_forum and found.status in RequestForDiscussion.FOLLOWED_UP:
        move_on_form = MoveOnForm(
            request.POST if request.POST.get("form") == "move-on" else None, record_version=found.version
        )
    if request.method == "POST":
        outcome = _request_post(request, user, found, reader, decision_form, move_on_form, invite_form)
        if outcome is not None:
            return outcome
    return render(
        request,
        "forums/request.html",
        _request_context(user, found, reader)
        | {"decision_form": decision_form, "move_on_form": move_on_form, "invite_form": invite_form},
    )


def _request_post(
    request: HttpRequest,
    user: User,
    found: RequestForDiscussion,
    reader: access.Reader,
    decision_form: DecisionForm | None,
    move_on_form: MoveOnForm | None,
    invite_form: InviteForm | None = None,
) -> HttpResponse | None:
    which = request.POST.get("form")
    forms = {"decide": decision_form, "move-on": move_on_form, "invite": invite_form}
    allowed = {name: form is not None for name, form in forms.items()} | {"withdraw": reader.is_requester}
    if not allowed.get(str(which)):
        raise refuse(user, "forums.requestfordiscussion", found.pk, str(which), "No request found")
    try:
        if which == "decide" and decision_form is not None and decision_form.is_valid():
            assert reader.member is not None
            data = decision_form.cleaned_data
            request_decide(
                actor=user,
                member=reader.member,
                request=found,
                decision=data["decision"],
                meeting=data.get("meeting"),
                reason=data.get("reason") or "",
                seen_version=decision_form.seen_version,
            )
            messages.success(request, f"{found.reference}: your decision is saved and the requester can see it.")
            return redirect("forums:request", found.pk)
        if which == "move-on" and move_on_form is not None and move_on_form.is_valid():
            assert reader.member is not None
            data = move_on_form.cleaned_data
            case_move_on(
                actor=user,
                member=reader.member,
                request=found,
                ending=data["ending"],
                reason=data.get("reason") or "",
                seen_version=move_on_form.seen_version,
            )
            messages.success(request, f"{found.reference} is now: {found.get_status_display().lower()}.")
            return redirect("forums:request", found.pk)
        if which == "invite" and invite_form is not None and invite_form.is_valid():
            assert reader.member is not None
            request_invite(
                actor=user,
                member=reader.member,
                request=found,
                invited=list(invite_form.cleaned_data.get("invited") or []),
                seen_version=invite_form.seen_version,
            )
            messages.success(request, f"The invitations to {found.reference} are saved.")
            return redirect("forums:request", found.pk)
        if which == "withdraw" and reader.is_requester:
            request_withdraw(actor=user, request=found, seen_version=_posted_version(request))
            messages.success(request, f"You have withdrawn {found.reference}.")
            return redirect("forums:request", found.pk)
    except ValidationError as error:
        form = forms.get(str(which))
        if form is not None:
            service_errors_show(form, error)
        else:
            messages.error(request, " ".join(error.messages))
            return redirect("forums:request", found.pk)
    return None


def _posted_version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1


@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found, member = access.get_meeting_for_member(user, pk)
    record_view(actor=user, target=found)
    runs = member.runs_the_forum
    learning_form = LearningForm(
        request.POST if request.POST.get("form") == "learning" else None,
        record_version=found.version,
        initial={"learning": found.learning},
    )
    if request.method == "POST":
        if not runs:
            raise refuse(user, "forums.forummeeting", pk, "run", "No meeting found")
        outcome = _meeting_post(request, user, member, found, learning_form)
        if outcome is not None:
            return outcome
    page = selectors.meeting_page(user, member, found)
    _shown_ones(user, [shown for _, shown in page.slots], f"agenda of {found}")
    return render(
        request,
        "forums/meeting.html",
        {
            "meeting": found,
            "forum": found.forum,
            "member": member,
            "runs": runs,
            "page": page,
            "decisions_due_on": decisions_due_on(found),
            "today": timezone.localdate(),
            "learning_form": learning_form,
            "confidentiality": CONFIDENTIALITY_STATEMENT,
        },
    )


def _meeting_post(
    request: HttpRequest, user: User, member: ForumMember, found: Any, learning_form: LearningForm
) -> HttpResponse | None:
    which = request.POST.get("form")
    try:
        if which == "confirm-agenda":
            agenda_confirm(actor=user, member=member, meeting=found)
            messages.success(request, "The agenda is confirmed. It goes to the members on its day.")
            return redirect("forums:meeting", found.pk)
        if which == "action-notes":
            action_notes_send(actor=user, member=member, meeting=found)
            messages.success(request, "The action notes are being sent to the members.")
            return redirect("forums:meeting", found.pk)
        if which == "learning" and learning_form.is_valid():
            decisions_recorded(
                actor=user,
                member=member,
                meeting=found,
                learning=learning_form.cleaned_data.get("learning") or "",
                seen_version=learning_form.seen_version,
            )
            messages.success(request, "The meeting's decisions and actions are recorded.")
            return redirect("forums:meeting", found.pk)
    except ValidationError as error:
        if which == "learning":
            service_errors_show(learning_form, error)
            return None
        messages.error(request, " ".join(error.messages))
        return redirect("forums:meeting", found.pk)
    if which not in ("confirm-agenda", "action-notes", "learning"):
        raise Http404("No such action")
    return None


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found, member = access.get_meeting_to_run(user, pk)
    members = selectors.members_of(found.forum)
    recorded = {row.member_id: row.part for row in found.attendance.all() if row.member_id}
    form = AttendanceForm(
        request.POST or None, members=members, initial={f"member-{pk}": part for pk, part in recorded.items()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        attendees = [
            Attendee(
                name=m.user.full_name,
                agency_name=m.user.agency.name if m.user.agency else (m.represents or "Not given"),
                part=data[f"member-{m.pk}"],
                member=m,
            )
            for m in members
            if data.get(f"member-{m.pk}")
        ]
        attendees += [
            Attendee(name=data[f"guest_name-{i}"], agency_name=data[f"guest_agency-{i}"], part=Attendance.Part.PART_ONE)
            for i in range(form.GUEST_ROWS)
            if data.get(f"guest_name-{i}") or data.get(f"guest_agency-{i}")
        ]
        try:
            attendance_record(actor=user, member=member, meeting=found, attendees=attendees)
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Who came is recorded.")
            return redirect("forums:meeting", found.pk)
    return render(request, "forums/attendance.html", {"meeting": found, "form": form})


@require_http_methods(["GET", "POST"])
def discussion(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    user = user_of(request)
    found, member = access.get_meeting_to_run(user, pk)
    item, reader = access.get_request_for_user(user, request_pk)
    if item.forum_id != found.forum_id:
        raise refuse(user, "forums.requestfordiscussion", request_pk, "discuss", "No request found")
    record_view(actor=user, target=item)
    form = DiscussionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            discussion_record(
                actor=user,
                member=member,
                meeting=found,
                request=item,
                notes=form.cleaned_data.get("notes") or "",
                decisions=form.cleaned_data.get("decisions") or "",
                actions=form.actions(),
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, f"The discussion of {item.reference} is recorded.")
            return redirect("forums:meeting", found.pk)
    return render(
        request,
        "forums/discussion.html",
        _request_context(user, item, reader) | {"meeting": found, "form": form},
    )


@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    user = user_of(request)
    found, member = access.get_meeting_to_run(user, pk)
    chosen: ForumAction | None = (
        ForumAction.objects.filter(pk=action_pk, request__forum_id=found.forum_id)
        .select_related("request", "agreed_at")
        .first()
    )
    if chosen is None:
        raise refuse(user, "forums.forumaction", action_pk, "review", "No action found")
    item, reader = access.get_request_for_user(user, chosen.request_id)
    shown = selectors.shown_as(
        user, reader.member, selectors.with_reading(RequestForDiscussion.objects.filter(pk=item.pk)).get()
    )
    form = ActionReviewForm(request.POST or None, record_version=chosen.version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action_review(
                actor=user,
                member=member,
                action=chosen,
                meeting=found,
                outcome=data["outcome"],
                done_on=data.get("done_on"),
                note=data.get("note") or "",
                seen_version=form.seen_version,
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "The action's review is recorded.")
            return redirect("forums:meeting", found.pk)
    return render(
        request,
        "forums/action.html",
        {
            "meeting": found,
            "chosen": chosen,
            "shown": shown,
            "what": selectors.as_read(shown, [], [chosen]).actions[0][1],
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """A named case to the front door, in one step, with its history at the forum."""
    user = user_of(request)
    found, reader = access.get_request_for_user(user, pk, attempted="refer")
    if not (reader.runs_the_forum or reader.is_requester) or not reader.identity:
        raise refuse(user, "forums.requestfordiscussion", pk, "refer", "No request found")
    form = ReferToFrontDoorForm(request.POST or None, request=found)
    if request.method == "POST" and form.is_valid():
        try:
            contact = case_refer(
                actor=user, member=reader.member, request=found, details=form.details(), seen_version=form.seen_version
            )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(
                request,
                f"{found.reference} is now referral {contact.reference}. The front door decides on it within a "
                "working day, by its own rules.",
            )
            return redirect("forums:request", found.pk)
    return render(request, "forums/refer.html", {"item": found, "form": form, "history": forum_history(found)})


@require_http_methods(["GET"])
def reports(request: HttpRequest) -> HttpResponse:
    """The forums' figures for any period, with charts and the same figures as tables."""
    user = user_of(request)
    if not _sees_reports(user):
        raise Http404("No such page")
    forums_seen = access.forums_for(user)
    form = ReportFiltersForm(request.GET or None, forums=forums_seen)
    period = reports_module.quarter_of(timezone.localdate())
    chosen = forums_seen
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        period = reports_module.Period(
            since=data.get("since") or period.since, until=data.get("until") or data.get("since") or period.until
        )
        if data.get("since") and not data.get("until"):
            period = reports_module.Period(since=data["since"], until=reports_module.quarter_of(data["since"]).until)
        if data.get("forum"):
            chosen = forums_seen.filter(pk=data["forum"].pk)
    figures = reports_module.forum_figures(chosen, period)
    caf = reports_module.caf_recommended(user.authority_id, period)
    return render(
        request,
        "forums/reports.html",
        {
            "form": form,
            "period": period,
            "figures": figures,
            "caf": caf,
            "discussed_chart": reports_module.bars([(f.forum.name, f.cases_discussed) for f in figures]),
            "caf_chart": reports_module.bars(caf.by_area),
        },
    )


@require_http_methods(["GET", "POST"])
def market_place(request: HttpRequest) -> HttpResponse:
    """Each area's Market Place events: for every forum partner to see; set and announced by the
    area's forum coordinators."""
    user = user_of(request)
    areas = market_place_module.areas_run_by(user)
    form = MarketPlaceForm(request.POST if request.POST.get("form") == "add" else None, areas=areas, user=user)
    if request.method == "POST":
        if not areas:
            raise Http404("No such page")
        if request.POST.get("form") == "announce":
            chosen = MarketPlaceEvent.objects.filter(
                pk=record_id(request.POST.get("event")) or 0, authority_id=user.authority_id
            ).first()
            if chosen is None:
                raise Http404("No such event")
            try:
                market_place_module.market_place_announce(actor=user, event=chosen)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"The {chosen.area} Market Place is being announced to the area's forums.")
            return redirect("forums:market-place")
        if form.is_valid():
            data = form.cleaned_data
            try:
                market_place_module.market_place_add(
                    actor=user,
                    details=market_place_module.EventDetails(
                        area=data.get("area"),
                        held_on=data.get("held_on"),
                        venue=data.get("venue") or "",
                        details=data.get("details") or "",
                        agencies=list(data.get("agencies") or []),
                    ),
                )
            except ValidationError as error:
                service_errors_show(form, error)
            else:
                messages.success(request, "The Market Place event is saved. Announce it when you are ready.")
                return redirect("forums:market-place")
    events = (
        MarketPlaceEvent.objects.filter(authority_id=user.authority_id)
        .select_related("area")
        .prefetch_related("agencies")
        .order_by("-held_on")
    )
    return render(
        request,
        "forums/market_place.html",
        {"events": events, "form": form if areas else None, "areas": areas, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def meeting_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a meeting to another date or venue, or cancel it; the calendar keeps its place."""
    user = user_of(request)
    found, _member = access.get_meeting_to_run(user, pk)
    form = MeetingChangeForm(
        request.POST or None, record_version=found.version, initial={"held_on": found.held_on, "venue": found.venue}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["change"] == "cancel":
                meeting_cancel(
                    actor=user, meeting=found, because=data.get("because") or "", seen_version=form.seen_version
                )
                messages.success(request, "The meeting is cancelled. Its accepted requests are held for the next one.")
            else:
                meeting_move(
                    actor=user,
                    meeting=found,
                    to=data.get("held_on"),
                    venue=data.get("venue") or "",
                    seen_version=form.seen_version,
                )
                messages.success(request, "The meeting is moved. Its cycle follows the new date.")
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            return redirect("forums:meeting", found.pk)
    return render(request, "forums/meeting_change.html", {"meeting": found, "form": form})
