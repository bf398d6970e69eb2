"""Read a code's definition the way a second coder does: what to code, what not to, and why.

Researchers write code descriptions in a few common forms, in Dutch and English:

    Codeer als de respondent agressie, intimidatie of bedreiging noemt. Ook: onveilig voelen
    aan de balie. Niet coderen: geweld tussen bewoners onderling (zie Overlast).
    Code when staff mention the Wet open overheid (Woo) or "openbaarmaking". Do not code: ...

`parse_definition` splits such a text into an inclusion part and an exclusion part (from a
marker such as "Niet coderen", "Niet:", "Do not code", "Exclude", or a sentence that sends
the reader to another code: "(zie X)", "valt onder X", "see X"), and pulls out the terms a
coder would look for: quoted phrases, acronyms with their spelled-out form, and the items of
the lists descriptions are made of (split at punctuation and at "of/en/or/and/zoals/such
as/e.g."). How much a term proves is not decided here: the engine weighs each term by how
specific it is to the code, across the codebook and the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Definition", "defers_to_topics", "parse_definition", "split_examples"]

_EXCLUDE_MARKERS = {
    "nl": (
        r"niet\s+coderen",
        r"codeer\s+niet",
        r"niet\s+te\s+coderen",
        r"niet\s+gecodeerd",
        r"niet\s*:",
        r"niet\s+bedoeld",
        r"valt\s+niet",
        r"vallen\s+niet",
        r"hoort\s+niet",
        r"horen\s+niet",
        r"uitgezonderd",
        r"uitgesloten",
        r"exclusief",
        r"geen\s*:",
    ),
    "en": (
        r"do\s+not\s+code",
        r"don[’']t\s+code",
        r"not\s+coded",
        r"not\s+to\s+be\s+coded",
        r"exclude[sd]?\b",
        r"excluding",
        r"not\s*:",
        r"does\s+not\s+include",
        r"doesn[’']t\s+include",
        r"not\s+for\b",
        r"except\b",
    ),
}
#: A sentence that sends the reader elsewhere belongs to that other code.
_REFERENCE = re.compile(
    r"\(\s*(?:zie|see|cf\.?|vgl\.?)\s+([^)]+)\)|\b(?:valt|vallen|hoort|horen)\s+onder\b|"
    r"\b(?:falls?|belongs?)\s+(?:under|to)\b|\bcode\s+(?:it\s+)?(?:as|under)\b|\bcodeer\s+dan\b",
    re.IGNORECASE,
)
#: Starts of inclusion sentences ("Ook:", "Includes ...") close an exclusion part again.
_INCLUDE_START = re.compile(
    r"^\s*(?:ook|inclusief|eveneens|code\s+also|also|includes?|including)\b", re.IGNORECASE
)
_QUOTED = re.compile(r"[\"“”„]([^\"“”„]{2,80})[\"“”]|(?<![\w])['‘’]([^'‘’]{2,80})['‘’](?![\w])")
# "AVG (Algemene verordening gegevensbescherming)" and "Wet open overheid (Woo)"
_ACRONYM_AFTER = re.compile(r"\b([A-Z][A-Za-z0-9&+-]{1,9})\s*\(([^()]{4,80})\)")
_ACRONYM_INSIDE = re.compile(r"([\w][\w\s'’-]{3,80}?)\s*\(([A-Z][A-Za-z0-9&+-]{1,9})\)")
_SPLIT = {
    "nl": r"\s*(?:[,;:.!?()\[\]/•]|\s-\s|\s–\s|\bof\b|\ben\b|\bzoals\b|\bbijvoorbeeld\b|\bbijv\.|\bbv\.|\bb\.v\.|\bvan\s+bijvoorbeeld\b|\bdan\s+wel\b|\bnoch\b|\bwaaronder\b)\s*",
    "en": r"\s*(?:[,;:.!?()\[\]/•]|\s-\s|\s–\s|\bor\b|\band\b|\bsuch\s+as\b|\be\.g\.|\bi\.e\.|\bfor\s+example\b|\bincluding\b|\blike\b|\bnor\b)\s*",
}
#: An exclusion that hands a wish about a specific topic to that topic's own code ("een wens
#: voor scholing over een specifiek onderwerp: codeer dan dat onderwerp", "a wish for training
#: on a specific topic: code that topic instead"): the code is a frame, the topic is the theme.
_DEFERS_TO_TOPIC = re.compile(
    r"\b(?:specifie?ke?|bepaalde?|concrete?)\s+(?:onderwerp|thema|inhoud)|"
    r"\bonderwerp\w*\s+met\s+een\s+eigen\s+code|\bcodeer\s+(?:dan\s+)?(?:alleen\s+)?(?:dat|het)\s+"
    r"(?:onderwerp|thema)\b|"
    r"\bspecific\s+(?:topic|subject|theme|area)|\b(?:topic|subject|theme)s?\s+(?:with|that\s+has)\s+"
    r"(?:its|their)\s+own\s+code|\bcode\s+(?:only\s+)?(?:that|the)\s+(?:topic|subject|theme)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“‘(])")


@dataclass
class Definition:
    """What a code's description says to look for (`include`) and what not (`exclude`)."""

    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # names after "zie"/"see"


def split_examples(text: str | None) -> list[str]:
    """The optional `examples` column: `;`-separated example phrases or sentences."""
    return [e.strip() for e in (text or "").split(";") if e.strip()]


def _exclusion_start(sentence: str, lang: str) -> int | None:
    markers = _EXCLUDE_MARKERS.get(lang, ()) + _EXCLUDE_MARKERS["en" if lang == "nl" else "nl"]
    best = None
    for m in markers:
        found = re.search(r"(?<![\w])" + m, sentence, re.IGNORECASE)
        if found and (best is None or found.start() < best):
            best = found.start()
    return best


def split_parts(description: str, lang: str = "nl") -> tuple[str, str, list[str]]:
    """(inclusion text, exclusion text, referenced code names) of a description."""
    text = " ".join((description or "").split())
    include: list[str] = []
    exclude: list[str] = []
    references: list[str] = []
    excluding = False
    for sentence in _SENTENCE.split(text):
        refs = [m.group(1).strip() for m in _REFERENCE.finditer(sentence) if m.group(1)]
        references.extend(refs)
        if excluding and _INCLUDE_START.match(sentence):
            excluding = False
        at = _exclusion_start(sentence, lang)
        if at is not None:
            include.append(sentence[:at])
            exclude.append(sentence[at:])
            excluding = True
            continue
        if excluding or _REFERENCE.search(sentence):
            exclude.append(sentence)
        else:
            include.append(sentence)
    return " ".join(include), " ".join(exclude), references


def terms_of(text: str, lang: str = "nl") -> list[str]:
    """Candidate terms of a part of a description, most explicit first: quoted phrases,
    acronyms and their expansions, then the items of its lists (1-4 words each)."""
    found: list[str] = []
    rest = text
    for m in _QUOTED.finditer(text):
        found.append((m.group(1) or m.group(2)).strip())
    for m in _ACRONYM_AFTER.finditer(text):
        found.extend([m.group(1), m.group(2).strip()])
    for m in _ACRONYM_INSIDE.finditer(text):
        found.append(m.group(2))
    rest = _QUOTED.sub(" , ", rest)
    rest = re.sub(r"\(\s*(?:zie|see|cf\.?|vgl\.?)\s+[^)]*\)", " , ", rest, flags=re.IGNORECASE)
    for chunk in re.split(_SPLIT.get(lang, _SPLIT["en"]), rest, flags=re.IGNORECASE):
        chunk = chunk.strip(" -–'\"‘’“”")
        if chunk and any(ch.isalpha() for ch in chunk):
            found.append(chunk)
    out: list[str] = []
    seen: set[str] = set()
    for term in found:
        term = " ".join(term.split())
        key = term.lower()
        if key and key not in seen:
            seen.add(key)
            out.append(term)
    return out


def defers_to_topics(description: str | None, lang: str = "nl") -> bool:
    """Whether the description's exclusion part sends a topic-specific wish ("training on
    X") to X's own code."""
    _include, exclude, _refs = split_parts(description or "", lang)
    return bool(_DEFERS_TO_TOPIC.search(exclude))


def parse_definition(
    description: str, examples: list[str] | None = None, lang: str = "nl"
) -> Definition:
    """The terms of a description (and of example phrases, which are inclusion evidence)."""
    include_text, exclude_text, references = split_parts(description, lang)
    include = terms_of(include_text, lang)
    for example in examples or []:
        include.extend(t for t in terms_of(example, lang) if t not in include)
    return Definition(include, terms_of(exclude_text, lang), references)
