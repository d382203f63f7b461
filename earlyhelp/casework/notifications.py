"""Telling the head of service when demand exceeds a team's capacity (FF §5.4).

Sent after the transaction commits. The e-mail names the episode's reference and team only, not
the family: the head of service reads the rest signed in, where the reading is audited.
"""

from django.conf import settings
from django.core.mail import send_mail

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited_writes, record_change
from earlyhelp.casework.caseloads import users_granted
from earlyhelp.casework.models import CapacityEscalation
from earlyhelp.organisations.roles import Permission


def capacity_escalated(*, escalation_pk: int) -> list[str]:
    escalation = CapacityEscalation.objects.select_related("episode", "episode__team").get(pk=escalation_pk)
    episode = escalation.episode
    heads = users_granted(Permission.DECIDE_BEYOND_CAPACITY).filter(authority_id=episode.authority_id)
    addresses = sorted(head.email for head in heads)
    if not addresses:
        return []
    send_mail(
        subject=f"A family needs your decision: {episode.team} has no room ({episode.reference})",
        message=(
            f"{escalation.why}\n\n"
            f"Episode {episode.reference}, {episode.team}, is waiting for a family coach. The service does not run "
            "a waiting list: please decide how this family will be helped.\n\n"
            "Sign in and open “Families beyond capacity” to decide."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=addresses,
    )
    with audited_writes():
        record_change(
            actor=None,
            actor_label="Casework e-mail",
            verb=AuditEvent.Verb.UPDATED,
            target=escalation,
            changes={"e-mailed to": addresses},
        )
    return addresses


def step_up_raised(*, step_up_pk: int) -> list[str]:
    """Tell the episode's team leaders at once that a coach is worried a family needs children's
    social care (FF §14.1: "must alert a Team Leader immediately"). The reference only."""
    from earlyhelp.casework.caseloads import team_leaders_of
    from earlyhelp.casework.models import StepUp

    step_up = StepUp.objects.select_related("episode", "episode__team", "raised_by").get(pk=step_up_pk)
    episode = step_up.episode
    addresses = sorted(leader.email for leader in team_leaders_of(episode.team_id))
    if not addresses:
        return []
    send_mail(
        subject=f"A step-up to children's social care is raised: {episode.reference}",
        message=(
            f"{step_up.raised_by} is worried that the needs of a family in {episode.team} are increasing, and has "
            f"raised a step-up to children's social care (episode {episode.reference}).\n\n"
            "Sign in and open the family's case file to discuss the case and decide (FF §14.1)."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=addresses,
    )
    with audited_writes():
        record_change(
            actor=None,
            actor_label="Casework e-mail",
            verb=AuditEvent.Verb.UPDATED,
            target=step_up,
            changes={"e-mailed to": addresses},
        )
    return addresses
