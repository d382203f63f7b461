"""A forum case becomes a front-door referral in one step (issue 15; EHF purpose 8, T&P §4.2):
the child's details and the family's consent to early help are asked once, and the case's history
at the forum (what was stuck, what each meeting decided, every action and what came of it) goes
with it as the referral's reason. From there the front door's own rules apply: consent, the level
of need, the social-care rule, and an episode if it is allocated.

Only a named case can be referred: an anonymous one holds nothing that identifies the family, so
the practitioner first asks the family's consent and makes a referral in the usual way."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.core.templatetags.govuk_dates import govuk_date
from earlyhelp.core.workflow import locked
from earlyhelp.forums.models import Discussion, ForumAction, ForumMember, RequestForDiscussion
from earlyhelp.frontdoor.models import Contact
from earlyhelp.frontdoor.receiving import ReferralInvalidError, contact_receive
from earlyhelp.frontdoor.referrals import ConsentDetails, PersonDetails, Referral
from earlyhelp.organisations.models import User

Status = RequestForDiscussion.Status


@dataclass(frozen=True)
class ChildAndConsent:
    first_name: str
    last_name: str
    date_of_birth: date | None
    postcode: str
    needs: list[str]
    consent: ConsentDetails
    other_children: list[PersonDetails] = field(default_factory=list)


def forum_history(request: RequestForDiscussion) -> str:
    """The case's story at the forum, in the words the front door reads."""
    lines = [
        request.summary,
        "",
        f"What was stuck: {request.barrier}",
        "",
        f"Discussed at {request.forum.name}:",
    ]
    for discussion in Discussion.objects.filter(request=request).select_related("meeting").order_by("meeting__held_on"):
        lines.append(f"- {govuk_date(discussion.meeting.held_on)}: {discussion.decisions}")
    actions = ForumAction.objects.filter(request=request).order_by("due_on", "pk")
    if actions:
        lines += ["", "Actions agreed:"]
        for action in actions:
            outcome = action.get_status_display().lower()
            if action.done_on:
                outcome += f" on {govuk_date(action.done_on)}"
            lines.append(f"- {action.what} ({action.owner_name}, due {govuk_date(action.due_on)}): {outcome}")
    if request.ending:
        lines += ["", f"Escalated because: {request.ending}" if request.escalated_at else request.ending]
    return "\n".join(lines)


# Where the front door's problems are, on the forum's form.
FIELD_FOR = {
    "children.0.first_name": "first_name",
    "children.0.last_name": "last_name",
    "children.0.date_of_birth": "date_of_birth",
    "children.0.postcode": "postcode",
    "needs": "needs",
    "consent.status": "consent",
    "consent.given_by": "given_by",
    "consent.given_on": "given_on",
    "consent.how": "how",
    "consent.covers": "covers",
}


def _may_refer(actor: User, member: ForumMember | None, request: RequestForDiscussion) -> bool:
    runs = member is not None and member.runs_the_forum and member.forum_id == request.forum_id
    return runs or request.requested_by_id == actor.pk


@audited
def case_refer(
    *,
    actor: User,
    member: ForumMember | None,
    request: RequestForDiscussion,
    details: ChildAndConsent,
    seen_version: int | None,
) -> Contact:
    request = locked(request)
    if not _may_refer(actor, member, request):
        raise ValidationError({"consent": "Only the forum's coordinators or the practitioner who asked can refer"})
    if not request.consent_given:
        raise ValidationError(
            {"consent": "An anonymous case holds nothing that identifies the family: make a referral in the usual way"}
        )
    if not RequestForDiscussion.TRANSITIONS.allows(request.status, Status.REFERRED):
        raise ValidationError({"consent": "Only a case the forum has discussed can be referred from here"})
    versions = version_move_on(request, seen=seen_version)
    child = PersonDetails(
        role="child",
        first_name=details.first_name,
        last_name=details.last_name,
        date_of_birth=details.date_of_birth,
        postcode=details.postcode,
        school=request.school,
        address=request.address,
    )
    referral = Referral(
        referrer_name=actor.full_name,
        referrer_role=actor.job_title,
        referrer_email=actor.email,
        children=[child, *details.other_children],
        reason=forum_history(request),
        needs=details.needs,
        what_has_been_tried=request.what_has_been_done,
        other_agencies=f"Discussed at {request.forum.name} ({request.reference})",
        indicators=list(request.indicators),
        consent=details.consent,
    )
    try:
        contact = contact_receive(
            referral=referral, source=Contact.Source.FORUM, authority_id=actor.authority_id, referrer_user=actor
        )
    except ReferralInvalidError as invalid:
        raise ValidationError(
            {FIELD_FOR.get(where, "__all__"): problem for where, problem in invalid.problems.items()}
        ) from None
    before = request.status
    request.status, request.referral, request.ended_at = Status.REFERRED, contact, timezone.now()
    request.ending = f"Referred to the front door as {contact.reference}"
    request.save(update_fields=["status", "referral", "ended_at", "ending", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=request,
        changes={"status": [before, Status.REFERRED], "referral": contact.reference, "version": versions},
    )
    return contact
