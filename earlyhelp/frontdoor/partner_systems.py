"""Partner systems: the keys that let a partner agency's system send referrals through the API.
Only a digest of each key is stored; the key itself is shown once."""

import hashlib
import secrets

from earlyhelp.frontdoor.models import PartnerSystem


def partner_system_add(*, agency_id: int, authority_id: int, name: str) -> tuple[PartnerSystem, str]:
    """A new partner system and its key; the key is returned once and never stored."""
    key = f"ehp_{secrets.token_urlsafe(32)}"
    partner = PartnerSystem.objects.create(
        authority_id=authority_id,
        agency_id=agency_id,
        name=name,
        key_prefix=key[:12],
        key_digest=hashlib.sha256(key.encode()).hexdigest(),
    )
    return partner, key


def partner_system_for_key(key: str) -> PartnerSystem | None:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return PartnerSystem.objects.filter(key_digest=digest, active=True).select_related("agency").first()
