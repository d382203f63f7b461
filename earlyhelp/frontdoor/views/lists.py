"""The lists that follow a decision: families awaiting a meeting, a family support team's new
referrals, and a referrer's own referrals with their status."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed
from earlyhelp.frontdoor import access, selectors
from earlyhelp.organisations.models import user_of


@require_http_methods(["GET"])
def awaiting_meeting(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not access.can_triage(user):
        raise Http404("No such page")
    rows = selectors.awaiting_meeting_rows(contacts=access.contacts_for_triage(user), today=timezone.localdate())
    record_listed(actor=user, shown=[row.contact for row in rows], where="awaiting a meeting")
    return render(request, "frontdoor/awaiting_meeting.html", {"rows": rows})


@require_http_methods(["GET"])
def team_referrals(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    teams = list(access.teams_for_new_referrals(user))
    if not teams:
        raise Http404("No such page")
    chosen = request.GET.get("team", "")
    team = next((item for item in teams if str(item.pk) == chosen), None)
    if team is None:
        team = next((item for item in teams if item.pk == user.team_id), teams[0])
    contacts = list(selectors.team_new_referrals(team=team))
    record_listed(actor=user, shown=contacts, where=f"new referrals for {team}")
    return render(request, "frontdoor/team_referrals.html", {"team": team, "teams": teams, "contacts": contacts})


@require_http_methods(["GET"])
def my_referrals(request: HttpRequest) -> HttpResponse:
    """What became of the referrals the user made (and, for their agency's single point of contact,
    everyone's at the agency): the status only, not the front door's notes."""
    user = user_of(request)
    if not access.can_refer(user):
        raise Http404("No such page")
    contacts = list(selectors.referrals_list(contacts=access.referrals_visible_to(user))[:200])
    return render(request, "frontdoor/my_referrals.html", {"contacts": contacts})
