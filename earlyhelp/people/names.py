"""How names are compared: the same child reaches the front door spelt several ways
("Mohammed", "Muhammad"; "Jon", "John"), so search and duplicate checks compare sounds as well
as letters."""

import re
import unicodedata
from functools import lru_cache

import jellyfish

# Characters that change the direction text is shown in: "\u202eNIDLAB ECARG" shows as "GRACE
# BALDWIN" but is stored backwards, so it would escape search and the duplicate checks.
DIRECTION_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def name_problem(value: str) -> str | None:
    """Why a name cannot be recorded as typed, or None."""
    if any(character in DIRECTION_CONTROLS for character in value):
        return "Names cannot contain hidden characters that change the direction of text. Type the name again"
    return None


def name_visible(value: str) -> str:
    """The name in NFKC with invisible formatting characters (zero-width spaces and the like) removed."""
    return "".join(
        character for character in unicodedata.normalize("NFKC", value) if unicodedata.category(character) != "Cf"
    )


# The duplicate checks weigh every record sharing a detail with each person on a contact, so the
# same few hundred names are normalised again on every page: remembered, as the answer never changes.
@lru_cache(maxsize=65_536)
def name_normalise(value: str) -> str:
    """Lower case, accents removed, punctuation and repeated spaces folded: "O'Neil-Smith " → "oneil smith".

    Invisible and direction-control characters are removed first, so "Gr\u200bace" is "grace"."""
    decomposed = unicodedata.normalize("NFKD", name_visible(value))
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    plain = re.sub(r"['’`]", "", plain.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def name_sound(value: str) -> str:
    """A phonetic key for a name (Metaphone of the name without spaces); empty for no name."""
    normalised = name_normalise(value).replace(" ", "")
    return jellyfish.metaphone(normalised) if normalised else ""


def name_similarity(first: str, second: str) -> float:
    """0 (nothing alike) to 1 (the same), Jaro-Winkler on normalised names."""
    return jellyfish.jaro_winkler_similarity(name_normalise(first), name_normalise(second))
