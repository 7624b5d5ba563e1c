"""Programme names that people mean to be the same (pure functions).

"Paper pilot 2019-2020" typed beside an existing "Paper pilot 2019–2020" (en dash) is the same
programme to a reader; an import must never create it as a second one by accident.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def normalise_programme_name(name: str) -> str:
    """Compatibility form, every dash as "-", case folded, runs of white space as one space."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join("-" if unicodedata.category(ch) == "Pd" or ch == "\u2212" else ch for ch in text)
    return " ".join(text.casefold().split())


def look_alike(name: str, existing: Iterable[str]) -> str | None:
    """The existing programme `name` would be confused with (not itself), or None."""
    if name in existing:
        return None
    key = normalise_programme_name(name)
    for other in existing:
        if normalise_programme_name(other) == key:
            return other
    return None


def look_alike_message(existing: str) -> str:
    return (
        f"a programme “{existing}” already exists and this name differs only in dashes, case or "
        "spaces: choose it, or give a clearly different name"
    )
