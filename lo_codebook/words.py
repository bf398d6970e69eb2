"""Counted nouns for messages: "1 memo", "2 memos", never "1 memos" or "memo(s)"."""

from __future__ import annotations

__all__ = ["plural"]


def plural(n: int, noun: str, nouns: str | None = None, *, thousands: bool = False) -> str:
    """`n` followed by `noun` when it is 1, else by `nouns` (default: `noun` + "s").

    `thousands` writes large numbers with separators ("12,345 words").
    """
    number = f"{n:,}" if thousands else str(n)
    return f"{number} {noun if n == 1 else (nouns if nouns is not None else noun + 's')}"
