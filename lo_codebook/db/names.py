"""One rule for "the same name" (codes, cases, coders), identical on SQLite, PostgreSQL and in Python.

SQL `lower()` folds only ASCII on SQLite and follows the server's locale on PostgreSQL, so
`lower(name) = :x` finds '4. Értékek' on one database and not on the other, and never finds
a name typed in another Unicode normal form (NVivo for Mac writes decomposed accents). The
models therefore store `name_key(name)` beside every name and lookups compare keys:

- NFC, whitespace runs collapsed, then Unicode full case folding (`str.casefold`), then NFC
  again: Értékek = ÉRTÉKEK, Straße = STRASSE = strasse, ǅ = DŽ;
- the Dutch ligature ĳ/Ĳ is the two letters ij (IJsselmeer = Ĳsselmeer = ijsselmeer);
- the Turkish i's: İ and I fold to i, and so does dotless ı, so the key groups IŞIK with
  ışık and İZMİR with izmir. Because ı and i are different letters in lowercase (kır is not
  kir), `same_name` then tells such key-equal names apart: capital I may stand for either,
  but i/İ never equal ı.

Lookups: fetch the rows whose key equals `name_key(wanted)` (an indexed column), then keep
those `same_name` accepts, preferring an exact spelling (`pick`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

_DOTTED, _DOTLESS, _EITHER = "dotted", "dotless", "either"
# How each Turkish-relevant letter folds in the key, and which "i" it is.
_I_LETTERS = {"i": _DOTTED, "İ": _DOTTED, "ı": _DOTLESS, "I": _EITHER}
_LIGATURES = {"ĳ": "ij"}


def _prepared(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def _fold_char(char: str) -> str:
    if char in _I_LETTERS:
        return "i"
    folded = char.casefold()
    return _LIGATURES.get(folded, folded)


def name_key(name: str) -> str:
    """The comparison key of a name (see the module docstring); stored as `name_key`."""
    folded = "".join(_fold_char(c) for c in _prepared(name))
    return unicodedata.normalize("NFC", folded)


def _i_kinds(name: str) -> list[str]:
    """For every 'i' of the key, which i it came from (other letters folding to i are dotted)."""
    kinds: list[str] = []
    for char in _prepared(name):
        kind = _I_LETTERS.get(char)
        if kind is not None:
            kinds.append(kind)
        else:
            kinds.extend(_DOTTED for c in _fold_char(char) if c == "i")
    return kinds


def same_name(a: str, b: str) -> bool:
    """Whether two names are one name: equal keys, and no dotted i where the other has ı."""
    if name_key(a) != name_key(b):
        return False
    ka, kb = _i_kinds(a), _i_kinds(b)
    if len(ka) != len(kb):  # only if NFC recomposed an i with an accent: keys decide
        return True
    return not any({x, y} == {_DOTTED, _DOTLESS} for x, y in zip(ka, kb, strict=True))


def matching(items: Iterable[T], name: str, get: Callable[[T], str]) -> list[T]:
    """The items whose name is `name`; exact spellings first, in their given order."""
    found = [item for item in items if same_name(get(item), name)]
    return sorted(found, key=lambda item: get(item) != name)


def pick(items: Iterable[T], name: str, get: Callable[[T], str]) -> T | None:
    """The item named `name`: its exact spelling if present, else the first same name."""
    found = matching(items, name, get)
    return found[0] if found else None


class NameIndex(dict[str, list[T]]):
    """Items grouped by key, for matching many names against one query's rows."""

    def __init__(self, items: Iterable[T], get: Callable[[T], str]) -> None:
        super().__init__()
        self.name_of = get
        for item in items:
            self.add(item)

    def add(self, item: T) -> None:
        self.setdefault(name_key(self.name_of(item)), []).append(item)

    def find(self, name: str) -> T | None:
        return pick(self.get(name_key(name), []), name, self.name_of)
