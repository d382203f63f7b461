"""Ofsted's Annex A for an inspection of local authority children's services: List 1 (contacts)
and List 2 (early help) for any period, usually the six months before the inspection, in the
sector's layout: every sheet `List 1` to `List 11` present, the lists this service does not hold
empty under their headings, dates as dd/mm/yyyy, coded values as the guidance codes them.

One row for each child on each contact (List 1), and for each child in each early help
assessment started or authorised in the period (List 2). A child's unique ID is the service's
person number; a child on a contact not yet matched to a record has the contact's entry number,
prefixed `C`, so that no row is left without one."""

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from earlyhelp.casework.models import Assessment, EpisodeChild
from earlyhelp.forums.reports import Period
from earlyhelp.frontdoor.models import ContactPerson
from earlyhelp.organisations.models import Authority
from earlyhelp.people.models import Ethnicity, Gender
from earlyhelp.performance.returns.codes import ANNEX_A_ETHNICITY, ANNEX_A_GENDER, age_in_years, annex_a_source

CHILD = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
ALLOCATED = ["Allocated Team", "Allocated Worker"]
# Each list's headings, as the guidance's template (and liiatools' specification) has them.
HEADINGS: dict[str, list[str]] = {
    "List 1": [*CHILD, "Date of Contact", "Contact Source"],
    "List 2": [
        *CHILD,
        "Assessment start date",
        "Assessment completion date",
        "Organisation completing assessment",
    ],
    "List 3": [
        *CHILD,
        "Date of Referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        *ALLOCATED,
    ],
    "List 4": [
        *CHILD,
        "Does the Child have a Disability",
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        *ALLOCATED,
    ],
    "List 5": [
        *CHILD,
        "Does the Child have a Disability",
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        *ALLOCATED,
    ],
    "List 6": [
        *CHILD,
        "Does the Child have a Disability",
        "CIN Start Date",
        "Primary Need Code",
        "Date Child Was Last Seen",
        "CIN Closure Date",
        "Reason for Closure",
        "Case Status",
        *ALLOCATED,
    ],
    "List 7": [
        *CHILD,
        "Does the Child have a Disability",
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
        "Number of Previous Child Protection Plans",
        *ALLOCATED,
    ],
    "List 8": [
        *CHILD,
        "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
        "Does the Child have a Disability",
        "Date Started to be Looked After",
        "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
        "Start date of current legal status",
        "Child's Legal Status",
        "Date of Latest Statutory Review",
        "Date of Last Social Work Visit",
        "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child",
        "Date of Last Health Assessment",
        "Date of Last Dental Check",
        "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After",
        "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement",
        "Placement Type",
        "Placement Provider",
        "Placement postcode",
        "URN of Placement",
        "Placement Location",
        "LA of Placement",
        "Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 months",
        "Number of Episodes the Child has been ‘Absent’ from their Placement in the last 12 months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?",
        *ALLOCATED,
    ],
    "List 9": [
        *CHILD,
        "Does the Child have a Disability",
        *ALLOCATED,
        "Eligibility Category",
        "LA in Touch",
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    ],
    "List 10": [
        "Child Unique ID",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Does the Child have a Disability",
        "Date the Child Entered Care",
        "Date of Decision that Child Should be Placed for Adoption",
        "Date of Placement Order",
        "Date of Matching Child and Prospective Adopters",
        "Date Placed for Adoption",
        "Date of Adoption Order",
        "Date of Decision that Child Should No Longer be Placed for Adoption",
        "Reason Why Child No Longer Placed for Adoption",
        "Date the child was placed for fostering in FFA or concurrent planning placement",
    ],
    "List 11": [
        "Individual adopter identifier",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Disability",
        "Is the (prospective) adopter fostering for adoption?",
        "Date enquiry received",
        "Date Stage 1 started",
        "Date Stage 1 ended",
        "Date Stage 2 started",
        "Date Stage 2 ended",
        "Date application submitted",
        "Date application approved",
        "Date adopter matched with child(ren)",
        "Date child/children placed with adopter(s)",
        "No. of children placed",
        "Date of Adoption Order",
        "Date of leaving adoption process",
        "Reason for leaving adoption process",
    ],
}


@dataclass(frozen=True)
class AnnexA:
    lists: dict[str, list[list[Any]]]

    def rows(self, name: str) -> list[list[Any]]:
        return self.lists.get(name, [])


def _child(unique_id: str, gender: str, ethnicity: str, born: date | None, on: date) -> list[Any]:
    return [
        unique_id,
        ANNEX_A_GENDER.get(gender, ANNEX_A_GENDER[Gender.NOT_KNOWN]),  # type: ignore[call-overload]
        ANNEX_A_ETHNICITY.get(ethnicity, ANNEX_A_ETHNICITY[Ethnicity.NOBT]),  # type: ignore[call-overload]
        born,
        age_in_years(born, on),
    ]


def list_1(authority: Authority, period: Period) -> list[list[Any]]:
    """Every child on every contact received in the period, in the order received."""
    rows = []
    entries = (
        ContactPerson.objects.filter(
            contact__authority=authority,
            contact__received_at__gte=period.starts,
            contact__received_at__lt=period.ends,
            role=ContactPerson.Role.CHILD,
        )
        .values_list(
            "pk",
            "person_id",
            "gender",
            "date_of_birth",
            "person__gender",
            "person__ethnicity",
            "person__date_of_birth",
            "contact__received_at",
            "contact__source",
            "contact__referrer_agency__kind",
        )
        .order_by("contact__received_at", "pk")
    )
    for pk, person, gender, born, person_gender, ethnicity, person_born, received_at, source, agency in entries:
        received_on = timezone.localtime(received_at).date()
        unique_id = str(person) if person else f"C{pk}"
        child = _child(
            unique_id, person_gender or gender, ethnicity or Ethnicity.NOBT, person_born or born, received_on
        )
        rows.append([*child, received_on, annex_a_source(source, agency)])
    return rows


def list_2(authority: Authority, period: Period) -> list[list[Any]]:
    """Each child in each early help assessment started or authorised in the period."""
    assessments = list(
        Assessment.objects.filter(episode__authority=authority)
        .filter(
            Q(started_at__gte=period.starts, started_at__lt=period.ends)
            | Q(authorised_at__gte=period.starts, authorised_at__lt=period.ends)
        )
        .values_list("pk", "episode_id", "started_at", "authorised_at", "episode__team__name")
        .order_by("started_at", "pk")
    )
    children: dict[int, list[tuple[int, str, str, date | None]]] = {}
    for episode, person, gender, ethnicity, born in (
        EpisodeChild.objects.filter(episode_id__in={row[1] for row in assessments})
        .values_list("episode_id", "person_id", "person__gender", "person__ethnicity", "person__date_of_birth")
        .order_by("pk")
    ):
        children.setdefault(episode, []).append((person, gender, ethnicity, born))
    rows = []
    for _, episode, started_at, authorised_at, team in assessments:
        started_on = timezone.localtime(started_at).date()
        authorised_on = timezone.localtime(authorised_at).date() if authorised_at else None
        for person, gender, ethnicity, born in children.get(episode, []):
            child = _child(str(person), gender, ethnicity, born, started_on)
            rows.append([*child, started_on, authorised_on, f"{authority.name} early help: {team}"])
    return rows


def annex_a(authority: Authority, period: Period) -> AnnexA:
    return AnnexA(lists={"List 1": list_1(authority, period), "List 2": list_2(authority, period)})


def as_workbook(annex: AnnexA) -> bytes:
    """The return as the sector's XLSX: eleven sheets, each with its headings in bold, dates in
    real date cells shown as dd/mm/yyyy."""
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, headings in HEADINGS.items():
        sheet = book.create_sheet(name)
        sheet.append(headings)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in annex.rows(name):
            sheet.append(row)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
