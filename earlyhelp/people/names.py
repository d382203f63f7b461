"""How names are compared: the same child reaches the front door spelt several ways
("Mohammed", "Muhammad"; "Jon", "John"), so search and duplicate checks compare sounds as well
as letters."""

import re
import unicodedata

import jellyfish


def name_normalise(value: str) -> str:
    """Lower case, accents removed, punctuation and repeated spaces folded: "O'Neil-Smith " → "oneil smith"."""
    decomposed = unicodedata.normalize("NFKD", value)
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
