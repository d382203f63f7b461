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
