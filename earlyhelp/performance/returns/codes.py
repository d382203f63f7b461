"""The sector's coded values, from the service's own: gender, ethnicity, and the source of a
contact as Annex A and the children in need census code them."""

from datetime import date

from earlyhelp.frontdoor.models import Contact
from earlyhelp.organisations.models import Agency
from earlyhelp.people.models import Ethnicity, Gender

# Annex A's letters for the DfE ethnicity codes, as the sector's cleaner (liiatools) and its
# sample file have them: "not yet obtained" shares the letter s with "refused".
ANNEX_A_ETHNICITY = {
    Ethnicity.WBRI: "a) WBRI",
    Ethnicity.WIRI: "b) WIRI",
    Ethnicity.WIRT: "c) WIRT",
    Ethnicity.WOTH: "d) WOTH",
    Ethnicity.WROM: "e) WROM",
    Ethnicity.MWBC: "f) MWBC",
    Ethnicity.MWBA: "g) MWBA",
    Ethnicity.MWAS: "h) MWAS",
    Ethnicity.MOTH: "i) MOTH",
    Ethnicity.AIND: "j) AIND",
    Ethnicity.APKN: "k) APKN",
    Ethnicity.ABAN: "l) ABAN",
    Ethnicity.AOTH: "m) AOTH",
    Ethnicity.BCRB: "n) BCRB",
    Ethnicity.BAFR: "o) BAFR",
    Ethnicity.BOTH: "p) BOTH",
    Ethnicity.CHNE: "q) CHNE",
    Ethnicity.OOTH: "r) OOTH",
    Ethnicity.REFU: "s) REFU",
    Ethnicity.NOBT: "s) NOBT",
}

ANNEX_A_GENDER = {
    Gender.MALE: "a) Male",
    Gender.FEMALE: "b) Female",
    Gender.NOT_KNOWN: "c) Not stated/recorded",
    Gender.NOT_STATED: "c) Not stated/recorded",
    Gender.OTHER: "d) Neither",
}

# Annex A's contact sources, by the kind of agency that referred.
ANNEX_A_SOURCE_BY_AGENCY = {
    Agency.Kind.SCHOOL: "e) 2A: Schools",
    Agency.Kind.EARLY_YEARS: "f) 2B: Education services",
    Agency.Kind.CHILDRENS_CENTRE: "s) 8: Other",
    Agency.Kind.HEALTH_VISITING: "h) 3B: Health services",
    Agency.Kind.SCHOOL_NURSING: "i) 3C: Health services",
    Agency.Kind.GP: "g) 3A: Health services",
    Agency.Kind.MIDWIFERY: "j) 3D: Health services",
    Agency.Kind.MENTAL_HEALTH: "l) 3F: Health services",
    Agency.Kind.POLICE: "q) 6: Police",
    Agency.Kind.HOUSING: "m) 4: Housing",
    Agency.Kind.YOUTH_JUSTICE: "o) 5B: LA services",
    Agency.Kind.VOLUNTARY: "s) 8: Other",
    Agency.Kind.LOCAL_AUTHORITY: "o) 5B: LA services",
    Agency.Kind.SOCIAL_CARE: "n) 5A: LA services",
    Agency.Kind.OTHER: "s) 8: Other",
}
FAMILY_SOURCE = "a) 1A: Individual"
UNKNOWN_SOURCE = "u) 10: Unknown"


def annex_a_source(source: str, agency_kind: str | None) -> str:
    if source == Contact.Source.FAMILY:
        return FAMILY_SOURCE
    if agency_kind:
        return ANNEX_A_SOURCE_BY_AGENCY.get(agency_kind, "s) 8: Other")  # type: ignore[call-overload, no-any-return]
    return UNKNOWN_SOURCE


def age_in_years(born: date | None, on: date) -> int | None:
    if born is None or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
