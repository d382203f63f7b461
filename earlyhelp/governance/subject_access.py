"""Subject access (UK GDPR Art 15): everything held about a person, gathered from every part of
the service, with what is about or from someone else marked for review before anything is sent,
each redaction or withholding with its reason, tracked against the statutory month (ADR 25).
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.models import Assessment, CaseNote, FamilyNetworkMeeting, StepDown, StepUp
from earlyhelp.core.workflow import locked
from earlyhelp.forums.models import RequestForDiscussion
from earlyhelp.frontdoor.models import Contact
from earlyhelp.governance.models import DisclosureItem, SubjectAccessRequest
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.models import FamilyMembership, Person, Relationship
from earlyhelp.records.models import AgencyReferral, ChronologyEntry, Document
from earlyhelp.sharing.models import AgreementToHelp, ConsentToShare, SharingDecision
from earlyhelp.thresholds.models import LevelOfNeedDecision

Item = DisclosureItem
ACCESS_SHOWN = 500


def _require(actor: User) -> None:
    if not actor.can(Permission.MANAGE_RETENTION):
        raise ValidationError("Only information governance handles subject access requests")


@audited
def request_record(
    *,
    actor: User,
    person: Person,
    requested_by: str,
    requester_is: str,
    received_on: date | None,
    identity_checked: bool,
) -> SubjectAccessRequest:
    """Record the request and gather at once everything held about the person."""
    _require(actor)
    problems: dict[str, str] = {}
    if not requested_by.strip():
        problems["requested_by"] = "Enter the name of the person who asked"
    if requester_is not in SubjectAccessRequest.RequesterIs.values:
        problems["requester_is"] = "Say who they are to the person the information is about"
    if received_on is None:
        problems["received_on"] = "Enter the date the request was received"
    elif received_on > timezone.localdate():
        problems["received_on"] = "The date received must be today or in the past"
    if problems:
        raise ValidationError(problems)
    assert received_on is not None
    request = SubjectAccessRequest.objects.create(
        person=person,
        requested_by=requested_by.strip(),
        requester_is=requester_is,
        received_on=received_on,
        identity_checked=identity_checked,
        status=SubjectAccessRequest.Status.IN_REVIEW,
        handled_by=actor,
    )
    items = gather(person)
    for item in items:
        item.request = request
        item.save()
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.CREATED,
            target=item,
            changes={"kind": item.kind, "source": item.source, "third_party": item.third_party},
        )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=request,
        changes={
            "person": person.reference,
            "received_on": str(received_on),
            "items": len(items),
            "third_party": sum(item.third_party for item in items),
        },
    )
    return request


def gather(person: Person) -> list[DisclosureItem]:
    """Everything held about the person, one item each, oldest first."""
    items = [
        _details(person),
        *_family(person),
        *_contacts(person),
        *_levels(person),
        *_consents(person),
        *_case_file(person),
        *_family_record(person),
        *_forums(person),
        _who_looked(person),
    ]
    return sorted(items, key=lambda item: (item.happened_at or timezone.now(), item.kind))


def _item(kind: str, source: str, when: datetime | None, lines: Iterable[str], *, third_party: bool) -> Item:
    text = "\n".join(line for line in lines if line)
    return DisclosureItem(
        kind=kind, source=source, happened_at=when, text=text or "(nothing recorded)", third_party=third_party
    )


def _details(person: Person) -> Item:
    born = person.date_of_birth or person.expected_date_of_delivery
    return _item(
        "Your details",
        f"people.person:{person.pk}",
        person.created_at,
        [
            f"Name: {person.full_name}",
            f"Other names: {', '.join(person.other_names_list)}" if person.other_names_list else "",
            f"Date of birth: {born:%-d %B %Y}" if born else "",
            f"Gender: {person.get_gender_display()}",
            f"Ethnicity: {person.get_ethnicity_display()}",
            f"Disability: {person.get_disability_display()} {person.disability_details}".strip(),
            f"First language: {person.first_language}" if person.first_language else "",
            f"NHS number: {person.nhs_number_display}" if person.nhs_number else "",
            f"UPN: {person.upn}" if person.upn else "",
            "Address: " + ", ".join(person.address_lines) if person.address_lines else "",
            f"School or setting: {person.school}" if person.school_id else "",
        ],
        third_party=False,
    )


def _family(person: Person) -> list[Item]:
    memberships = FamilyMembership.objects.filter(person=person).select_related("family")
    relationships = Relationship.objects.filter(Q(from_person=person) | Q(to_person=person)).select_related(
        "from_person", "to_person"
    )
    lines = [f"Member of {m.family.name} as {m.get_role_display().lower()}" for m in memberships]
    lines += [
        f"{r.from_person.full_name} – {r.get_kind_display().lower()} – {r.to_person.full_name}" for r in relationships
    ]
    if not lines:
        return []
    return [_item("Family and relationships", f"people.person:{person.pk}:family", None, lines, third_party=True)]


def _contacts(person: Person) -> list[Item]:
    contacts = (
        Contact.objects.filter(people__person=person)
        .distinct()
        .select_related("referrer_agency")
        .prefetch_related("decisions")
    )
    items = []
    for contact in contacts:
        decisions = [f"Decision: {d.get_outcome_display()}. {d.reasons}" for d in contact.decisions.all()]
        items.append(
            _item(
                "Referral to early help",
                f"frontdoor.contact:{contact.pk}",
                contact.received_at,
                [
                    f"Referral {contact.reference}, received {contact.received_at:%-d %B %Y}",
                    f"From: {contact.referrer_name}"
                    + (f", {contact.referrer_agency}" if contact.referrer_agency else ""),
                    f"Why: {contact.reason}",
                    f"What has been tried: {contact.what_has_been_tried}" if contact.what_has_been_tried else "",
                    f"Other agencies involved: {contact.other_agencies}" if contact.other_agencies else "",
                    *decisions,
                ],
                third_party=True,
            )
        )
    return items


def _levels(person: Person) -> list[Item]:
    return [
        _item(
            "Level of need",
            f"thresholds.levelofneeddecision:{decision.pk}",
            decision.decided_at,
            [
                f"Level {decision.level}, decided {decision.decided_at:%-d %B %Y} by {decision.decided_by}",
                f"Why it differs from the level suggested: {decision.override_reason}"
                if decision.override_reason
                else "",
            ],
            third_party=False,
        )
        for decision in LevelOfNeedDecision.objects.filter(person=person).select_related("decided_by")
    ]


def _consents(person: Person) -> list[Item]:
    items: list[Item] = []
    for agreement in AgreementToHelp.objects.filter(people=person):
        items.append(
            _item(
                "Agreement to receive help",
                f"sharing.agreementtohelp:{agreement.pk}",
                agreement.recorded_at,
                [
                    f"{'Agreed' if agreement.agreed else 'Declined'} on {agreement.given_on:%-d %B %Y}",
                    f"Said by {agreement.given_by}",
                    f"Withdrawn on {agreement.withdrawn_on:%-d %B %Y}" if agreement.withdrawn_on else "",
                ],
                third_party=False,
            )
        )
    for consent in ConsentToShare.objects.filter(people=person).prefetch_related("agencies"):
        agencies = ", ".join(agency.name for agency in consent.agencies.all()) or consent.with_whom
        items.append(
            _item(
                "Consent to share information",
                f"sharing.consenttoshare:{consent.pk}",
                consent.recorded_at,
                [
                    f"{'Given' if consent.given else 'Refused'} on {consent.given_on:%-d %B %Y} by {consent.given_by}",
                    f"For: {consent.purpose}" if consent.purpose else "",
                    f"With: {agencies}" if agencies else "",
                    f"Parts of the record: {'; '.join(consent.parts_labels)}" if consent.parts else "",
                    f"Withdrawn on {consent.withdrawn_on:%-d %B %Y}" if consent.withdrawn_on else "",
                ],
                third_party=False,
            )
        )
    for decision in SharingDecision.objects.filter(people=person).select_related("recipient_agency"):
        items.append(
            _item(
                "A decision to share information, or not",
                f"sharing.sharingdecision:{decision.pk}",
                decision.decided_at,
                [
                    f"{'Shared with ' + decision.recipient_label if decision.shared else 'Not shared'}",
                    f"Why: {decision.purpose}",
                    f"On what basis: {decision.basis}",
                    f"What: {decision.what}" if decision.what else "",
                    f"Why not: {decision.why_not}" if decision.why_not else "",
                ],
                third_party=True,
            )
        )
    return items


def _case_file(person: Person) -> list[Item]:
    families = FamilyMembership.objects.filter(person=person).values("family_id")
    items = [
        _item(
            "Case note",
            f"casework.casenote:{note.pk}",
            note.happened_at,
            [
                f"{note.get_kind_display()} on {note.happened_at:%-d %B %Y}",
                f"Seen: {note.who_was_seen}" if note.who_was_seen else "",
                note.note,
            ],
            third_party=True,
        )
        for note in CaseNote.objects.filter(episode__family_id__in=families)
    ]
    for assessment in Assessment.objects.filter(episode__family_id__in=families).select_related("template"):
        answers = assessment.answers if isinstance(assessment.answers, dict) else {}
        items.append(
            _item(
                str(assessment.template),
                f"casework.assessment:{assessment.pk}",
                assessment.started_at,
                [f"{key}: {value}" for key, value in answers.items() if value],
                third_party=True,
            )
        )
    return items


def _family_record(person: Person) -> list[Item]:
    """What the family's record holds beyond the episode's own work (issue 14): the chronology's
    entries, referrals to other agencies, documents (named: the files are part of the pack on
    request), step-ups, step-downs and family network meetings."""
    families = FamilyMembership.objects.filter(person=person).values("family_id")
    items = [
        _item(
            "Chronology entry",
            f"records.chronologyentry:{entry.pk}",
            entry.recorded_at,
            [f"{entry.happened_on:%-d %B %Y}: {entry.what}", f"Why it matters: {entry.significance}", entry.source],
            third_party=True,
        )
        for entry in ChronologyEntry.objects.filter(family_id__in=families)
    ]
    items += [
        _item(
            "Referral to another agency",
            f"records.agencyreferral:{referral.pk}",
            referral.recorded_at,
            [f"{referral.service} at {referral.agency_name}", referral.reason, referral.get_outcome_display()],
            third_party=True,
        )
        for referral in AgencyReferral.objects.filter(family_id__in=families)
    ]
    items += [
        _item(
            "Document",
            f"records.document:{document.pk}",
            document.uploaded_at,
            [f"{document.title} ({document.original_name})", document.description],
            third_party=True,
        )
        for document in Document.objects.filter(family_id__in=families)
    ]
    items += [
        _item(
            "Step-up to children's social care",
            f"casework.stepup:{step_up.pk}",
            step_up.raised_at,
            [step_up.concerns, step_up.get_status_display(), step_up.decision_reason],
            third_party=True,
        )
        for step_up in StepUp.objects.filter(episode__family_id__in=families)
    ]
    items += [
        _item(
            "Step-down from children's social care",
            f"casework.stepdown:{step_down.pk}",
            step_down.proposed_at,
            [step_down.why_now, step_down.proposed_plan, step_down.get_status_display()],
            third_party=True,
        )
        for step_down in StepDown.objects.filter(family_id__in=families)
    ]
    items += [
        _item(
            "Family network meeting",
            f"casework.familynetworkmeeting:{meeting.pk}",
            meeting.recorded_at,
            [f"Offered {meeting.offered_on:%-d %B %Y}", meeting.get_status_display(), meeting.family_plan],
            third_party=True,
        )
        for meeting in FamilyNetworkMeeting.objects.filter(episode__family_id__in=families)
    ]
    return items


def _forums(person: Person) -> list[Item]:
    """Requests for discussion at a forum about the person's family (from the front door), or
    naming the person (a practitioner's request with the family's consent), with each meeting's
    decisions. Anonymous ones name nobody and so are never found."""
    families = FamilyMembership.objects.filter(person=person).values("family_id")
    named = Q(consent_given=True, child_name__icontains=f"{person.first_name} {person.last_name}")
    requests = (
        RequestForDiscussion.objects.filter(Q(family_id__in=families) | named)
        .select_related("forum")
        .prefetch_related("discussions__meeting")
    )
    return [
        _item(
            "Request for discussion at an Early Help Forum",
            f"forums.requestfordiscussion:{request.pk}",
            request.submitted_at,
            [
                f"{request.forum.name}, {request.reference}: {request.get_status_display()}",
                request.summary,
                request.barrier,
                *(f"{d.meeting.held_on:%-d %B %Y}: {d.decisions}" for d in request.discussions.all()),
            ],
            third_party=True,
        )
        for request in requests
    ]


def _who_looked(person: Person) -> Item:
    seen = (
        AuditEvent.objects.for_target("people.person", person.pk)
        .filter(verb__in=[AuditEvent.Verb.VIEWED, AuditEvent.Verb.UPDATED])
        .order_by("-occurred_at")[:ACCESS_SHOWN]
    )
    lines = [
        f"{event.occurred_at:%-d %B %Y}: {event.get_verb_display().lower()} by {event.actor_label}" for event in seen
    ]
    return _item(
        "Who has opened or changed your record", f"people.person:{person.pk}:access", None, lines, third_party=False
    )


@audited
def item_decide(
    *, actor: User, item: DisclosureItem, decision: str, redacted_text: str, reason: str, seen_version: int | None
) -> DisclosureItem:
    _require(actor)
    item = locked(item)
    problems: dict[str, str] = {}
    if item.request.status != SubjectAccessRequest.Status.IN_REVIEW:
        raise ValidationError("This request has been sent or withdrawn: its items can no longer change")
    if decision not in (
        DisclosureItem.Decision.DISCLOSE,
        DisclosureItem.Decision.REDACT,
        DisclosureItem.Decision.WITHHOLD,
    ):
        problems["decision"] = "Choose whether to send it as it is, with parts removed, or keep it back"
    if decision == DisclosureItem.Decision.REDACT and (
        not redacted_text.strip() or redacted_text.strip() == item.text.strip()
    ):
        problems["redacted_text"] = "Remove what must not be sent from the text below (the original is kept)"
    if decision in (DisclosureItem.Decision.REDACT, DisclosureItem.Decision.WITHHOLD) and not reason.strip():
        problems["reason"] = "Give the reason (for example: it identifies the referrer, who did not consent)"
    if problems:
        raise ValidationError(problems)
    versions = version_move_on(item, seen=seen_version)
    before = item.decision
    item.decision = decision
    item.redacted_text = redacted_text.strip() if decision == DisclosureItem.Decision.REDACT else ""
    item.reason = reason.strip() if decision != DisclosureItem.Decision.DISCLOSE else ""
    item.save(update_fields=["decision", "redacted_text", "reason", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=item,
        changes={"decision": [before, decision], "reason": item.reason, "version": versions},
    )
    return item


@audited
def request_extend(*, actor: User, request: SubjectAccessRequest, because: str) -> SubjectAccessRequest:
    """Two further months for a complex request; the requester must be told within the first."""
    _require(actor)
    request = locked(request)
    if request.extended_because:
        raise ValidationError({"because": "This request has already been extended"})
    if timezone.localdate() > request.due_on:
        raise ValidationError({"because": "The month has passed: an extension had to be made within it"})
    if not because.strip():
        raise ValidationError({"because": "Say why the request is complex (the requester is told this)"})
    request.extended_because = because.strip()
    request.save(update_fields=["extended_because"])
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=request, changes={"extended_because": because.strip()}
    )
    return request


@audited
def request_send(*, actor: User, request: SubjectAccessRequest, sent_on: date | None) -> SubjectAccessRequest:
    """Record that the pack was sent: only once the requester's identity is checked and every
    item about or from someone else has been reviewed."""
    _require(actor)
    request = locked(request)
    problems: list[str] = []
    if request.status != SubjectAccessRequest.Status.IN_REVIEW:
        problems.append("This request has already been sent or withdrawn")
    if not request.identity_checked:
        problems.append("Check the requester's identity, and their authority to act for the person, first")
    waiting = request.items.filter(third_party=True, decision=DisclosureItem.Decision.PENDING).count()
    if waiting:
        problems.append(f"{waiting} item{'s' if waiting != 1 else ''} about or from someone else still to review")
    if sent_on is None or sent_on > timezone.localdate():
        problems.append("Enter the date it was sent: today or earlier")
    if problems:
        raise ValidationError(problems)
    request.status, request.sent_on = SubjectAccessRequest.Status.SENT, sent_on
    request.save(update_fields=["status", "sent_on"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=request,
        changes={
            "status": ["in_review", "sent"],
            "sent_on": str(sent_on),
            "on_time": bool(sent_on and sent_on <= request.due_on),
        },
    )
    return request


@audited
def identity_confirm(*, actor: User, request: SubjectAccessRequest) -> SubjectAccessRequest:
    _require(actor)
    request = locked(request)
    if not request.identity_checked:
        request.identity_checked = True
        request.save(update_fields=["identity_checked"])
        record_change(
            actor=actor, verb=AuditEvent.Verb.UPDATED, target=request, changes={"identity_checked": [False, True]}
        )
    return request


def pack(request: SubjectAccessRequest) -> list[DisclosureItem]:
    """What is sent: every item not kept back, redacted where decided."""
    return [
        item
        for item in request.items.all()
        if item.decision != DisclosureItem.Decision.WITHHOLD
        and (item.decision != DisclosureItem.Decision.PENDING or not item.third_party)
    ]
