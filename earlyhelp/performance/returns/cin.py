"""The children in need census for Family Help episodes with a child-in-need basis (section 17),
as the DfE's XML for a census year, checked in the test suite by the sector's validator
(csc-validator-be-cin).

Who is in it: each child of an episode whose basis was child in need at any time in the period.
A child's CIN episode starts on the day the basis became child in need (the episode's referral, if
it was a child in need from the start) and ends when the basis went back to targeted early help or
the episode closed. Codes the service does not keep as such are worked out by tables published here
and in docs/performance-framework.md:

- the referral source from how the contact came in and the referring agency's kind;
- the primary need (N1 to N9) from the child's first coded need;
- the factors identified at assessment from the child's coded needs ("21", no factors, when none
  of them has a factor);
- the reason for closure from the episode's end reason.
"""

from dataclasses import dataclass
from datetime import date, datetime
from xml.etree.ElementTree import Element, SubElement, indent, tostring  # nosec B405 (builds XML; parses none)

from django.db.models import Q
from django.utils import timezone

from earlyhelp.casework.models import Assessment, Episode, EpisodeChild, LegalBasis, LegalBasisChange
from earlyhelp.forums.reports import Period
from earlyhelp.frontdoor.models import Contact
from earlyhelp.organisations.models import Agency, Authority
from earlyhelp.people.models import Disability, Gender

CIN_SOURCE_BY_AGENCY = {
    Agency.Kind.SCHOOL: "2A",
    Agency.Kind.EARLY_YEARS: "2B",
    Agency.Kind.CHILDRENS_CENTRE: "8",
    Agency.Kind.HEALTH_VISITING: "3B",
    Agency.Kind.SCHOOL_NURSING: "3C",
    Agency.Kind.GP: "3A",
    Agency.Kind.MIDWIFERY: "3D",
    Agency.Kind.MENTAL_HEALTH: "3F",
    Agency.Kind.POLICE: "6",
    Agency.Kind.HOUSING: "4",
    Agency.Kind.YOUTH_JUSTICE: "5B",
    Agency.Kind.VOLUNTARY: "8",
    Agency.Kind.LOCAL_AUTHORITY: "5B",
    Agency.Kind.SOCIAL_CARE: "5A",
    Agency.Kind.OTHER: "8",
}

# The primary need, from the first of the child's coded needs that has one (in the list's order).
PRIMARY_NEED_BY_CODED_NEED = {
    "sf-safe-from-abuse": "N1",
    "parental-domestic-abuse": "N1",
    "sf-domestic-abuse": "N1",
    "parental-mental-health": "N3",
    "parental-learning-disability": "N3",
    "parental-substance-misuse": "N3",
    "sf-health": "N3",
    "sf-substance-use": "N3",
    "family-conflict": "N5",
    "sf-family-relationships": "N5",
    "exploitation": "N6",
    "child-to-parent-abuse": "N6",
    "sf-crime": "N6",
    "school-exclusion": "N6",
    "sf-financial-stability": "N7",
    "sf-housing": "N4",
    "emotional-wellbeing": "N4",
    "sf-education": "N4",
    "sf-early-years": "N4",
}
FAMILY_IN_ACUTE_STRESS = "N4"

# Factors identified at assessment (CIN census code set), from the coded needs.
FACTORS_BY_CODED_NEED = {
    "parental-domestic-abuse": "3B",
    "sf-domestic-abuse": "3B",
    "parental-mental-health": "4B",
    "parental-substance-misuse": "2B",
    "parental-learning-disability": "5B",
    "emotional-wellbeing": "4A",
    "exploitation": "22A",
    "child-to-parent-abuse": "10A",
    "sf-crime": "10A",
    "school-exclusion": "10A",
}
NO_FACTORS = "21"

REASON_FOR_CLOSURE = {
    Episode.EndReason.MOVED_AWAY: "RC5",
}
SERVICES_CEASED = "RC7"


@dataclass(frozen=True)
class CinEpisode:
    child_id: int
    referral_date: date
    closure_date: date | None
    episode: Episode


def _day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def census_year_of(day: date) -> Period:
    """The census year holding `day`: 1 April to 31 March."""
    start = date(day.year if day.month >= 4 else day.year - 1, 4, 1)
    return Period(since=start, until=date(start.year + 1, 3, 31))


def cin_spans(episode: Episode, changes: list[LegalBasisChange]) -> list[tuple[date, date | None]]:
    """When the episode's basis was child in need: each span from the day it became so to the day
    it stopped (or the episode closed), in order."""
    spans: list[tuple[date, date | None]] = []
    started: date | None = None
    first = changes[0].before if changes else episode.legal_basis
    if first == LegalBasis.CHILD_IN_NEED:
        started = _day(episode.referred_at)
    for change in changes:
        if change.after == LegalBasis.CHILD_IN_NEED and started is None:
            started = _day(change.changed_at)
        elif change.after != LegalBasis.CHILD_IN_NEED and started is not None:
            spans.append((started, _day(change.changed_at)))
            started = None
    if started is not None:
        spans.append((started, _day(episode.closed_at)))
    return spans


def _text(parent: Element, tag: str, value: object) -> None:
    if value is None or value == "":
        return
    SubElement(parent, tag).text = value.isoformat() if isinstance(value, date) else str(value)


def census(authority: Authority, period: Period, *, made_at: datetime | None = None) -> bytes:
    episodes = list(
        Episode.objects.filter(authority=authority)
        .filter(Q(legal_basis=LegalBasis.CHILD_IN_NEED) | Q(legal_basis_changes__isnull=False))
        .distinct()
        .order_by("pk")
    )
    ids = [episode.pk for episode in episodes]
    changes: dict[int, list[LegalBasisChange]] = {}
    for change in LegalBasisChange.objects.filter(episode_id__in=ids).order_by("changed_at", "pk"):
        changes.setdefault(change.episode_id, []).append(change)
    children: dict[int, list[EpisodeChild]] = {}
    for child in (
        EpisodeChild.objects.filter(episode_id__in=ids)
        .select_related("person")
        .prefetch_related("needs")
        .order_by("pk")
    ):
        children.setdefault(child.episode_id, []).append(child)
    assessments: dict[int, list[Assessment]] = {}
    for assessment in Assessment.objects.filter(episode_id__in=ids).order_by("started_at", "pk"):
        assessments.setdefault(assessment.episode_id, []).append(assessment)
    contacts = {
        contact.pk: contact
        for contact in Contact.objects.filter(pk__in=[e.contact_id for e in episodes if e.contact_id]).select_related(
            "referrer_agency"
        )
    }

    message = Element("Message")
    _header(message, authority, period, made_at)
    listed = SubElement(message, "Children")
    by_child: dict[int, list[tuple[date, date | None, Episode, EpisodeChild]]] = {}
    for episode in episodes:
        for started, ended in cin_spans(episode, changes.get(episode.pk, [])):
            if started > period.until or (ended is not None and ended < period.since):
                continue
            for child in children.get(episode.pk, []):
                by_child.setdefault(child.person_id, []).append((started, ended, episode, child))
    for person_id, spans in sorted(by_child.items()):
        element = _child_element(listed, person_id, spans[0][3], period)
        for started, ended, episode, child in sorted(spans, key=lambda span: span[0]):
            _cin_details(element, started, ended, episode, child, assessments.get(episode.pk, []), contacts, period)
    indent(message)
    written: bytes = tostring(message, encoding="utf-8", xml_declaration=True)
    return written


def _header(message: Element, authority: Authority, period: Period, made_at: datetime | None) -> None:
    header = SubElement(message, "Header")
    details = SubElement(header, "CollectionDetails")
    _text(details, "Collection", "CIN")
    _text(details, "Year", census_year_of(period.until).until.year)
    _text(details, "ReferenceDate", period.until)
    source = SubElement(header, "Source")
    _text(source, "SourceLevel", "L")
    _text(source, "LEA", authority.code)
    _text(source, "SoftwareCode", "earlyhelp")
    _text(source, "Release", "1")
    _text(source, "SerialNo", "1")
    _text(source, "DateTime", (made_at or timezone.now()).replace(microsecond=0).isoformat(timespec="seconds"))


def _child_element(listed: Element, person_id: int, child: EpisodeChild, period: Period) -> Element:
    person = child.person
    element = SubElement(listed, "Child")
    identifiers = SubElement(element, "ChildIdentifiers")
    _text(identifiers, "LAchildID", person_id)
    if person.upn:
        _text(identifiers, "UPN", person.upn)
    else:
        # UN1: a child under 5 not yet in school; UN4: a UPN not yet obtained.
        under_five = person.date_of_birth is not None and _age(person.date_of_birth, period.until) < 5
        _text(identifiers, "UPNunknown", "UN1" if under_five else "UN4")
    _text(identifiers, "PersonBirthDate", person.date_of_birth)
    if person.date_of_birth is None:
        _text(identifiers, "ExpectedPersonBirthDate", person.expected_date_of_delivery)
    _text(identifiers, "Sex", _sex(person.gender, born=person.date_of_birth))
    characteristics = SubElement(element, "ChildCharacteristics")
    _text(characteristics, "Ethnicity", person.ethnicity)
    disabilities = SubElement(characteristics, "Disabilities")
    _text(disabilities, "Disability", "DDA" if person.disability == Disability.YES else "NONE")
    return element


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _sex(gender: str, *, born: date | None) -> str:
    if born is None:
        return "U"
    return {Gender.MALE: "M", Gender.FEMALE: "F"}.get(gender, "U")  # type: ignore[call-overload, no-any-return]


def _cin_details(
    parent: Element,
    started: date,
    ended: date | None,
    episode: Episode,
    child: EpisodeChild,
    assessments: list[Assessment],
    contacts: dict[int, Contact],
    period: Period,
) -> None:
    details = SubElement(parent, "CINdetails")
    _text(details, "CINreferralDate", started)
    contact = contacts.get(episode.contact_id or 0)
    _text(details, "ReferralSource", _referral_source(contact))
    codes = [need.code for need in child.needs.all()]
    _text(details, "PrimaryNeedCode", primary_need(codes))
    closed = ended is not None and ended <= period.until
    if closed:
        _text(details, "CINclosureDate", ended)
        _text(details, "ReasonForClosure", REASON_FOR_CLOSURE.get(episode.end_reason, SERVICES_CEASED))  # type: ignore[call-overload]
    _text(details, "ReferralNFA", "false")
    for assessment in assessments:
        started_on = _day(assessment.started_at)
        assert started_on is not None
        if started_on < started or started_on > period.until or (ended is not None and started_on > ended):
            continue
        block = SubElement(details, "Assessments")
        _text(block, "AssessmentActualStartDate", started_on)
        authorised_on = _day(assessment.authorised_at)
        if authorised_on is not None and authorised_on <= period.until:
            _text(block, "AssessmentAuthorisationDate", authorised_on)
            factors = SubElement(block, "FactorsIdentifiedAtAssessment")
            for factor in assessment_factors(codes):
                _text(factors, "AssessmentFactors", factor)
    plan_start = _day(episode.first_meeting_at)
    if plan_start is not None and plan_start <= period.until:
        plan = SubElement(details, "CINPlanDates")
        _text(plan, "CINPlanStartDate", max(plan_start, started))
        if closed:
            _text(plan, "CINPlanEndDate", ended)


def _referral_source(contact: Contact | None) -> str:
    if contact is None:
        return "10"
    if contact.source == Contact.Source.FAMILY:
        return "1A"
    if contact.referrer_agency is not None:
        return CIN_SOURCE_BY_AGENCY.get(contact.referrer_agency.kind, "8")  # type: ignore[call-overload, no-any-return]
    return "10"


def primary_need(codes: list[str]) -> str:
    for code in codes:
        if code in PRIMARY_NEED_BY_CODED_NEED:
            return PRIMARY_NEED_BY_CODED_NEED[code]
    return FAMILY_IN_ACUTE_STRESS


def assessment_factors(codes: list[str]) -> list[str]:
    found = list(dict.fromkeys(FACTORS_BY_CODED_NEED[code] for code in codes if code in FACTORS_BY_CODED_NEED))
    return found or [NO_FACTORS]
