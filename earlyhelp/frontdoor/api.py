"""The referrals API for partner systems (a school's MIS, a health record, a police system).

Each partner system has its own key, sent as `Authorization: Bearer <key>`; it sees only the
referrals it sent. A referral is checked exactly as the online form checks it and is saved whole
or not at all. An `Idempotency-Key` header makes a retried request return the referral the
first one created (200) instead of creating another; the same key with a different referral is
refused (409).
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Header, Router
from ninja.responses import Status
from ninja.security import HttpBearer
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from earlyhelp.core.api_answers import KEYED_ANSWERS, MessageOut, ProblemOut, ProblemsOut
from earlyhelp.core.numbers import is_ascii_digits
from earlyhelp.frontdoor import access, partner_systems, receiving
from earlyhelp.frontdoor.models import (
    Consent,
    ConsentCovers,
    ConsentHow,
    Contact,
    PartnerSystem,
    contact_pk_from_reference,
)
from earlyhelp.frontdoor.referrals import ConsentDetails, PersonDetails, Referral
from earlyhelp.people.models import Gender


class PartnerKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> PartnerSystem | None:
        return partner_systems.partner_system_for_key(token)


router = Router(tags=["Referrals"], auth=PartnerKey())


def _printable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


def _text(longest: int) -> Any:
    return Annotated[str, Field(max_length=longest), AfterValidator(_printable)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReferrerIn(Strict):
    name: _text(200) = Field(description="The practitioner making the referral.")  # type: ignore[valid-type]
    role: _text(200) = ""  # type: ignore[valid-type]
    email: _text(254) = ""  # type: ignore[valid-type]
    phone: _text(50) = ""  # type: ignore[valid-type]


class PersonIn(Strict):
    role: Literal["child", "unborn", "parent", "carer", "other_adult"]
    first_name: _text(100)  # type: ignore[valid-type]
    last_name: _text(100)  # type: ignore[valid-type]
    date_of_birth: date | None = None
    expected_date_of_delivery: date | None = Field(default=None, description="For an unborn baby.")
    gender: Literal[tuple(Gender.values)] = Gender.NOT_KNOWN  # type: ignore[valid-type]
    nhs_number: _text(20) = Field(default="", description="10 digits; spaces are ignored.")  # type: ignore[valid-type]
    upn: _text(20) = Field(default="", description="The 13-character unique pupil number.")  # type: ignore[valid-type]
    address: _text(500) = ""  # type: ignore[valid-type]
    postcode: _text(10) = ""  # type: ignore[valid-type]
    phone: _text(50) = ""  # type: ignore[valid-type]
    email: _text(254) = ""  # type: ignore[valid-type]
    school: _text(200) = ""  # type: ignore[valid-type]

    def to_details(self) -> PersonDetails:
        return PersonDetails(**self.model_dump())


class ConsentIn(Strict):
    status: Literal[tuple(Consent.values)] = Field(  # type: ignore[valid-type]
        description="given, refused or not_asked. An early help service needs the family's consent."
    )
    given_by: _text(200) = Field(default="", description="Who gave consent, and how they are related.")  # type: ignore[valid-type]
    given_on: date | None = None
    how: Literal[tuple(["", *ConsentHow.values])] = ""  # type: ignore[valid-type]
    covers: list[Literal[tuple(ConsentCovers.values)]] = Field(default_factory=list, max_length=3)  # type: ignore[valid-type]


class ReferralIn(Strict):
    referrer: ReferrerIn
    children: list[PersonIn] = Field(max_length=12, description="At least one, unless immediate_danger is true.")
    adults: list[PersonIn] = Field(default_factory=list, max_length=12)
    needs: list[_text(60)] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=20, description="Need codes from GET /referrals/needs."
    )
    reason: _text(5000) = Field(default="", description="What the referrer is worried about.")  # type: ignore[valid-type]
    what_has_been_tried: _text(5000) = ""  # type: ignore[valid-type]
    other_agencies: _text(5000) = ""  # type: ignore[valid-type]
    indicators: list[_text(60)] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=300, description="Indicator identifiers from the thresholds framework in use."
    )
    immediate_danger: bool = Field(
        default=False,
        description="A child is in immediate danger. Call 999 as well: this API is not an emergency line.",
    )
    consent: ConsentIn

    def to_referral(self) -> Referral:
        return Referral(
            referrer_name=self.referrer.name,
            referrer_role=self.referrer.role,
            referrer_email=self.referrer.email,
            referrer_phone=self.referrer.phone,
            children=[child.to_details() for child in self.children],
            adults=[adult.to_details() for adult in self.adults],
            needs=list(self.needs),
            reason=self.reason,
            what_has_been_tried=self.what_has_been_tried,
            other_agencies=self.other_agencies,
            indicators=list(self.indicators),
            immediate_danger=self.immediate_danger,
            consent=ConsentDetails(
                status=self.consent.status,
                given_by=self.consent.given_by,
                given_on=self.consent.given_on,
                how=self.consent.how,
                covers=list(self.consent.covers),
            ),
        )


class ReferralOut(BaseModel):
    reference: str = Field(description="Quote this reference to the front door.")
    received_at: datetime
    status: str = Field(
        description="awaiting_decision, awaiting_confirmation, signposted, awaiting_meeting, allocated or redirected."
    )
    status_label: str
    immediate_danger: bool

    @classmethod
    def from_contact(cls, contact: Contact) -> "ReferralOut":
        return cls(
            reference=contact.reference,
            received_at=contact.received_at,
            status=contact.status,
            status_label=contact.get_status_display(),
            immediate_danger=contact.immediate_danger,
        )


class NeedOut(BaseModel):
    code: str
    name: str
    families_first_factor: bool


def _location(key: str) -> list[str | int]:
    """Where a problem is, in the request's own terms (`referrer_name` is `referrer.name` here)."""
    if key.startswith("referrer_"):
        key = "referrer." + key.removeprefix("referrer_")
    return ["body", "referral", *(int(part) if is_ascii_digits(part) else part for part in key.split("."))]


def _partner(request: HttpRequest) -> PartnerSystem:
    partner = getattr(request, "auth", None)
    assert isinstance(partner, PartnerSystem)
    return partner


@router.get("/needs", response={200: list[NeedOut], **KEYED_ANSWERS}, summary="The reasons a referral can give")
def need_list(request: HttpRequest) -> list[NeedOut]:
    from earlyhelp.directory.selectors import needs_active

    return [
        NeedOut(code=need.code, name=need.name, families_first_factor=need.families_first_factor)
        for need in needs_active()
    ]


@router.post(
    "",
    response={200: ReferralOut, 201: ReferralOut, 409: MessageOut, **KEYED_ANSWERS},
    summary="Send a referral",
)
def referral_create(
    request: HttpRequest,
    referral: ReferralIn,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=255)] = None,
) -> Status[Any]:
    partner = _partner(request)
    try:
        contact, created = receiving.contact_receive_from_partner_system(
            partner_system=partner,
            referral=referral.to_referral(),
            idempotency_key=idempotency_key or None,
            digest=receiving.referral_digest(referral.model_dump(mode="json")),
        )
    except receiving.ReferralInvalidError as invalid:
        problems = [ProblemOut(loc=_location(key), msg=message) for key, message in invalid.problems.items()]
        return Status(422, ProblemsOut(detail=problems))
    except receiving.IdempotencyKeyReusedError:
        return Status(409, MessageOut(detail="This Idempotency-Key was used before with a different referral."))
    return Status(201 if created else 200, ReferralOut.from_contact(contact))


@router.get(
    "/{reference}",
    response={200: ReferralOut, 404: MessageOut, **KEYED_ANSWERS},
    summary="The status of a referral this system sent",
)
def referral_detail(request: HttpRequest, reference: Annotated[str, Field(max_length=20)]) -> Status[Any]:
    pk = contact_pk_from_reference(reference)
    partner = _partner(request)
    contact = access.contact_for_partner_system(partner, pk)
    if contact is None:
        return Status(404, MessageOut(detail=f"No referral {reference} sent by this system."))
    return Status(200, ReferralOut.from_contact(contact))
