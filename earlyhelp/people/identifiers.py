"""The identifiers a person's record carries, and how to tell a real one from a typing slip.

- NHS number: ten digits, the last a modulus 11 check digit.
- Unique Pupil Number (UPN): thirteen characters, the first a check letter computed from the
  other twelve (DfE "Unique Pupil Numbers" guidance).
- Postcode: the Royal Mail format, stored upper case with one space before the inward code.
"""

import re

NHS_NUMBER_WEIGHTS = range(10, 1, -1)  # 10 for the first digit … 2 for the ninth


def nhs_number_normalise(value: str) -> str:
    return re.sub(r"[\s-]", "", value)


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None where no valid NHS number can start that way."""
    # Always nine digits and nine weights: `strict` only guards a caller's mistake.
    pairs = zip(first_nine, NHS_NUMBER_WEIGHTS, strict=True)  # pragma: no mutate
    total = sum(int(digit) * weight for digit, weight in pairs)
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_is_valid(value: str) -> bool:
    number = nhs_number_normalise(value)
    if not re.fullmatch(r"[0-9]{10}", number):
        return False
    return nhs_number_check_digit(number[:9]) == int(number[9])


def nhs_number_problem(value: str) -> str | None:
    """What is wrong with an NHS number, in words that say which mistake it is; None if it is real."""
    number = nhs_number_normalise(value)
    if not number:
        return None
    if not re.fullmatch(r"[0-9]{10}", number):
        return "Enter an NHS number in the correct format: 10 digits, like 943 476 5870"
    if not nhs_number_is_valid(number):
        return "Enter a real NHS number: this one fails its check digit, so a number may be mistyped"
    return None


def nhs_number_display(value: str) -> str:
    """ "943 476 5870", the way the NHS prints it."""
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value


# The DfE check alphabet: no I, O or S, which are too easily misread.
UPN_CHECK_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_normalise(value: str) -> str:
    return re.sub(r"\s", "", value).upper()


def _upn_character_value(character: str) -> int:
    if "0" <= character <= "9":
        return int(character)
    return UPN_CHECK_ALPHABET.index(character)


def upn_check_letter(last_twelve: str) -> str:
    """The check letter for characters 2 to 13 of a UPN: weights 2 to 13, modulus 23."""
    total = sum(_upn_character_value(character) * weight for weight, character in enumerate(last_twelve, start=2))
    return UPN_CHECK_ALPHABET[total % 23]


def upn_is_valid(value: str) -> bool:
    upn = upn_normalise(value)
    # Check letter; LA number, establishment number, year and serial are digits; the last
    # character is a letter from the check alphabet in a temporary UPN.
    if not re.fullmatch(rf"[{UPN_CHECK_ALPHABET}][0-9]{{11}}[0-9{UPN_CHECK_ALPHABET}]", upn):
        return False
    return upn_check_letter(upn[1:]) == upn[0]


# Outward code (area, district, optional sub-district) and inward code (sector and unit; the
# unit never uses C, I, K, M, O or V).
POSTCODE_PATTERN = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][ABD-HJLNP-UW-Z]{2})$")


def postcode_normalise(value: str) -> str:
    """Upper case with one space before the inward code: "nn1 5ab" and "NN15AB" become "NN1 5AB"."""
    compact = re.sub(r"\s", "", value).upper()
    match = POSTCODE_PATTERN.match(compact)
    if not match:
        return value.strip().upper()
    return f"{match.group(1)} {match.group(2)}"


def postcode_is_valid(value: str) -> bool:
    return bool(POSTCODE_PATTERN.match(re.sub(r"\s", "", value).upper()))
