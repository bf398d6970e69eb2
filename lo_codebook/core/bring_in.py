"""What every bring-in of another project shares: `merge-project`, `merge-codebook`, `import-qdpx`.

One report type (`BringInReport`), one rule for a case found again (`unite_attributes`), one
rule for a memo found again (`MemoIndex`), one way to make a stored date time-zone aware
(`aware`) and to free a taken name (`free_name`). `core/merge.py` and `core/refi_mapping.py`
build on these instead of each keeping its own copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lo_codebook.core.language import LanguageNote
from lo_codebook.db.models import Case, CaseAttribute, Memo
from lo_codebook.i18n import count
from lo_codebook.i18n import t as translate
from lo_codebook.words import plural

IMPORT_ACTION = "import-qdpx"


def free_name(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)`, ... : the first not in `taken`."""
    if name not in taken:
        return name
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"


@dataclass
class BringInReport:
    """What bringing another project (or codebook) in did.

    `action` is the log action: "import-qdpx", "merge-project" or "merge-codebook"; the
    fields all three fill come first, then those of an import, then those of a merge
    (`entry_id` is the log entry `unmerge` reverses). `summary` and `to_json` speak as each
    command always has.
    """

    source: str
    action: str = IMPORT_ACTION
    documents_added: list[str] = field(default_factory=list)
    documents_matched: int = 0
    documents_renamed: list[tuple[str, str]] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)  # paths here
    codes_merged: list[tuple[str, str]] = field(default_factory=list)  # (source, path here)
    codings_added: int = 0
    codings_present: int = 0
    cases_added: int = 0
    attributes_added: int = 0
    attribute_conflicts: list[str] = field(default_factory=list)
    memos_added: int = 0
    coders_added: list[str] = field(default_factory=list)  # coders made by this bring-in
    language: LanguageNote | None = None  # set when this bring-in chose the project's language
    # import-qdpx: what the file says and what was left out
    origin: str | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # kept differently: sets, '/' in names, ...
    #: Everything left out, kind ("sources", "codings", "notes") -> reason -> count: what the
    #: reader could not take and what the import refused. `codings_skipped` is the total.
    skipped: dict[str, dict[str, int]] = field(default_factory=dict)
    codings_skipped: int = 0
    # merge-codebook / merge-project
    codings_without_document: int = 0
    documents_linked: int = 0
    coders: list[str] = field(default_factory=list)  # whose codings or memos came in
    backup: Path | None = None
    entry_id: int | None = None

    @property
    def codes_matched(self) -> int:
        return len(self.codes_merged)

    def skip(self, kind: str, reason: str, n: int = 1) -> None:
        if n:
            reasons = self.skipped.setdefault(kind, {})
            reasons[reason] = reasons.get(reason, 0) + n
            if kind == "codings":
                self.codings_skipped += n

    @property
    def sources_skipped(self) -> int:
        return sum(self.skipped.get("sources", {}).values())

    def _skipped_text(self, kind: str, label: str) -> str | None:
        reasons = self.skipped.get(kind)
        if not reasons:
            return None
        why = "; ".join(
            f"{reason}: {n}" for reason, n in sorted(reasons.items(), key=lambda r: -r[1])
        )
        return f"{sum(reasons.values())} {label} ({why})"

    def summary(self, lang: str = "en") -> str:
        """One line for the terminal or a notification (a merge speaks `lang`)."""
        if self.action == IMPORT_ACTION:
            return self._import_summary()
        return self._merge_summary(lang)

    def _import_summary(self) -> str:
        parts = [
            f"{plural(len(self.documents_added), 'document')} added ({self.documents_matched} already here)",
            f"{plural(len(self.codes_added), 'code')} added ({self.codes_matched} matched)",
            f"{plural(self.codings_added, 'coding')} added ({self.codings_present} already here)",
            f"{plural(self.cases_added, 'case')} added",
            f"{plural(self.memos_added, 'memo')} added",
        ]
        if self.coders_added:
            parts.append(f"coders added: {', '.join(self.coders_added)}")
        for kind, label in (
            ("sources", "sources not imported"),
            ("codings", "codings skipped"),
            ("notes", "notes not imported"),
        ):
            text = self._skipped_text(kind, label)
            if text:
                parts.append(text)
        return f"{self.source}: " + "; ".join(parts)

    def _merge_summary(self, lang: str) -> str:
        def n(value: int, noun: str) -> str:
            return count(value, noun, lang, thousands=False)

        parts = [
            translate("merge.report.codes_merged", lang, codes=n(len(self.codes_merged), "code")),
            translate("merge.report.added", lang, n=len(self.codes_added)),
            translate("merge.report.codings_added", lang, codings=n(self.codings_added, "coding")),
        ]
        if self.codings_present:
            parts.append(translate("merge.report.present", lang, n=self.codings_present))
        if self.codings_without_document:
            parts.append(
                translate("merge.report.no_document", lang, n=self.codings_without_document)
            )
        if self.action == "merge-project":
            parts += [
                translate(
                    "merge.report.documents_added",
                    lang,
                    documents=n(len(self.documents_added), "document"),
                ),
                translate("merge.report.matched", lang, n=self.documents_matched),
                translate("merge.report.cases_added", lang, cases=n(self.cases_added, "case")),
                translate("merge.report.memos_added", lang, memos=n(self.memos_added, "memo")),
            ]
            if self.documents_renamed:
                parts.append(translate("merge.report.renamed", lang, n=len(self.documents_renamed)))
        return translate("merge.report", lang, source=self.source, parts=", ".join(parts))

    def to_json(self) -> dict[str, Any]:
        """The fields every bring-in has, then the command's own (as each always printed)."""
        shared = {
            "source": self.source,
            "documents_added": self.documents_added,
            "documents_matched": self.documents_matched,
            "documents_renamed": [{"from": a, "to": b} for a, b in self.documents_renamed],
            "codings_added": self.codings_added,
            "codings_present": self.codings_present,
            "cases_added": self.cases_added,
            "attributes_added": self.attributes_added,
            "attribute_conflicts": self.attribute_conflicts,
            "memos_added": self.memos_added,
        }
        if self.action == IMPORT_ACTION:
            return shared | {
                "origin": self.origin,
                "codes_added": len(self.codes_added),
                "codes_matched": self.codes_matched,
                "codings_skipped": self.codings_skipped,
                "sources_skipped": self.sources_skipped,
                "skipped": self.skipped,
                "coders_added": self.coders_added,
                "warnings": self.warnings,
                "notes": self.notes,
            }
        return shared | {
            "action": self.action,
            "entry": self.entry_id,
            "codes_merged": [{"source": s, "target": t} for s, t in self.codes_merged],
            "codes_added": self.codes_added,
            "codings_without_document": self.codings_without_document,
            "coders": self.coders,
            "backup": str(self.backup) if self.backup else None,
        }


def unite_attributes(
    case: Case, incoming: Iterable[tuple[str, str]], report: BringInReport, there: str
) -> None:
    """Add the attributes `case` lacks; where both have a key with another value, ours stays
    and the conflict is reported (`there`: "there" for a project, "in the file" for a file)."""
    current = {a.key: a for a in case.attributes}
    for key, value in incoming:
        mine = current.get(key)
        if mine is None:
            attribute = CaseAttribute(key=key, value=value)
            case.attributes.append(attribute)
            current[key] = attribute
            report.attributes_added += 1
        elif mine.value != value:
            report.attribute_conflicts.append(
                f"case {case.name!r}: {key} is {mine.value!r} here and {value!r} {there} "
                f"(kept {mine.value!r})"
            )


MemoKey = tuple[str, str, int | None, int | None, int | None, int | None]


def memo_key(memo: Memo) -> MemoKey:
    """What makes a memo without a known GUID 'the same memo': its words and what it is about.

    The coder is part of it: two coders who wrote the same words about the same thing keep
    a memo each (leaving the coder out would drop one coder's memo; keeping it in loses
    nothing, since a memo that went out and comes back keeps its coder).
    """
    return (memo.text, memo.title, memo.coder_id, memo.document_id, memo.code_id, memo.case_id)


class MemoIndex:
    """The memos already here, by GUID and by `memo_key`: the one 'same memo' rule."""

    def __init__(self, memos: Iterable[Memo]) -> None:
        self.guids: set[str] = set()
        self.keys: dict[MemoKey, Memo] = {}
        for memo in memos:
            self.add(memo)

    def twin(self, memo: Memo) -> Memo | None:
        """The memo here that `memo` (not yet added) is, by its words and targets."""
        return self.keys.get(memo_key(memo))

    def known(self, memo: Memo) -> bool:
        """True when `memo` is here already: the same GUID, or the same `memo_key`."""
        return bool(memo.guid and memo.guid in self.guids) or memo_key(memo) in self.keys

    def add(self, memo: Memo) -> None:
        if memo.guid:
            self.guids.add(memo.guid)
        self.keys.setdefault(memo_key(memo), memo)
