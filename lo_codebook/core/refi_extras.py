"""What REFI-QDA codebooks carry that our tables have no column for, kept so exports give it back.

- Code sets (`<Sets>`: ATLAS.ti code groups and document groups, MAXQDA/NVivo sets) become
  project memos titled ``Set: NAME`` whose text lists the member codes (by path) and documents
  (by name). Researchers see and edit them like any memo; exports (.qdc, .qdpx) write them as
  sets again, with the memo's GUID as the set's.
- ``isCodable="false"`` (a folder-like code) is remembered per code GUID in the project
  setting ``refi.not_codable``; exports write it back. Coding such a code stays possible here.
- A ``/`` in a code name is kept as ``∕`` (U+2215 DIVISION SLASH, which looks the same),
  because ``/`` separates code paths (``Parent/Child``) everywhere in lo-codebook; exports
  write ``/`` again, so the other tool sees its own name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lo_codebook.core.project import WriteUnit
from lo_codebook.db.models import Code, Document, Memo, Setting
from lo_codebook.interop import RefiSet, is_guid, normalise_guid
from lo_codebook.interop.model import derived_guid
from lo_codebook.safe_output import without_controls

DIVISION_SLASH = "\u2215"
NOT_CODABLE_SETTING = "refi.not_codable"
SET_TITLE = "Set: "
_CODES_HEADER = "Codes:"
_DOCUMENTS_HEADER = "Documents:"
_SECTION = re.compile(r"^(Codes|Documents):[ \t]*$", re.MULTILINE)
NAME_LIMITS = {"code": 300, "case": 300, "document": 500, "coder": 200, "title": 300, "key": 200}


def safe_text(text: str) -> str:
    """NUL cannot be stored in PostgreSQL text; U+FFFD keeps every offset where it was."""
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def refi_name(text: str | None, limit: str, fallback: str) -> str:
    """A name from another program's file: one line, no control characters, within limits."""
    clean = without_controls(" ".join(safe_text(text or "").split()))[: NAME_LIMITS[limit]]
    return clean or fallback


def stored_guid(value: str | None) -> str | None:
    """A GUID from a file as we store it (normalised), or None when it is not a GUID."""
    guid = normalise_guid(value) if value else ""
    return guid if is_guid(guid) else None


def object_guid(obj: object, table: str, used: set[str] | None = None) -> str:
    """An object's stored GUID, or a stable one derived from its identity in this project.

    With `used`, a GUID already given to another object (rows copied between projects can
    share one) is replaced by a derived one, so an export never repeats a GUID.
    """
    stored = normalise_guid(obj.guid) if getattr(obj, "guid", None) else ""  # type: ignore[attr-defined]
    created = obj.created.isoformat() if getattr(obj, "created", None) else ""  # type: ignore[attr-defined]
    guid = (
        stored
        if stored and is_guid(stored)
        else derived_guid("lo-codebook", table, str(obj.id), created)
    )  # type: ignore[attr-defined]
    if used is not None:
        if guid in used:
            guid = derived_guid("lo-codebook", table, str(obj.id), created, "again")  # type: ignore[attr-defined]
        used.add(guid)
    return guid


def code_guids(session: Session, used: set[str] | None = None) -> dict[int, str]:
    """Code id -> the GUID exports write (.qdc and .qdpx alike, in the same order)."""
    used = set() if used is None else used
    # children loaded with the codes: exports walk the tree next (`codebook.codebook_rows`)
    codes = session.scalars(
        select(Code).options(selectinload(Code.children)).order_by(Code.position, Code.name)
    )
    return {code.id: object_guid(code, "code", used) for code in codes}


def stored_code_name(name: str) -> str:
    """A REFI code name as our codebook stores it: `/` kept as `∕` (see the module doc)."""
    return name.replace("/", DIVISION_SLASH)


def refi_code_name(name: str) -> str:
    """The name other tools get back: `∕` written as `/` again."""
    return name.replace(DIVISION_SLASH, "/")


def slash_note(names: Iterable[str]) -> str | None:
    """The line an import prints when code names held a `/`."""
    found = sorted({name for name in names if "/" in name})
    if not found:
        return None
    shown = ", ".join(repr(stored_code_name(n)) for n in found[:3]) + (
        ", …" if len(found) > 3 else ""
    )
    return (
        f"{len(found)} code name(s) contain '/': kept as '{DIVISION_SLASH}' (division slash; "
        f"'/' separates code paths here), exported with '/' again: {shown}"
    )


# -- isCodable ---------------------------------------------------------------------------------


def not_codable_guids(session: Session) -> set[str]:
    """GUIDs of codes that came with isCodable="false"."""
    row = session.get(Setting, NOT_CODABLE_SETTING)
    if row is None:
        return set()
    try:
        value = json.loads(row.value)
    except ValueError:
        return set()
    return {str(guid) for guid in value} if isinstance(value, list) else set()


def remember_codability(session: Session, codable: Mapping[str, bool]) -> None:
    """Record isCodable per code GUID (true removes a GUID from the list)."""
    current = not_codable_guids(session)
    wanted = (current | {g for g, ok in codable.items() if not ok}) - {
        g for g, ok in codable.items() if ok
    }
    if wanted == current:
        return
    row = session.get(Setting, NOT_CODABLE_SETTING)
    if not wanted:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Setting(key=NOT_CODABLE_SETTING, value=json.dumps(sorted(wanted))))
    else:
        row.value = json.dumps(sorted(wanted))


# -- sets <-> memos -----------------------------------------------------------------------------


def _paths(session: Session) -> dict[int, str]:
    """Code id -> `Parent/Child` path, for every code (one query)."""
    rows = {code.id: (code.name, code.parent_id) for code in session.scalars(select(Code))}
    paths: dict[int, str] = {}

    def path(code_id: int) -> str:
        if code_id not in paths:
            name, parent = rows[code_id]
            paths[code_id] = (
                name if parent is None or parent not in rows else f"{path(parent)}/{name}"
            )
        return paths[code_id]

    for code_id in rows:
        path(code_id)
    return paths


def set_memo_text(description: str | None, codes: Iterable[str], documents: Iterable[str]) -> str:
    """The text of a set's memo: its description, then `Codes:` and `Documents:` lists."""
    parts = [description.strip()] if description and description.strip() else []
    codes, documents = list(codes), list(documents)
    if codes or not documents:
        parts.append("\n".join([_CODES_HEADER, *(f"- {c}" for c in codes)]))
    if documents:
        parts.append("\n".join([_DOCUMENTS_HEADER, *(f"- {d}" for d in documents)]))
    return "\n\n".join(parts)


def parse_set_memo(text: str) -> tuple[str | None, list[str], list[str]] | None:
    """(description, code paths, document names) of a set memo; None when it is no set."""
    sections = list(_SECTION.finditer(text))
    if not sections:
        return None
    description = text[: sections[0].start()].strip() or None
    members: dict[str, list[str]] = {"Codes": [], "Documents": []}
    for index, match in enumerate(sections):
        end = sections[index + 1].start() if index + 1 < len(sections) else len(text)
        for line in text[match.end() : end].split("\n"):
            item = line.strip()
            if item.startswith("- ") and item[2:].strip():
                members[match.group(1)].append(item[2:].strip())
    return description, members["Codes"], members["Documents"]


@dataclass
class SetsImport:
    """What storing sets did, for the import's summary."""

    added: list[str] = field(default_factory=list)
    present: int = 0
    codes: int = 0
    documents: int = 0

    def note(self, source: str) -> str | None:
        if not self.added and not self.present:
            return None
        if not self.added:
            return f"{self.present} set(s) already here as 'Set: …' memos"
        names = ", ".join(repr(n) for n in self.added[:3]) + (", …" if len(self.added) > 3 else "")
        members = f"{self.codes} codes" + (
            f", {self.documents} documents" if self.documents else ""
        )
        return (
            f"{len(self.added)} set(s) from {source} ({names}; {members}) kept as project memos "
            "'Set: NAME': lo-codebook has no code sets; exports write them as sets again"
        )


def store_sets(
    unit: WriteUnit,
    sets: Iterable[RefiSet],
    codes: Mapping[str, Code],
    documents: Mapping[str, Document],
) -> SetsImport:
    """One project memo per set (found again by the set's GUID: importing twice adds nothing)."""
    session = unit.session
    result = SetsImport()
    known = {memo.guid for memo in session.scalars(select(Memo).where(Memo.guid.is_not(None)))}
    session.flush()
    paths = _paths(session)
    for item in sets:
        guid = normalise_guid(item.guid)
        guid = guid if is_guid(guid) else None
        if guid is not None and guid in known:
            result.present += 1
            continue
        members = [
            paths[codes[g].id] for g in item.code_guids if g in codes and codes[g].id in paths
        ]
        docs = [documents[g].name for g in item.source_guids if g in documents]
        session.add(
            Memo(
                text=set_memo_text(item.description, dict.fromkeys(members), dict.fromkeys(docs)),
                title=f"{SET_TITLE}{' '.join(item.name.split())}"[:300],
                coder_id=unit.coder.id,
                guid=guid,
                created=datetime.now(UTC),
            )
        )
        if guid is not None:
            known.add(guid)
        result.added.append(item.name)
        result.codes += len(members)
        result.documents += len(docs)
    return result


@dataclass
class SetsExport:
    sets: list[RefiSet]
    memo_ids: set[int]  # the memos written as sets (not as notes)
    warnings: list[str]


def sets_from_memos(
    session: Session, code_guids: Mapping[int, str], document_guids: Mapping[int, str] | None
) -> SetsExport:
    """The `Set: NAME` project memos as REFI sets; members no longer found are reported.

    Without `document_guids` (a .qdc), document members are left out silently: a codebook
    holds no documents.
    """
    sets: list[RefiSet] = []
    ids: set[int] = set()
    warnings: list[str] = []
    memos = session.scalars(
        select(Memo)
        .where(
            Memo.title.startswith(SET_TITLE),
            Memo.document_id.is_(None),
            Memo.code_id.is_(None),
            Memo.case_id.is_(None),
        )
        .order_by(Memo.id)
    )
    by_path: dict[str, int] | None = None
    by_name: dict[str, int] | None = None
    for memo in memos:
        parsed = parse_set_memo(memo.text)
        if parsed is None:
            continue
        if by_path is None:
            by_path = {path: code_id for code_id, path in _paths(session).items()}
            by_name = {doc.name: doc.id for doc in session.scalars(select(Document))}
        description, code_paths, doc_names = parsed
        name = memo.title[len(SET_TITLE) :].strip() or "Set"
        members = [code_guids[by_path[p]] for p in code_paths if by_path.get(p) in code_guids]
        missing = [p for p in code_paths if by_path.get(p) not in code_guids]
        docs: list[str] = []
        if document_guids is not None:
            names = by_name or {}
            docs = [document_guids[names[d]] for d in doc_names if names.get(d) in document_guids]
            missing += [d for d in doc_names if names.get(d) not in document_guids]
        if missing:
            warnings.append(
                f"set {name!r}: {', '.join(repr(m) for m in missing[:3])} not found, left out of the set"
            )
        guid = normalise_guid(memo.guid) if memo.guid else ""
        sets.append(
            RefiSet(
                guid=guid if is_guid(guid) else derived_guid("lo-codebook", "set", str(memo.id)),
                name=name,
                description=description,
                code_guids=list(dict.fromkeys(members)),
                source_guids=list(dict.fromkeys(docs)),
            )
        )
        ids.add(memo.id)
    return SetsExport(sets, ids, warnings)
