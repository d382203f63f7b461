"""Whole numbers typed or sent by people and systems, read safely.

`str.isdigit()` is true for "²" and "١", which `int()` then refuses or reads as a number nobody
typed; an id of thirty digits overflows the database. Only ASCII digits, of a sensible length, are
numbers here.
"""

import re

ASCII_DIGITS = re.compile(r"[0-9]+")
LARGEST_ID = 2**63 - 1


def is_ascii_digits(text: str) -> bool:
    return bool(ASCII_DIGITS.fullmatch(text))


def record_id(text: object) -> int | None:
    """A database id from a URL or form value, or None when it cannot be one."""
    value = str(text or "")
    if not is_ascii_digits(value) or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= LARGEST_ID else None
