"""Bookkeeping while reading a file: GUIDs seen, and warnings worth one line each.

Readers are lenient (real files bend the schema), but everything they bend,
skip or guess is reported, so the researcher can see what did not come over.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from lo_codebook.interop.model import derived_guid, normalise_guid


class ReadContext:
    """Collects warnings and hands out unique, normalised GUIDs for one file."""

    def __init__(self, file: str | Path) -> None:
        self.file = str(file)
        self.warnings: list[str] = []
        self._seen: set[str] = set()
        self._tallies: Counter[str] = Counter()
        #: What did not come over, by kind ("sources", "codings") and reason: counted, so
        #: an import report can say how many and why (warnings say which).
        self.skipped: dict[str, Counter[str]] = {"sources": Counter(), "codings": Counter()}

    def skip(self, kind: str, reason: str, n: int = 1) -> None:
        """Count `n` objects of `kind` left out for `reason`."""
        if n:
            self.skipped.setdefault(kind, Counter())[reason] += n

    def warn(self, message: str) -> None:
        """Record a one-line warning (newlines are flattened)."""
        self.warnings.append(" ".join(message.split()))

    def tally(self, message: str, n: int = 1) -> None:
        """Count a repeated event; `flush` turns it into one warning with the total."""
        self._tallies[message] += n

    def flush(self) -> list[str]:
        """All warnings, tallies last as "N × message"."""
        for message, n in self._tallies.items():
            self.warn(f"{n} × {message}")
        self._tallies.clear()
        return self.warnings

    def ref(self, raw: str | None) -> str | None:
        """A GUID reference normalised for matching, or None when absent/blank."""
        if raw is None or not raw.strip():
            return None
        return normalise_guid(raw)

    def guid(self, raw: str | None, kind: str, *context: str) -> str:
        """The normalised GUID of a new object; invents one when missing, renames duplicates."""
        guid = self.ref(raw)
        if guid is None:
            guid = derived_guid("missing", kind, *context, str(len(self._seen)))
            self.tally(f"{kind} without a guid got a new one")
        elif guid in self._seen:
            self.warn(f"{kind} guid {guid} is used twice; the second one got a new guid")
            guid = derived_guid("duplicate", guid, str(len(self._seen)))
        self._seen.add(guid)
        return guid
