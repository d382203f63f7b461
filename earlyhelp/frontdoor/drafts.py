"""A professional's referral draft: kept as they type, and sent once, whatever the timing."""

from typing import Any

from earlyhelp.audit.trail import audited
from earlyhelp.frontdoor.journey import referral_from_draft
from earlyhelp.frontdoor.models import Contact, ReferralDraft
from earlyhelp.frontdoor.receiving import contact_receive
from earlyhelp.organisations.models import User


def referral_draft_save(*, owner: User, data: dict[str, Any]) -> ReferralDraft:
    draft, _ = ReferralDraft.objects.update_or_create(owner=owner, defaults={"data": data, "sent_contact": None})
    return draft


def referral_draft_of(owner: User) -> ReferralDraft | None:
    """The user's unsent draft, if any."""
    return ReferralDraft.objects.filter(owner=owner, sent_contact__isnull=True).first()


class ReferralDraftGoneError(Exception):
    """There is no draft to send: it was discarded, or never started."""


@audited
def referral_draft_send(*, owner: User) -> Contact:
    """Send the user's draft once, whatever the timing: the draft row is locked, and a draft
    already sent returns the referral it made (a double click, a retry, a second tab)."""
    # No join here: after waiting for the lock PostgreSQL re-reads the draft, but a joined row
    # would come from before the wait, so the contact just sent would look missing.
    draft = ReferralDraft.objects.select_for_update().filter(owner=owner).first()
    if draft is None:
        raise ReferralDraftGoneError
    if draft.sent_contact_id is not None:
        return Contact.objects.get(pk=draft.sent_contact_id)
    if not draft.data:
        raise ReferralDraftGoneError
    return contact_receive(
        referral=referral_from_draft(draft.data),
        source=Contact.Source.PROFESSIONAL,
        authority_id=owner.authority_id,
        referrer_user=owner,
    )


def referral_draft_discard(*, owner: User) -> None:
    ReferralDraft.objects.filter(owner=owner).delete()
