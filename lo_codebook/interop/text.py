"""Decode a source's bytes and normalise its text, remembering where every character went.

lo-codebook stores texts NFC-normalised, with ``\\n`` newlines and no BOM (like
every importer). REFI-QDA offsets point into the text *as the producing tool saw
it*, so normalising must keep a position map from the raw decoded text to the
normalised one; `offsets` then puts each tool's counting model in front of it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from lo_codebook.interop.piecewise import PiecewiseMap, Side, chain

BOM = "\ufeff"
_NEWLINE_RE = re.compile(r"\r\n?")
_HANGUL_V = range(0x1161, 0x1176)
_HANGUL_T = range(0x11A8, 0x11C3)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode source bytes; return (text with any BOM kept as U+FEFF, encoding used).

    UTF-16 and UTF-32 are recognised by their BOM, UTF-8 with or without one.
    Anything else is read as Windows-1252, which is what older Windows tools
    write, with undecodable bytes replaced; the caller records a warning.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8", errors="replace"), "utf-8"
    for bom, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


@lru_cache(maxsize=1)
def _second_in_composition() -> frozenset[str]:
    """Characters that can compose with the character before them under NFC."""
    seconds: set[str] = set()
    for cp in range(0x30000):
        decomposition = unicodedata.decomposition(chr(cp))
        if not decomposition or decomposition.startswith("<"):
            continue
        parts = decomposition.split()
        if len(parts) == 2:
            seconds.add(chr(int(parts[1], 16)))
    seconds.update(chr(cp) for cp in _HANGUL_V)
    seconds.update(chr(cp) for cp in _HANGUL_T)
    return frozenset(seconds)


def _is_stable_boundary(ch: str) -> bool:
    """True when NFC can never reach across a break just before `ch`."""
    if unicodedata.combining(ch):
        return False
    seconds = _second_in_composition()
    if ch in seconds:
        return False
    first = unicodedata.normalize("NFD", ch)[0]
    return unicodedata.combining(first) == 0 and first not in seconds


def nfc_clusters(text: str) -> tuple[str, PiecewiseMap]:
    """NFC-normalise `text` cluster by cluster, mapping each changed cluster as a region.

    Clusters break only before characters NFC can never merge with what precedes
    them, so the concatenation equals NFC of the whole text (tests check this).
    """
    result = PiecewiseMap()
    out: list[str] = []
    a = b = 0
    for line in text.split("\n"):
        if unicodedata.is_normalized("NFC", line):
            out.append(line)
            a += len(line)
            b += len(line)
        else:
            start = 0
            for i in range(1, len(line) + 1):
                if i == len(line) or _is_stable_boundary(line[i]):
                    cluster = line[start:i]
                    normal = unicodedata.normalize("NFC", cluster)
                    if normal != cluster:
                        result.add(a, a + len(cluster), b, b + len(normal))
                    out.append(normal)
                    a += len(cluster)
                    b += len(normal)
                    start = i
        out.append("\n")
        a += 1
        b += 1
    out.pop()  # the newline after the last line
    return "".join(out), result.finish(len(text), b - 1)


def _nfc_map(text: str) -> tuple[str, PiecewiseMap]:
    """NFC of `text` and the position map into it (identity when already NFC)."""
    if unicodedata.is_normalized("NFC", text):
        return text, PiecewiseMap().finish(len(text), len(text))
    normalised, mapping = nfc_clusters(text)
    if normalised != unicodedata.normalize("NFC", text):  # pragma: no cover - safety net
        normalised = unicodedata.normalize("NFC", text)
        mapping = PiecewiseMap()
        mapping.add(0, len(text), 0, len(normalised))
        mapping.finish(len(text), len(normalised))
    return normalised, mapping


@dataclass
class SourceText:
    """A decoded text, its normalised form, and the map from one to the other.

    `raw` keeps a leading BOM as U+FEFF and CRLFs as they were: offset models
    count over `raw`. `text` is what lo-codebook stores.
    """

    raw: str
    text: str
    maps: list[PiecewiseMap]

    @classmethod
    def from_raw(cls, raw: str) -> SourceText:
        """Normalise `raw`: drop a leading BOM, CRLF and lone CR to LF, then NFC."""
        step = PiecewiseMap()
        parts: list[str] = []
        a = b = 0
        if raw.startswith(BOM):
            step.add(0, 1, 0, 0)
            a = 1
        for match in _NEWLINE_RE.finditer(raw, a):
            parts.append(raw[a : match.start()])
            b += match.start() - a
            if match.group() == "\r\n":
                step.add(match.start(), match.start() + 1, b, b)
            parts.append("\n")
            b += 1
            a = match.end()
        parts.append(raw[a:])
        b += len(raw) - a
        unix = "".join(parts)
        step.finish(len(raw), b)
        text, nfc = _nfc_map(unix)
        return cls(raw=raw, text=text, maps=[step, nfc])

    def to_text(self, raw_pos: int, side: Side) -> tuple[int, bool]:
        """Index in `text` for index `raw_pos` of `raw`, and whether it is exact."""
        return chain(self.maps, raw_pos, side)


def normalise_text(value: str) -> str:
    """Normalise a string the way stored texts are (no BOM, LF newlines, NFC)."""
    if value.startswith(BOM):
        value = value[1:]
    return unicodedata.normalize("NFC", _NEWLINE_RE.sub("\n", value))
