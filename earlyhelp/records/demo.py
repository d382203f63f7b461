"""Issue 14 in the demonstration authority (`make run`): a chronology entry and a referral to
another agency on the first families, a step-up waiting for a decision, a family network meeting
offered, and a step-down proposed for the next transfer panel. Everything through the services, as
a practitioner would record it."""

from datetime import timedelta

from django.utils import timezone

from earlyhelp.audit.trail import audited_writes
from earlyhelp.casework import networks, stepping_down, transfers
from earlyhelp.casework.models import Episode, StepDown
from earlyhelp.organisations.models import Authority, User
from earlyhelp.people.models import Family, FamilyMembership
from earlyhelp.records.recording import EntryDetails, chronology_entry_add
from earlyhelp.records.referring import ReferralDetails, agency_referral_make


def load(authority: Authority) -> int:
    """Once: returns how many records were made."""
    if StepDown.objects.filter(authority=authority).exists():
        return 0
    episodes = list(
        Episode.objects.filter(authority=authority, status=Episode.Status.OPEN)
        .select_related("coach", "family")
        .order_by("pk")[:4]
    )
    social_worker = User.objects.filter(authority=authority, email__startswith="socialworker@").first()
    if len(episodes) < 4 or social_worker is None:
        return 0
    made = 0
    today = timezone.localdate()
    with audited_writes():
        for episode in episodes[:3]:
            coach = episode.coach
            assert coach is not None
            children = list(episode.children.values_list("person_id", flat=True))
            chronology_entry_add(
                actor=coach,
                episode=episode,
                details=EntryDetails(
                    happened_on=today - timedelta(days=10),
                    what="Police called to the home after a neighbour heard shouting; no arrests",
                    significance=(
                        "The children were at home and heard the argument; the first call-out since the referral"
                    ),
                    source="Police notification (PPN)",
                    children=children,
                ),
            )
            agency_referral_make(
                actor=coach,
                episode=episode,
                details=ReferralDetails(
                    agency=None,
                    agency_name="Northamptonshire CAMHS",
                    service="Emotional wellbeing assessment",
                    reason="Low mood and poor sleep since the separation",
                    made_on=today,
                    family_agreed=True,
                    children=children[:1],
                ),
            )
            made += 2
        first, second = episodes[0], episodes[1]
        assert first.coach is not None
        assert second.coach is not None
        transfers.step_up_raise(
            actor=first.coach,
            episode=first,
            concerns="Two police call-outs in a week, and the eldest has disclosed being hit by her father",
        )
        networks.network_meeting_offer(
            actor=second.coach,
            episode=second,
            offer=networks.Offer(
                offered_on=today,
                offered_to="Mum",
                invited=[person.pk for person in networks.the_network(second)][:3],
                others_invited="A family friend Mum named",
            ),
        )
        made += 2
        family = _family_without_open_work(authority)
        if family is not None:
            child_ids = list(
                FamilyMembership.objects.filter(family=family, role=FamilyMembership.Role.CHILD).values_list(
                    "person_id", flat=True
                )
            )
            stepping_down.step_down_propose(
                actor=social_worker,
                family=family,
                proposal=stepping_down.Proposal(
                    children=child_ids,
                    why_now=(
                        "The child in need plan has been met; school attendance is back above 95% and Mum is engaging"
                    ),
                    proposed_plan=(
                        "Weekly check-in with the school's family support worker\n"
                        "Parenting course at the children's centre this term\n"
                        "Review with the family in six weeks"
                    ),
                ),
            )
            made += 1
    return made


def _family_without_open_work(authority: Authority) -> Family | None:
    busy = Episode.objects.exclude(status=Episode.Status.CLOSED).values("family_id")
    return (
        Family.objects.filter(authority=authority, restricted=False, memberships__role=FamilyMembership.Role.CHILD)
        .exclude(pk__in=busy)
        .order_by("pk")
        .first()
    )
