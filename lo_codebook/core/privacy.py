"""Pseudonymisation: a per-project name list, applied the same way to every exported quote.

The researcher lists the people who must not appear in shared output ("Marieke de Vries"
-> "Respondent A"). Exports then replace every mention consistently: the full name, the
first name alone, the surname alone ("mevrouw De Vries"), the initial form ("M. de Vries"),
possessives ("Marieke's", "Mariekes"), Dutch diminutives of a first name ("Jantje",
"Janneke" for Jan), the name with or without accents ("Jose" for José, "Müller" for Muller),
handles and hashtags that spell it ("@marieke_devries", "#MariekeDeVries"), speaker labels,
and document and case names. Every e-mail address is replaced too (an address names a person
whether or not they are on the list). A first name or surname shared by two listed people
becomes a neutral placeholder ("[naam]"), so a quote is never attributed to the wrong person.

Accents are compared on a folded copy of the text with one character per character
("é" -> "e"), so every offset found there is an offset into the original text.

Stored texts are never changed: pseudonyms are applied when exporting. The pure functions
(`name_variants`, `Pseudonymiser`, `next_pseudonym`) hold all the rules; the project
operations below (names list, import, quote export) are units of work with audit entries.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from lo_codebook.core.queries import codings_in_reading_order
from lo_codebook.db.lookup import find_coder
from lo_codebook.db.models import (
    Case,
    CaseAttribute,
    Code,
    Coder,
    Coding,
    Document,
    Memo,
    PseudonymName,
    Segment,
)
from lo_codebook.errors import UserError
from lo_codebook.safe_output import check_name, safe_cell, unescape_cell, write_bytes
from lo_codebook.words import plural

MAX_NAME_CHARS = 300
PLACEHOLDER = {"nl": "[naam]", "en": "[name]"}
EMAIL_PLACEHOLDER = {"nl": "[e-mailadres]", "en": "[e-mail address]"}
DEFAULT_PREFIX = {"nl": "Persoon", "en": "Person"}
XLSX_CELL_LIMIT = 32_767
QUOTE_FORMATS = (".csv", ".md", ".xlsx")
QUOTE_FIELDS = ["document", "case", "code", "coder", "speaker", "text"]
#: After the quote: the coding's own memo, and the memos on its document and on its code
#: (several joined by a blank line); then one column per case attribute.
MEMO_FIELDS = ["memo", "document_memo", "code_memo"]

# Dutch/Flemish/German/French surname particles: "Marieke de Vries" -> surname "de Vries".
PARTICLES = frozenset(
    {
        "van", "de", "der", "den", "het", "ter", "ten", "te", "op", "in", "'t", "’t", "t",
        "la", "le", "du", "di", "da", "dos", "von", "vom", "zu", "auf", "aan", "bij", "uit",
        "voor", "onder", "over", "d'", "d’",
    }
)  # fmt: skip

_SEPARATOR = r"[\s_]+"
# A name is a whole word: not preceded or followed by a letter or digit (underscores in file
# names like "interview_marieke_de_vries" count as separators).
_BEFORE = r"(?<![^\W_])"
_AFTER = r"(?![^\W_])"
_SUFFIX = r"(?P<suffix>['’]s|['’]|s)?"
# Dutch diminutives of a first name: Jan -> Jantje, Janneke, Jannie; Piet -> Pietje; Kees ->
# Keesje; Anne -> Annetje; Tom -> Tompje, Tommetje; Marie -> Marieke.
_DIMINUTIVE = r"(?:[bdfgklmnprstz]?(?:etje|eke|ie)|tje|pje|je|ke)"
_DIMINUTIVE_ENDINGS = ("etje", "eke", "ie", "tje", "pje", "je", "ke")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@#])(?P<sigil>[@#])(?P<body>\w(?:[\w.-]*\w)?)")
_HANDLE_PIECES = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[a-z]+", re.ASCII)


def clean_name(value: str) -> str:
    """NFC, single spaces, no surrounding blanks."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _fold_char(char: str) -> str:
    """`char` without its accents when that leaves one character ("é" -> "e"), else itself."""
    base = unicodedata.normalize("NFD", char)
    if len(base) > 1 and len(base[0]) == 1 and all(unicodedata.combining(c) for c in base[1:]):
        return base[0]
    return char


def fold(text: str) -> str:
    """`text` with accents removed, one character for one (offsets stay valid)."""
    if text.isascii():
        return text
    table = {ord(c): _fold_char(c) for c in set(text) if ord(c) > 127}
    return text.translate(table)


def _key(value: str) -> str:
    return " ".join(re.split(_SEPARATOR, fold(value).strip())).casefold()


def _compact(key: str) -> str:
    """A name key as a handle writes it: letters and digits only ("de vries" -> "devries")."""
    return re.sub(r"[\W_]+", "", key)


@dataclass(frozen=True)
class Variant:
    """One way a listed person is written. `partial` ones (a first name or surname alone) may
    be shared by several people. One-word forms only match with the capital letter they were
    listed with when case matters ("Roos" the person, not "roos" the flower)."""

    text: str
    partial: bool
    diminutive: bool = False  # a first name: "Jantje" and "Janneke" are Jan too

    @property
    def needs_capital(self) -> bool:
        return self.partial or len(self.text.split()) == 1


def name_variants(name: str) -> list[Variant]:
    """The forms of `name` that exports replace: full, initial + surname, given names, surname."""
    name = clean_name(name)
    tokens = name.split()
    variants = [Variant(name, partial=False, diminutive=len(tokens) == 1)]
    if len(tokens) < 2:
        return variants
    particle_at = next(
        (i for i, token in enumerate(tokens) if i > 0 and token.casefold() in PARTICLES), None
    )
    split = particle_at if particle_at is not None else len(tokens) - 1
    given, surname = tokens[:split], tokens[split:]
    if given and any(t.casefold() not in PARTICLES for t in surname):
        variants.append(Variant(f"{given[0][0]}. {' '.join(surname)}", partial=False))
        variants.append(Variant(" ".join(surname), partial=True))
    if given and given[0].casefold() not in PARTICLES and len(given[0]) > 1:
        variants.append(Variant(given[0], partial=True, diminutive=True))
        if len(given) > 1:
            variants.append(Variant(" ".join(given), partial=True))
    return variants


def _capital_bound(variant: Variant) -> bool:
    """Whether the variant only matches with its capital ("Roos", not "roos")."""
    return variant.needs_capital and any(
        token[:1].isupper() for token in fold(variant.text).split()
    )


def _variant_pattern(variant: Variant, strict_case: bool) -> str:
    tokens = fold(variant.text).split()
    parts = [re.escape(token) for token in tokens]
    if strict_case and variant.needs_capital:
        # The first capitalised word must keep its capital: "Roos" the person, not "roos".
        for index, token in enumerate(tokens):
            if token[:1].isupper():
                parts[index] = f"(?-i:{re.escape(token[0])}){re.escape(token[1:])}"
                break
    pattern = _SEPARATOR.join(parts)
    return f"{pattern}{_DIMINUTIVE}?" if variant.diminutive else pattern


@dataclass(frozen=True)
class Replacement:
    """A mention found in a text: `text[start:end]` is written as `by`."""

    start: int
    end: int
    by: str


class Pseudonymiser:
    """Finds every listed person in a text and says what to write instead."""

    def __init__(
        self,
        entries: Iterable[tuple[str, str]],
        placeholder: str = PLACEHOLDER["nl"],
        email_placeholder: str = EMAIL_PLACEHOLDER["nl"],
    ):
        self.entries = [(clean_name(n), clean_name(p)) for n, p in entries if clean_name(n)]
        self.placeholder = placeholder
        self.email_placeholder = email_placeholder
        full: dict[str, str] = {}
        partial: dict[str, set[str]] = {}
        variants: dict[str, Variant] = {}
        for name, pseudonym in self.entries:
            for variant in name_variants(name):
                key = _key(variant.text)
                if variant.partial:
                    partial.setdefault(key, set()).add(pseudonym)
                else:
                    full[key] = pseudonym
                known = variants.get(key)
                if known is None or (
                    not variant.partial and (known.partial or not _capital_bound(variant))
                ):
                    # the same key listed twice ("IA" and "iA"): the form that needs no capital
                    # finds both, so it is kept
                    variants[key] = variant
        self._by_key: dict[str, str] = dict(full)
        for key, pseudonyms in partial.items():
            if key not in full:
                self._by_key[key] = next(iter(pseudonyms)) if len(pseudonyms) == 1 else placeholder
        # Handles: the name written without spaces ("devries", "mariekedevries").
        self._compact: dict[str, str] = {}
        for key, by in self._by_key.items():
            compact = _compact(key)
            if len(compact) >= 2:
                known = self._compact.setdefault(compact, by)
                if known != by:
                    self._compact[compact] = placeholder
        ordered = sorted(variants.values(), key=lambda v: (-len(v.text), v.text))
        self._regex = (
            {strict: self._compile(ordered, strict) for strict in (True, False)} if ordered else {}
        )

    @staticmethod
    def _compile(variants: Sequence[Variant], strict: bool) -> re.Pattern[str]:
        alternatives = "|".join(_variant_pattern(v, strict) for v in variants)
        return re.compile(f"{_BEFORE}(?P<core>{alternatives}){_SUFFIX}{_AFTER}", re.IGNORECASE)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def _pseudonym(self, core: str) -> str:
        """The pseudonym for a matched name (a diminutive: of its first name)."""
        key = _key(core)
        found = self._by_key.get(key)
        for ending in _DIMINUTIVE_ENDINGS if found is None else ():
            if key.endswith(ending):
                base = key[: -len(ending)]
                found = self._by_key.get(base)
                if (
                    found is None
                    and ending in ("etje", "eke", "ie")
                    and len(base) > 2
                    and base[-1] == base[-2]
                ):
                    found = self._by_key.get(base[:-1])  # Janneke: Jan + n + eke
                if found is not None:
                    break
        # Every alternative has a key; should folding ever disagree, hide the name anyway.
        return found if found is not None else self.placeholder

    def _handle(self, body: str) -> str | None:
        """The pseudonym for a handle or hashtag body that spells a listed name, or None.

        The name must fill the handle or one or more of its pieces (split at `_`, `.`, `-`,
        digits and capitals), so "#januari" is not Jan but "@jan_devries" and
        "#MariekeDeVries" are."""
        if not self._compact:
            return None
        folded = fold(body)
        whole = _compact(folded.casefold())
        if whole in self._compact:
            return self._compact[whole]
        pieces = [
            p.casefold()
            for chunk in re.split(r"[\W_\d]+", folded)
            for p in _HANDLE_PIECES.findall(chunk) or [chunk]
            if p
        ]
        best: tuple[int, str] | None = None
        for first in range(len(pieces)):
            joined = ""
            for last in range(first, len(pieces)):
                joined += pieces[last]
                by = self._compact.get(joined)
                if by is not None and (best is None or len(joined) > best[0]):
                    best = (len(joined), by)
        return best[1] if best else None

    def find(self, text: str, *, strict_case: bool = True) -> list[Replacement]:
        """Every mention in `text`, left to right, not overlapping: e-mail addresses, handles
        and hashtags that spell a listed name, and the listed names in all their forms."""
        if not text:
            return []
        taken: list[Replacement] = []
        if "@" in text:
            taken += [
                Replacement(m.start(), m.end(), self.email_placeholder)
                for m in _EMAIL.finditer(text)
            ]
        if self._regex and ("@" in text or "#" in text):
            for match in _HANDLE.finditer(text):
                if any(r.start < match.end() and match.start() < r.end for r in taken):
                    continue
                by = self._handle(match.group("body"))
                if by is not None:
                    taken.append(
                        Replacement(
                            match.start(), match.end(), match.group("sigil") + by.replace(" ", "")
                        )
                    )
        taken.sort(key=lambda r: r.start)
        if not self._regex:
            return taken
        found: list[Replacement] = []
        index = 0
        folded = fold(text)
        for match in self._regex[strict_case].finditer(folded):
            while index < len(taken) and taken[index].end <= match.start():
                found.append(taken[index])
                index += 1
            if index < len(taken) and taken[index].start < match.end():
                continue  # inside an address or handle already replaced
            suffix = match.group("suffix") or ""
            if suffix:
                suffix = suffix if suffix[0] in "'’" else "'s"
            found.append(
                Replacement(
                    match.start(), match.end(), self._pseudonym(match.group("core")) + suffix
                )
            )
        found.extend(taken[index:])
        return found

    def apply(self, text: str, *, strict_case: bool = True) -> str:
        """`text` with every mention replaced."""
        return apply_replacements(text, self.find(text, strict_case=strict_case))

    def label(self, value: str | None) -> str | None:
        """A speaker label, document, case or coder name: any capitalisation counts."""
        if not value:
            return value
        return self.apply(value, strict_case=False)


def apply_replacements(
    text: str,
    replacements: Sequence[Replacement],
    start: int = 0,
    end: int | None = None,
    ends: Sequence[int] | None = None,
) -> str:
    """`text[start:end]` with the replacements applied; a mention cut by the span boundary is
    replaced whole, so no fragment of a name survives. `ends` (the replacements' `end`s, for
    many spans of one text) saves recomputing them."""
    end = len(text) if end is None else end
    if ends is None:
        ends = [r.end for r in replacements]
    index = bisect.bisect_right(ends, start)
    out: list[str] = []
    position = start
    for replacement in replacements[index:]:
        if replacement.start >= end:
            break
        if replacement.end <= start:
            continue
        if replacement.start > position:
            out.append(text[position : replacement.start])
        out.append(replacement.by)
        position = max(position, replacement.end)
    if position < end:
        out.append(text[position:end])
    return "".join(out)


class OffsetMap:
    """Where offsets of a text land in its pseudonymised version (`apply_replacements` of the
    whole text), so that spans (REFI selections) can be moved with their text.

    A span boundary inside a mention moves to that mention's edge: the span then covers the
    whole pseudonym, exactly what `apply_replacements(text, replacements, start, end)` gives.
    """

    def __init__(self, replacements: Sequence[Replacement]) -> None:
        self._replacements = list(replacements)
        self._ends = [r.end for r in self._replacements]
        self._shift = [0]  # total change of length before replacement i
        for r in self._replacements:
            self._shift.append(self._shift[-1] + len(r.by) - (r.end - r.start))

    def _at(self, offset: int, *, end: bool) -> int:
        index = bisect.bisect_right(self._ends, offset)
        if index < len(self._replacements) and self._replacements[index].start < offset:
            mention = self._replacements[index]
            moved = mention.start + self._shift[index]
            return moved + len(mention.by) if end else moved
        return offset + self._shift[index]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The new (start, end) of the span `start:end` of the original text."""
        return self._at(start, end=False), max(self._at(start, end=False), self._at(end, end=True))


def _letters(number: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, ..."""
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def next_pseudonym(used: Iterable[str], language: str = "nl") -> str:
    """The first free "Persoon A", "Persoon B", ... ("Person A" in English projects)."""
    prefix = DEFAULT_PREFIX.get(language, DEFAULT_PREFIX["en"])
    taken = {u.casefold() for u in used}
    number = 0
    while f"{prefix} {_letters(number)}".casefold() in taken:
        number += 1
    return f"{prefix} {_letters(number)}"


# --------------------------------------------------------------------------- project operations


@dataclass(frozen=True)
class NameEntry:
    name: str
    pseudonym: str


def list_names(session: Session) -> list[NameEntry]:
    rows = session.scalars(select(PseudonymName)).all()
    return sorted((NameEntry(r.name, r.pseudonym) for r in rows), key=lambda e: e.name.casefold())


def _check_name(
    value: str, what: str, *, file: Path | None = None, where: str | None = None
) -> str:
    clean = clean_name(value)
    if not clean:
        raise UserError(f"{what} is empty", file=file, where=where)
    if len(clean) > MAX_NAME_CHARS:
        raise UserError(
            f"{what} is longer than {MAX_NAME_CHARS} characters", file=file, where=where
        )
    if not any(ch.isalnum() for ch in clean):
        raise UserError(f"{what} {clean!r} has no letters", file=file, where=where)
    return check_name(clean, what, file=file, where=where)


def _find(session: Session, name: str) -> PseudonymName | None:
    key = name.casefold()
    for row in session.scalars(select(PseudonymName)):
        if row.name.casefold() == key:
            return row
    return None


def _check_pseudonym(session: Session, pseudonym: str, name: str, **where: Any) -> None:
    key = pseudonym.casefold()
    for row in session.scalars(select(PseudonymName)):
        if row.name.casefold() == key and row.name.casefold() != name.casefold():
            raise UserError(
                f"the pseudonym {pseudonym!r} is itself a listed name; choose another", **where
            )
    if key == name.casefold():
        raise UserError(f"the pseudonym of {name!r} cannot be the name itself", **where)


def add_name(project: Any, name: str, pseudonym: str | None = None) -> NameEntry:
    """Put a person on the name list (pseudonym chosen automatically when not given)."""
    name = _check_name(name, "the name")
    if pseudonym is not None:
        pseudonym = _check_name(pseudonym, "the pseudonym", where="--as")
    with project.write("names-add") as unit:
        session = unit.session
        existing = _find(session, name)
        if existing is not None:
            raise UserError(
                f"{existing.name!r} is already on the name list (as {existing.pseudonym!r}); "
                "remove it first to change its pseudonym"
            )
        if pseudonym is None:
            pseudonym = next_pseudonym(
                session.scalars(select(PseudonymName.pseudonym)), project.language
            )
        else:
            _check_pseudonym(session, pseudonym, name, where="--as")
        session.add(PseudonymName(name=name, pseudonym=pseudonym))
        unit.summary = f"name list: {name!r} -> {pseudonym!r}"
    return NameEntry(name, pseudonym)


def remove_name(project: Any, name: str) -> NameEntry:
    name = clean_name(name)
    with project.write("names-remove") as unit:
        row = _find(unit.session, name)
        if row is None:
            raise UserError(f"{name!r} is not on the name list (see `lo-codebook names list`)")
        entry = NameEntry(row.name, row.pseudonym)
        unit.session.delete(row)
        unit.summary = f"name list: removed {row.name!r}"
    return entry


@dataclass
class NamesImportReport:
    added: list[NameEntry] = field(default_factory=list)
    updated: list[NameEntry] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"name list: {len(self.added)} added, {plural(len(self.updated), 'pseudonym')} changed, "
            f"{self.unchanged} already listed"
        )


_NAME_HEADERS = ("name", "naam")
_PSEUDONYM_HEADERS = ("pseudonym", "pseudoniem", "alias", "as")


def read_names_csv(path: Path) -> list[tuple[int, str, str | None]]:
    """(line, name, pseudonym or None) from a csv with a `name` (or `naam`) column and an
    optional `pseudonym` (or `pseudoniem`) column."""
    from lo_codebook.ingest.survey import detect_delimiter
    from lo_codebook.ingest.textio import read_text

    if not path.exists():
        raise UserError("file not found", file=path)
    if path.is_dir():
        raise UserError("is a folder, not a .csv file", file=path)
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        raise UserError("names import reads a .csv file (columns name,pseudonym)", file=path)
    text = read_text(path).text
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=detect_delimiter(text), strict=True
    )
    rows: list[tuple[int, str, str | None]] = []
    header: list[str] | None = None
    name_col = pseudonym_col = -1
    line = 1
    try:
        while True:
            line = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip().casefold() for cell in record]
                name_col = next((header.index(h) for h in _NAME_HEADERS if h in header), -1)
                pseudonym_col = next(
                    (header.index(h) for h in _PSEUDONYM_HEADERS if h in header), -1
                )
                if name_col < 0:
                    raise UserError(
                        f"no column 'name'; columns are: {', '.join(header)} (expected name,pseudonym)",
                        file=path,
                        where=f"line {line}",
                    )
                continue
            if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
                raise UserError(
                    f"row has {plural(len(record), 'field')}, the header has {len(header)}",
                    file=path,
                    where=f"line {line}",
                )
            where = f"line {line}"
            # `names list --format csv` escapes formula-like cells with a leading ': undone here.
            raw_name = unescape_cell(record[name_col].strip()) if name_col < len(record) else ""
            name = _check_name(raw_name, "the name", file=path, where=where)
            pseudonym = None
            if 0 <= pseudonym_col < len(record) and record[pseudonym_col].strip():
                raw = unescape_cell(record[pseudonym_col].strip())
                pseudonym = _check_name(raw, "the pseudonym", file=path, where=where)
            rows.append((line, name, pseudonym))
    except csv.Error as exc:
        raise UserError(f"malformed CSV ({exc})", file=path, where=f"line {line}") from None
    if header is None:
        raise UserError("file is empty", file=path)
    if not rows:
        raise UserError("no names in the file (only a header)", file=path)
    first_line: dict[str, int] = {}
    for number, name, _ in rows:
        key = name.casefold()
        if key in first_line:
            raise UserError(
                f"{name!r} is listed twice (lines {first_line[key]} and {number})",
                file=path,
                where=f"line {number}",
            )
        first_line[key] = number
    return rows


def import_names(project: Any, path: str | Path) -> NamesImportReport:
    """Add the names of a csv to the list (all or nothing); given pseudonyms replace old ones."""
    path = Path(path)
    rows = read_names_csv(path)
    report = NamesImportReport()
    with project.write("names-import") as unit:
        session = unit.session
        current = {row.name.casefold(): row for row in session.scalars(select(PseudonymName))}
        used = [row.pseudonym for row in current.values()] + [p for _, _, p in rows if p]
        new_names = {name.casefold() for _, name, _ in rows}
        for line, name, pseudonym in rows:
            where = {"file": path, "where": f"line {line}"}
            if (
                pseudonym is not None
                and pseudonym.casefold() in (new_names | set(current))
                and pseudonym.casefold() != name.casefold()
            ):
                raise UserError(
                    f"the pseudonym {pseudonym!r} is itself a listed name; choose another", **where
                )
            if pseudonym is not None and pseudonym.casefold() == name.casefold():
                raise UserError(f"the pseudonym of {name!r} cannot be the name itself", **where)
            row = current.get(name.casefold())
            if row is None:
                if pseudonym is None:
                    pseudonym = next_pseudonym(used, project.language)
                    used.append(pseudonym)
                row = PseudonymName(name=name, pseudonym=pseudonym)
                session.add(row)
                current[name.casefold()] = row
                report.added.append(NameEntry(name, pseudonym))
            elif pseudonym is not None and pseudonym != row.pseudonym:
                row.pseudonym = pseudonym
                report.updated.append(NameEntry(row.name, pseudonym))
            else:
                report.unchanged += 1
        unit.summary = f"{path.name}: {report.summary()}"
    return report


def pseudonymiser_for(session: Session, language: str = "nl") -> Pseudonymiser:
    return Pseudonymiser(
        ((e.name, e.pseudonym) for e in list_names(session)),
        placeholder=PLACEHOLDER.get(language, PLACEHOLDER["en"]),
        email_placeholder=EMAIL_PLACEHOLDER.get(language, EMAIL_PLACEHOLDER["en"]),
    )


# --------------------------------------------------------------------------- quote export


@dataclass
class QuotesReport:
    path: Path
    quotes: int
    replaced: int
    truncated: int = 0
    names_listed: int = 0
    held_back: int = 0  # other coders' quotes on the exporter's blind validation sample
    consensus: str | None = None  # the consensus coding exported by default ("consensus (a + b)")


def _descendant_ids(session: Session, root: Code) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for code_id, parent_id in session.execute(select(Code.id, Code.parent_id)):
        children.setdefault(parent_id, []).append(code_id)
    out, stack = [], [root.id]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(children.get(current, []))
    return out


def quote_rows(
    session: Session,
    *,
    code: str | None = None,
    coder: str | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    viewer: str | None = None,
) -> tuple[list[dict[str, str]], int]:
    """Coded quotes in document order, pseudonymised when a pseudonymiser is given.

    Returns the rows (`QUOTE_FIELDS`) and how many mentions were replaced. `viewer` (the
    coder exporting): other coders' codings on the viewer's validation sample documents not
    marked done are left out (`hidden_quotes` counts them), as the UI hides them.
    """
    from lo_codebook.core.codebook import resolve_code

    query = codings_in_reading_order(
        Coding.document_id,
        Coding.start,
        Coding.end,
        Code.name,
        Coder.name,
        Coding.memo,
        Coding.code_id,
    )
    if code is not None:
        root = resolve_code(session, code, where="--code")
        query = query.where(Coding.code_id.in_(_descendant_ids(session, root)))
    if coder is not None:
        known = find_coder(session, coder)
        if known is None:
            names = ", ".join(session.scalars(select(Coder.name).order_by(Coder.name))) or "none"
            raise UserError(f"unknown coder {coder!r} (coders: {names})", where="--coder")
        query = query.where(Coder.id == known.id)
    hidden = _hidden_for(session, viewer)
    if hidden is not None:
        query = query.where(~hidden)
    codings = session.execute(query).all()
    doc_memos, code_memos = _memo_texts(session)
    attributes: dict[int, dict[str, str]] = {}
    for case_id, key, value in session.execute(
        select(CaseAttribute.case_id, CaseAttribute.key, CaseAttribute.value)
    ):
        attributes.setdefault(case_id, {})[key] = value
    case_attributes: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    replaced = 0
    current_doc: int | None = None
    text = ""
    doc_name = case_name = ""
    seg_starts: list[int] = []
    segments: list[tuple[int, int, str | None]] = []
    mentions: list[Replacement] = []
    mention_starts: list[int] = []
    mention_ends: list[int] = []
    for document_id, start, end, code_name, coder_name, coding_memo, code_id in codings:
        if document_id != current_doc:
            current_doc = document_id
            doc = session.get(Document, document_id)
            assert doc is not None
            text = doc.text
            doc_name = doc.name
            case_name = ""
            case_attributes = attributes.get(doc.case_id, {}) if doc.case_id is not None else {}
            if doc.case_id is not None:
                case = session.get(Case, doc.case_id)
                case_name = case.name if case else ""
            segments = [
                (s, e, sp)
                for s, e, sp in session.execute(
                    select(Segment.start, Segment.end, Segment.speaker)
                    .where(Segment.document_id == document_id)
                    .order_by(Segment.start)
                )
            ]
            seg_starts = [s for s, _, _ in segments]
            mentions = pseudonymiser.find(text) if pseudonymiser else []
            mention_starts = [m.start for m in mentions]
            mention_ends = [m.end for m in mentions]
            if pseudonymiser:
                doc_name = pseudonymiser.label(doc_name) or ""
                case_name = pseudonymiser.label(case_name) or ""
        speaker = None
        index = bisect.bisect_right(seg_starts, start) - 1
        if index >= 0 and start < segments[index][1]:
            speaker = segments[index][2]
        elif index + 1 < len(segments) and segments[index + 1][0] < end:
            speaker = segments[index + 1][2]  # a coding that starts on a speaker label
        if pseudonymiser:
            quote = apply_replacements(text, mentions, start, end, mention_ends)
            replaced += max(
                0,
                bisect.bisect_left(mention_starts, end) - bisect.bisect_right(mention_ends, start),
            )
            speaker = pseudonymiser.label(speaker)
            coder_name = pseudonymiser.label(coder_name)
        else:
            quote = text[start:end]
        notes = {
            "memo": coding_memo or "",
            "document_memo": doc_memos.get(document_id, ""),
            "code_memo": code_memos.get(code_id, ""),
        }
        values = dict(case_attributes)
        if pseudonymiser:
            notes = {key: pseudonymiser.apply(value) for key, value in notes.items()}
            values = {key: pseudonymiser.apply(value) for key, value in values.items()}
        row = {
            "document": doc_name,
            "case": case_name,
            "code": code_name,
            "coder": coder_name or "",
            "speaker": speaker or "",
            "text": quote,
            **notes,
        }
        for key, value in values.items():
            row[attribute_column(key)] = value
        rows.append(row)
    return rows, replaced


def attribute_column(key: str) -> str:
    """The quote export's column for a case attribute: its name, unless a fixed column has
    that name (then `attribute:NAME`)."""
    return f"attribute:{key}" if key in QUOTE_FIELDS or key in MEMO_FIELDS else key


def _memo_texts(session: Session) -> tuple[dict[int, str], dict[int, str]]:
    """Document id -> its memos' text, code id -> its memos' text (oldest first)."""
    by_doc: dict[int, list[str]] = {}
    by_code: dict[int, list[str]] = {}
    for document_id, code_id, text in session.execute(
        select(Memo.document_id, Memo.code_id, Memo.text).order_by(Memo.id)
    ):
        if document_id is not None:
            by_doc.setdefault(document_id, []).append(text)
        elif code_id is not None:
            by_code.setdefault(code_id, []).append(text)
    join = "\n\n".join
    return {k: join(v) for k, v in by_doc.items()}, {k: join(v) for k, v in by_code.items()}


def quote_fields(rows: list[dict[str, str]]) -> list[str]:
    """The export's columns: the fixed ones, the memo ones, then every case attribute used."""
    fields = QUOTE_FIELDS + MEMO_FIELDS
    extra: dict[str, None] = {}
    for row in rows:
        for key in row:
            if key not in fields:
                extra.setdefault(key, None)
    return fields + sorted(extra, key=str.casefold)


def _hidden_for(session: Session, viewer: str | None) -> Any:
    """The SQL condition of codings `viewer` may not see yet (blind validation sample)."""
    if viewer is None:
        return None
    from lo_codebook.core.validation import coding_hidden

    return coding_hidden(session, viewer)


def hidden_quotes(
    session: Session, viewer: str, *, code: str | None = None, coder: str | None = None
) -> int:
    """How many codings `quote_rows(viewer=viewer)` leaves out (of `code`/`coder` when given)."""
    from lo_codebook.core.codebook import resolve_code

    hidden = _hidden_for(session, viewer)
    if hidden is None:
        return 0
    query = select(func.count(Coding.id)).join(Coder, Coder.id == Coding.coder_id).where(hidden)
    if code is not None:
        query = query.where(
            Coding.code_id.in_(
                _descendant_ids(session, resolve_code(session, code, where="--code"))
            )
        )
    if coder is not None:
        found = find_coder(session, coder)
        query = query.where(Coder.id == (found.id if found is not None else -1))
    return int(session.scalar(query) or 0)


def _write_csv(rows: list[dict[str, str]], handle: IO[str]) -> None:
    writer = csv.DictWriter(handle, fieldnames=quote_fields(rows), lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)


def _markdown(rows: list[dict[str, str]], title: str) -> str:
    lines = [f"# {title}", ""]
    by_code: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_code.setdefault(row["code"], []).append(row)
    for code_name in sorted(by_code, key=str.casefold):
        quotes = by_code[code_name]
        lines += [f"## {code_name} ({len(quotes)})", ""]
        for row in quotes:
            body = row["text"].strip("\n") or " "
            lines += ["> " + line if line else ">" for line in body.split("\n")]
            who = ", ".join(
                p
                for p in (
                    row["document"],
                    row["case"] if row["case"] != row["document"] else "",
                    row["speaker"],
                )
                if p
            )
            lines += ["", f"— {who} (coded by {row['coder']})", ""]
            if row.get("memo"):
                lines += [f"*Memo:* {' '.join(row['memo'].split())}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _xlsx(rows: list[dict[str, str]], target: IO[bytes]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    truncated = 0
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("quotes")

    def cell(value: str) -> WriteOnlyCell:
        nonlocal truncated
        value = safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
        if len(value) > XLSX_CELL_LIMIT:
            value = value[: XLSX_CELL_LIMIT - 1] + "…"
            truncated += 1
        item = WriteOnlyCell(sheet, value=value)
        item.data_type = "s"  # a string, never a formula (and escaped for copies as CSV)
        return item

    fields = quote_fields(rows)
    sheet.append([cell(name) for name in fields])
    for row in rows:
        sheet.append([cell(row.get(name, "")) for name in fields])
    workbook.save(target)
    return truncated


def export_quotes(
    project: Any,
    path: str | Path,
    *,
    code: str | None = None,
    coder: str | None = None,
    pseudonymise: bool = False,
) -> QuotesReport:
    """Write the coded quotes (document, case, code, coder, speaker, text, then the memos on
    the coding, its document and its code, and the case's attributes) to .csv/.md/.xlsx."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in QUOTE_FORMATS:
        raise UserError(
            f"export-quotes writes {', '.join(QUOTE_FORMATS)} (by the file's extension)", file=path
        )
    language = project.language
    with project.read() as session:
        names = list_names(session)
        pseudonymiser = None
        if pseudonymise:
            if not names:
                raise UserError(
                    "the name list is empty, so --pseudonymise would change nothing; add names "
                    "first (lo-codebook names add NAME, or names import FILE.csv)",
                    where="--pseudonymise",
                )
            pseudonymiser = pseudonymiser_for(session, language)
        viewer = project.coder_name
        consensus = None
        if coder is None:  # a consensus settles which quotes count, once one exists
            from lo_codebook.core.coder_labels import coder_label
            from lo_codebook.core.themes_service import consensus_coders

            with_codings = session.scalars(
                select(Coder.name).where(exists().where(Coding.coder_id == Coder.id))
            ).all()
            held = consensus_coders(session, with_codings)
            if held:
                coder, consensus = held[0], coder_label(session, held[0])
        elif coder.strip().casefold() == "all":
            coder = None
        rows, replaced = quote_rows(
            session, code=code, coder=coder, pseudonymiser=pseudonymiser, viewer=viewer
        )
        held_back = hidden_quotes(session, viewer, code=code, coder=coder)
    title = "Citaten" if language == "nl" else "Quotes"
    if code:
        title += f": {code}"

    # Rendered in memory, then written at once through a temporary file: a failure or a
    # kill never leaves half a file, and never fails inside a half-saved xlsx archive.
    truncated = 0
    if suffix == ".csv":
        text = io.StringIO()
        _write_csv(rows, text)
        data = text.getvalue().encode("utf-8")
    elif suffix == ".md":
        data = _markdown(rows, title).encode("utf-8")
    else:
        binary = io.BytesIO()
        truncated = _xlsx(rows, binary)
        data = binary.getvalue()
    write_bytes(path, data)
    return QuotesReport(path, len(rows), replaced, truncated, len(names), held_back, consensus)


__all__ = [
    "NameEntry",
    "OffsetMap",
    "Pseudonymiser",
    "Replacement",
    "add_name",
    "apply_replacements",
    "export_quotes",
    "import_names",
    "list_names",
    "name_variants",
    "next_pseudonym",
    "pseudonymiser_for",
    "quote_rows",
    "read_names_csv",
    "remove_name",
]
