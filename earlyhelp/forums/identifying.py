"""Does free text look as if it identifies a family? An aid for anonymous requests for
discussion, never the guarantee: the guarantee is that an anonymous request has no identifying
field at all (the model's constraint).

The check looks only at the text typed, against patterns and a list of common first names. It
never looks anyone up, so its answer says nothing about whether a name is known to the
authority (issue 15)."""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from earlyhelp.people.identifiers import nhs_number_is_valid

# A UK postcode, full or the outward part with a space and digit after it.
POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
# A date written as a date of birth would be: 3/4/2019, 03-04-19, 3 April 2019, April 3rd 2019.
MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
DATE = re.compile(
    rf"\b(\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}"
    rf"|\d{{1,2}}(st|nd|rd|th)?\s+({MONTHS})[a-z]*\.?\s+\d{{4}}"
    rf"|({MONTHS})[a-z]*\.?\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.IGNORECASE,
)
# Ten digits, however spaced (an NHS number is written 485 777 3456).
TEN_DIGITS = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)")
# A unique pupil number: a letter and twelve digits, or twelve digits and a letter (temporary).
UPN = re.compile(r"\b([A-HJ-NP-RT-Z]\d{12}|[A-HJ-NP-RT-Z]\d{11}[A-Z])\b", re.IGNORECASE)
# A title before a capitalised word: "Mrs Smith", "Ms. J Brown".
TITLED = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]*")
WORD = re.compile(r"(?<![\w'’-])([A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?![\w'’-])")
# Words in the list of first names that such text uses as ordinary words ("in June", "a Grace
# period"); without them a warning would cry wolf. Only words the list holds belong here.
NOT_NAMES = frozenset({"June", "Mark", "Grace"})


@dataclass(frozen=True)
class Warning:
    kind: str
    message: str


@lru_cache(maxsize=1)
def common_first_names() -> frozenset[str]:
    """First names common in England (Faker's en_GB list, which the service already installs)."""
    from faker.providers.person.en_GB import Provider

    names = set(Provider.first_names_male) | set(Provider.first_names_female)
    return frozenset(name for name in names if name not in NOT_NAMES)


def _names(text: str) -> list[str]:
    """Titled names and common first names, in the order they appear."""
    found = [(match.start(), match.group(0)) for match in TITLED.finditer(text)]
    names = common_first_names()
    found += [(match.start(), match.group(1)) for match in WORD.finditer(text) if match.group(1) in names]
    return [name for _, name in sorted(found)]


def warnings_for(text: str) -> list[Warning]:
    """What in `text` looks as if it identifies someone, one warning for each kind found."""
    found: list[Warning] = []
    names = _names(text)
    if names:
        shown = ", ".join(dict.fromkeys(names))
        found.append(Warning("name", f"It may name someone ({shown}). Describe people by their role instead"))
    if DATE.search(text):
        found.append(Warning("date", "It may give a date of birth. Give an age or school year instead"))
    if any(nhs_number_is_valid("".join(match.groups())) for match in TEN_DIGITS.finditer(text)):
        found.append(Warning("nhs_number", "It may give an NHS number. Remove it"))
    if UPN.search(text):
        found.append(Warning("upn", "It may give a unique pupil number. Remove it"))
    if POSTCODE.search(text):
        found.append(Warning("postcode", "It may give a postcode. Name the area instead"))
    return found


WITHHELD = "[withheld]"


def secrets_of(*, names: list[str], address: str = "", school: str = "", born: date | None = None) -> list[str]:
    """What identifies a named family, as it may appear in the words written about them: each
    name and each part of it, the address's lines and postcode, the school, the date of birth as
    people write it."""
    found: set[str] = set()
    for name in names:
        words = [word.strip(",.()") for word in name.split()]
        found |= {name.strip(), *(word for word in words if len(word) > 1 and word[0].isupper())}
    found |= {line.strip() for line in address.replace("\n", ",").split(",") if len(line.strip()) > 3}
    found |= {match.group(0) for match in POSTCODE.finditer(address)}
    if school.strip():
        found.add(school.strip())
    if born is not None:
        found |= {
            f"{born.day}/{born.month}/{born.year}",
            f"{born:%d/%m/%Y}",
            f"{born.day} {born:%B %Y}",
            f"{born.day} {born:%b %Y}",
            f"{born:%d.%m.%Y}",
        }
    return sorted((secret for secret in found if secret), key=len, reverse=True)


def withhold(text: str, secrets: list[str]) -> str:
    """`text` with each secret replaced, whole words only and whatever the case, longest first."""
    for secret in secrets:
        pattern = re.compile(rf"(?<![\w]){re.escape(secret)}(?![\w])", re.IGNORECASE)
        text = pattern.sub(WITHHELD, text)
    return text
