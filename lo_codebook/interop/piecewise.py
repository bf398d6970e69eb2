"""A monotone position map that is a plain shift except in a few listed regions.

Turning a producer's offsets into indices of our normalised text is a chain of
such maps (units → characters, characters → normalised characters). Only the
special spots (a BOM, each CRLF, each emoji, each non-NFC cluster) differ from
"shift by a constant", so storing just those keeps memory proportional to the
oddities, not to the text.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from typing import Literal

Side = Literal["start", "end"]


class PiecewiseMap:
    """Map positions of sequence A to positions of sequence B.

    Regions ``(a0, a1, b0, b1)`` are added in increasing order and must not
    overlap; between regions the map is ``b = a + shift`` with the shift left by
    the previous region. A position strictly inside a region (say, between the
    two UTF-16 units of an emoji) has no exact image: a start goes to ``b0`` and
    an end to ``b1``, so a selection widens to whole characters.
    """

    __slots__ = ("_a0", "_a1", "_b0", "_b1", "a_len", "b_len")

    def __init__(self) -> None:
        self._a0 = array("q")
        self._a1 = array("q")
        self._b0 = array("q")
        self._b1 = array("q")
        self.a_len = 0
        self.b_len = 0

    def add(self, a0: int, a1: int, b0: int, b1: int) -> None:
        """Append a region; callers add them left to right."""
        self._a0.append(a0)
        self._a1.append(a1)
        self._b0.append(b0)
        self._b1.append(b1)

    def finish(self, a_len: int, b_len: int) -> PiecewiseMap:
        """Record the lengths of both sequences (positions run 0..len inclusive)."""
        self.a_len = a_len
        self.b_len = b_len
        return self

    def __len__(self) -> int:
        return len(self._a0)

    def map(self, pos: int, side: Side) -> tuple[int, bool]:
        """Image of `pos` and whether it is exact (False: inside a region or out of range)."""
        if pos < 0:
            return 0, False
        if pos > self.a_len:
            return self.b_len, False
        k = bisect_right(self._a0, pos) - 1
        if k < 0:
            return pos, True
        a0, a1, b0, b1 = self._a0[k], self._a1[k], self._b0[k], self._b1[k]
        if pos == a0:
            return b0, True
        if pos < a1:
            return (b0 if side == "start" else b1), False
        return b1 + (pos - a1), True


def chain(maps: list[PiecewiseMap], pos: int, side: Side) -> tuple[int, bool]:
    """Apply `maps` in order; exact only if every step was."""
    exact = True
    for step in maps:
        pos, ok = step.map(pos, side)
        exact = exact and ok
    return pos, exact
