"""How common a word is in the language at large (wordfreq's Zipf scale, bundled data).

A term of a code's definition proves the code only when it is specific: "dementie" does,
"team" or "levels" do not, whatever the codebook says. The corpus alone cannot tell (in 140
answers every word is rare), so the engine also asks how common the word is in general:
Zipf 6 is a word per thousand ("werk", "home"), 3 a word per million ("taser").

A plain word (letters only, or letter parts joined by hyphens, as the engine asks) is looked
up in wordfreq's own data file, read once per process, and combined and rounded the way
wordfreq does; anything else goes to `wordfreq` itself.
Importing wordfreq compiles its tokenizer (about 0.3 s in a fresh process, a sixth of a
300,000-word `suggest`), and a plain word needs no tokenizer: the answer is the same
(`tests/test_frequency.py` compares them word by word).
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import string
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["zipf"]

_PUNCTUATION = frozenset(string.punctuation) - {"_"}  # "_" is a word character to wordfreq


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency of `word` in `lang` (0 for unknown words and languages)."""
    key = unicodedata.normalize("NFC", word).casefold()
    if key and all(ch in _PUNCTUATION for ch in key):
        return 0.0  # "-", "&": no word at all (wordfreq's tokenizer drops them too)
    parts = key.split("-")
    table = _table(lang) if all(p.isalpha() for p in parts) else None
    if table is None:
        return _from_wordfreq(word, lang)
    # several parts ("burn-out") combine as wordfreq combines tokens: 1/f = 1/f1 + 1/f2 + ...
    inverse = 0.0
    for part in parts:
        index = table.get(part)
        if index is None:
            return 0.0  # a part wordfreq does not know: its minimum
        inverse += 10 ** (index / 100)
    return _rounded_zipf(1.0 / inverse)


def _from_wordfreq(word: str, lang: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - a declared dependency; degrade, never fail
        return 0.0
    try:
        return float(zipf_frequency(word, lang))
    except (LookupError, ValueError):
        return 0.0


@lru_cache(maxsize=8)
def _table(lang: str) -> dict[str, int] | None:
    """word -> its bucket in wordfreq's "large" list for `lang` (its "best"; else "small"):
    a frequency of 10 ** (-bucket / 100). None when the data cannot be read this way (then
    wordfreq answers)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    names = (f"large_{lang}.msgpack.gz", f"small_{lang}.msgpack.gz")
    path = next((folder / n for n in names if (folder / n).is_file()), None)
    if path is None:
        return None
    try:
        import msgpack

        with gzip.open(path, "rb") as fh:
            pack = msgpack.load(fh, raw=False)
    except Exception:  # noqa: BLE001 - any unreadable file: wordfreq itself answers
        return None
    header = pack[0] if pack else None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    return {w: index for index, bucket in enumerate(pack[1:]) for w in bucket}


def _rounded_zipf(freq: float) -> float:
    """wordfreq's rounding: the frequency to three significant digits (at least 1e-9, its
    minimum on the Zipf scale's 0), then two decimals on the Zipf scale."""
    freq = max(freq, 1e-9)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)
