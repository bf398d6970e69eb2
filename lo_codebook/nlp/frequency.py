"""How common a word is in the language at large (wordfreq's Zipf scale, bundled data).

A term of a code's definition proves the code only when it is specific: "dementie" does,
"team" or "levels" do not, whatever the codebook says. The corpus alone cannot tell (in 140
answers every word is rare), so the engine also asks how common the word is in general:
Zipf 6 is a word per thousand ("werk", "home"), 3 a word per million ("taser").
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["zipf"]


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency of `word` in `lang` (0 for unknown words and languages)."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - a declared dependency; degrade, never fail
        return 0.0
    try:
        return float(zipf_frequency(word, lang))
    except (LookupError, ValueError):
        return 0.0
