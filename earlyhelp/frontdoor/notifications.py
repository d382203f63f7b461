"""Telling the referrer and the family what the front door decided: an e-mail to each who gave
an address, and a letter the practitioner can print (`letter.html`, the same words).

Called after the decision's transaction commits, so that nobody is told about a decision that
was not saved. Each e-mail sent is written to the contact's audit trail.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited_writes, record_change
from earlyhelp.frontdoor.models import Contact, ContactPerson, TriageDecision


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    is_family: bool


def family_addressee(contact: Contact) -> ContactPerson | None:
    """Who a letter to the family is addressed to: the first parent or carer named."""
    adults = [entry for entry in contact.people.all() if not entry.is_child]
    return adults[0] if adults else None


def recipients(decision: TriageDecision) -> list[Recipient]:
    contact = decision.contact
    found: list[Recipient] = []
    if contact.referrer_email:
        found.append(
            Recipient(contact.referrer_name, contact.referrer_email, is_family=contact.source == Contact.Source.FAMILY)
        )
    if decision.tell_family:
        for entry in contact.people.all():
            if entry.email and not entry.is_child:
                found.append(Recipient(entry.full_name, entry.email, is_family=True))
    unique: dict[str, Recipient] = {}
    for recipient in found:
        unique.setdefault(recipient.email.lower(), recipient)
    return list(unique.values())


def outcome_context(decision: TriageDecision, *, for_family: bool) -> dict[str, object]:
    return {
        "decision": decision,
        "contact": decision.contact,
        "for_family": for_family,
        "front_door_phone": decision.contact.authority.front_door_phone,
        "social_care_phone": decision.contact.authority.childrens_social_care_phone,
        "service_name": decision.contact.authority.service_name,
    }


def outcome_send(*, decision_pk: int) -> list[str]:
    decision = (
        TriageDecision.objects.select_related("contact", "service", "team", "meeting_area")
        .prefetch_related("contact__people")
        .get(pk=decision_pk)
    )
    sent = []
    for recipient in recipients(decision):
        context = outcome_context(decision, for_family=recipient.is_family) | {"recipient": recipient}
        send_mail(
            subject=f"Your request for early help: {decision.contact.reference}",
            message=render_to_string("frontdoor/email/outcome.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[recipient.email],
        )
        sent.append(recipient.email)
    if sent:
        with audited_writes():
            record_change(
                actor=None,
                actor_label="Front door e-mail",
                verb=AuditEvent.Verb.UPDATED,
                target=decision.contact,
                changes={"outcome e-mailed to": sent},
            )
    return sent
