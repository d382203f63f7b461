"""Family network meetings' pages: the family's network and the offer, the family's answer, and
the meeting with the family's own plan. Thin: fetch through `access`, parse with a form, call one
service, render or redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.trail import record_listed, record_view
from earlyhelp.casework import access, networks
from earlyhelp.casework.models import FamilyNetworkMeeting
from earlyhelp.casework.network_forms import AnswerForm, HeldForm, OfferForm
from earlyhelp.core.forms import service_errors_show
from earlyhelp.organisations.models import user_of
from earlyhelp.people.access import refuse


@require_http_methods(["GET", "POST"])
def family_network(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_user(user, pk)
    meetings = list(FamilyNetworkMeeting.objects.filter(episode=found).prefetch_related("invited"))
    network = networks.the_network(found)
    in_hand = any(meeting.status in FamilyNetworkMeeting.IN_HAND for meeting in meetings)
    can_offer = access.can_work(user, found) and found.status == found.Status.OPEN and not in_hand
    form = (
        OfferForm(request.POST or None, network=[(person.pk, person.full_name) for person in network])
        if can_offer
        else None
    )
    if request.method == "POST":
        if form is None:
            found = access.get_episode_for_working(user, pk)  # refused unless they work it
            raise refuse(user, "casework.episode", pk, "offer a family network meeting for", "No episode found")
        if form.is_valid():
            try:
                networks.network_meeting_offer(actor=user, episode=found, offer=form.offer())
            except ValidationError as error:
                service_errors_show(form, error)
            else:
                messages.success(request, "The offer of a family network meeting is recorded.")
                return redirect("casework:family-network", pk=found.pk)
    record_view(actor=user, target=found)
    record_listed(actor=user, shown=network, where=f"family network of {found.reference}")
    return render(
        request,
        "casework/family_network.html",
        {
            "episode": found,
            "meetings": meetings,
            "network": network,
            "form": form,
            "can_work": access.can_work(user, found),
        },
    )


@require_http_methods(["GET", "POST"])
def family_network_meeting(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user = user_of(request)
    found = access.get_episode_for_working(user, pk)
    meeting = FamilyNetworkMeeting.objects.filter(episode=found, pk=meeting_pk).first()
    if meeting is None:
        raise refuse(user, "casework.familynetworkmeeting", meeting_pk, "change", "No meeting found")
    form: AnswerForm | HeldForm | None = None
    if meeting.status == FamilyNetworkMeeting.Status.OFFERED:
        form = AnswerForm(request.POST or None, meeting=meeting)
    elif meeting.status == FamilyNetworkMeeting.Status.ACCEPTED:
        form = HeldForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            if isinstance(form, AnswerForm):
                networks.network_meeting_answer(
                    actor=user, meeting=meeting, answer=form.answer(), seen_version=form.seen_version
                )
            else:
                networks.network_meeting_hold(
                    actor=user, meeting=meeting, held=form.held(), seen_version=form.seen_version
                )
        except ValidationError as error:
            service_errors_show(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("casework:family-network", pk=found.pk)
    record_view(actor=user, target=meeting)
    return render(request, "casework/family_network_meeting.html", {"episode": found, "meeting": meeting, "form": form})
