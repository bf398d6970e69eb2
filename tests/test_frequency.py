"""`nlp.frequency.zipf` reads wordfreq's data itself for plain words: the same values as
wordfreq, without importing it (its import costs a fresh `suggest` about 0.3 s)."""

from __future__ import annotations

import random
import string
import subprocess
import sys

import pytest
import wordfreq

from lo_codebook.nlp.frequency import _table, zipf


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_plain_words_have_wordfreqs_value(lang) -> None:
    table = _table(lang)
    assert table is not None and len(table) > 100_000
    words = sorted(w for w in table if w.isalpha())
    rng = random.Random(7)
    sample = rng.sample(words, 3000) + words[:200]
    joined = ["-".join(rng.sample(words, 2)) for _ in range(500)]
    odd = ["Werk", "ÉÉN", "burn-out", "e-learning", "xqzvw", "niet-bestaand-xqzvw", "cafe\u0301"]
    for word in sample + joined + odd:
        assert zipf(word, lang) == wordfreq.zipf_frequency(word, lang), word


@pytest.mark.parametrize("text", [*string.punctuation, "--", "&/", "wi-fi's", "24/7", "2024"])
def test_anything_else_has_wordfreqs_value_too(text) -> None:
    assert zipf(text, "nl") == wordfreq.zipf_frequency(text, "nl")


def test_an_unknown_language_is_zero() -> None:
    assert zipf("werk", "xx") == 0.0


def test_plain_words_do_not_import_wordfreq() -> None:
    code = (
        "import sys\n"
        "from lo_codebook.nlp.frequency import zipf\n"
        "assert zipf('werkdruk', 'nl') > 3 and zipf('burn-out', 'nl') > 0\n"
        "assert zipf('-', 'nl') == 0.0\n"
        "print('wordfreq' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
