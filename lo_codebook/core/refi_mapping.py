"""Map the database to REFI-QDA and back: codebooks (.qdc) and whole projects (.qdpx).

`lo_codebook.interop` reads and writes the files as plain dataclasses; this module maps
those to our tables: users <-> coders, the code tree (colours, descriptions, GUIDs kept in
`Code.guid`), variables <-> case attributes, cases (with their sources), text sources <->
documents, selections + codings <-> codings (one selection per coded span, shared by the
codings of that span), notes <-> memos. An import is one audited transaction and
idempotent: things are found again by GUID, documents also by content hash, codings by
(document, code, coder, start, end).

The importer (`_Importer`) is the one bring-in: `merge-project` and `merge-codebook` read the
other project into a RefiProject (`native_refi`) and map it in with it too
(`bring_in_project`, options `BringIn`); what they share is in `core/bring_in.py`.

Codes found again follow `code_absorb` (the rule every import shares); keywords travel in
the description (`codebook_files.describe_code`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lo_codebook.core.bring_in import BringInReport, MemoIndex, free_name, unite_attributes
from lo_codebook.core.code_absorb import absorb_code
from lo_codebook.core.codebook import codebook_rows
from lo_codebook.core.codebook_files import (  # describe_code, read_qdc_codebook...: also read from here
    KEYWORDS_PREFIX,  # noqa: F401
    clean_code_name,
    code_rows_from_qdc,  # noqa: F401
    describe_code,  # noqa: F401
    read_qdc_codebook,  # noqa: F401
    refi_tree,
    split_description,
)
from lo_codebook.core.importing import content_hash, count_words
from lo_codebook.core.language import LanguageDetector
from lo_codebook.core.project import Project, WriteUnit, coder_named
from lo_codebook.core.refi_extras import (
    NAME_LIMITS,  # noqa: F401
    SetsExport,
    code_guids,
    not_codable_guids,
    refi_name,
    remember_codability,
    safe_text,
    sets_from_memos,
    slash_note,
    store_sets,
    stored_guid,
)
from lo_codebook.core.refi_extras import object_guid as _guid
from lo_codebook.db.models import Case, Code, Coder, Coding, Document, Memo, Segment, aware
from lo_codebook.db.names import NameIndex
from lo_codebook.errors import UserError
from lo_codebook.interop import model, read_qdpx, write_qdpx
from lo_codebook.words import plural

_name = refi_name
_stored_guid = stored_guid
#: Sources inserted per flush on import (see `_Importer._write_batch`).
SOURCE_BATCH = 500


# -- helpers ------------------------------------------------------------------------------


def _untitled(text: str) -> str:
    """The REFI name of a memo without a title (REFI notes need one); import undoes it."""
    return " ".join(text.split())[:40] or "Memo"


def _value_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


# -- codebook (.qdc) ----------------------------------------------------------------------


def _refi_codes(
    session: Session, used: set[str] | None = None
) -> tuple[list[model.RefiCode], dict[int, str]]:
    """The codebook as a REFI tree (built as a .qdc export builds it), and code id -> GUID."""
    guids = code_guids(session, used)
    rows = codebook_rows(session, guids, not_codable_guids(session))
    return refi_tree(rows), guids


# -- project export (.qdpx) ---------------------------------------------------------------


@dataclass
class QdpxExportReport:
    path: Path
    documents: int = 0
    codes: int = 0
    codings: int = 0
    selections: int = 0
    cases: int = 0
    memos: int = 0
    warnings: list[str] = field(default_factory=list)
    pseudonymised: bool = False
    replaced: int = 0  # mentions replaced in texts (with --pseudonymise)
    names_listed: int = 0

    def summary(self) -> str:
        text = (
            f"wrote {self.path}: {plural(self.documents, 'document')}, {plural(self.codes, 'code')}, "
            f"{plural(self.codings, 'coding')} ({plural(self.selections, 'selection')}), "
            f"{plural(self.cases, 'case')}, {plural(self.memos, 'memo')}"
        )
        if self.pseudonymised:
            text += f" ({plural(self.replaced, 'mention')} of {plural(self.names_listed, 'listed name')} replaced)"
        if self.warnings:
            text += f"; {plural(len(self.warnings), 'warning')}"
        return text


def project_to_refi(session: Session, name: str = "lo-codebook project") -> model.RefiProject:
    """The whole project as a RefiProject (what `export_qdpx` writes)."""
    return _build_refi(session, name, native=False)[0]


@dataclass
class NativeProject:
    """Another lo-codebook project as a RefiProject, for `merge-project` to bring in."""

    refi: model.RefiProject
    code_guids: dict[int, str]  # code id there -> its GUID in `refi`
    stored_guids: set[str]  # the GUIDs rows there really have (the others are derived)


def native_refi(session: Session, name: str) -> NativeProject:
    """A project read for bringing in: as `project_to_refi`, plus what REFI has no place for
    (document kind and turns, coding origin, dates: `NativeDocument`) and with every memo a
    note (a `Set: NAME` memo stays a memo, as it was there)."""
    refi, code_ids = _build_refi(session, name, native=True)
    stored: set[str] = set()
    for table in (Coder, Code, Case, Document, Coding, Memo):
        stored.update(model.normalise_guid(g) for g in session.scalars(select(table.guid)) if g)
    return NativeProject(refi, code_ids, stored)


def _build_refi(
    session: Session, name: str, *, native: bool
) -> tuple[model.RefiProject, dict[int, str]]:
    used: set[str] = set()
    codes, code_guids = _refi_codes(session, used)
    coders = list(session.scalars(select(Coder).order_by(Coder.id)))
    coder_guids = {c.id: _guid(c, "coder", used) for c in coders}
    users = [model.RefiUser(guid=coder_guids[c.id], name=c.name) for c in coders]

    cases = list(
        session.scalars(select(Case).options(selectinload(Case.attributes)).order_by(Case.id))
    )
    keys = sorted({a.key for case in cases for a in case.attributes})
    variables = [
        model.RefiVariable(guid=model.derived_guid("lo-codebook", "variable", k), name=k)
        for k in keys
    ]
    case_guids = {c.id: _guid(c, "case", used) for c in cases}

    query = select(Document).order_by(Document.id)
    if native:
        query = query.options(selectinload(Document.segments))
    docs = list(session.scalars(query))
    doc_guids = {d.id: _guid(d, "document", used) for d in docs}
    by_doc: dict[int, list[Coding]] = defaultdict(list)
    for coding in session.scalars(
        select(Coding).order_by(Coding.document_id, Coding.start, Coding.end, Coding.id)
    ):
        by_doc[coding.document_id].append(coding)

    sources: list[model.RefiSource] = []
    notes: list[model.RefiNote] = []
    for doc in docs:
        spans: dict[tuple[int, int], list[Coding]] = defaultdict(list)
        for coding in by_doc.get(doc.id, []):
            spans[(coding.start, coding.end)].append(coding)
        selections = []
        for (start, end), codings in spans.items():
            refi_codings = []
            for coding in codings:
                guid = _guid(coding, "coding", used)
                refi_codings.append(
                    model.RefiCoding(
                        guid=guid,
                        code_guid=code_guids[coding.code_id],
                        user_guid=coder_guids.get(coding.coder_id),
                        created=aware(coding.created),
                        origin=coding.origin if native else None,
                    )
                )
                if coding.memo:
                    notes.append(
                        model.RefiNote(
                            guid=model.derived_guid("lo-codebook", "coding-memo", guid),
                            name="Coding memo",
                            text=coding.memo,
                            target_guids=[guid],
                            user_guid=coder_guids.get(coding.coder_id),
                            created=aware(coding.created),
                        )
                    )
            first = codings[0]
            selections.append(
                model.RefiSelection(
                    guid=model.derived_guid(
                        "lo-codebook", "selection", doc_guids[doc.id], str(start), str(end)
                    ),
                    name=" ".join(doc.text[start:end].split())[:80],
                    start=start,
                    end=end,
                    codings=refi_codings,
                    user_guid=coder_guids.get(first.coder_id),
                    created=aware(min((c.created for c in codings if c.created), default=None)),
                )
            )
        sources.append(
            model.RefiSource(
                guid=doc_guids[doc.id],
                name=doc.name,
                text=doc.text,
                selections=selections,
                native=_native_document(doc) if native else None,
            )
        )

    # One pass over the documents, not one per case: a survey has a case per document.
    sources_of: dict[int, list[str]] = defaultdict(list)
    for doc in docs:
        if doc.case_id is not None:
            sources_of[doc.case_id].append(doc_guids[doc.id])
    refi_cases = [
        model.RefiCase(
            guid=case_guids[case.id],
            name=case.name,
            variables={a.key: a.value for a in case.attributes},
            source_guids=sources_of.get(case.id, []),
            created=aware(case.created) if native else None,
        )
        for case in cases
    ]

    sets = SetsExport([], set(), []) if native else sets_from_memos(session, code_guids, doc_guids)
    for memo in session.scalars(select(Memo).order_by(Memo.id)):
        if memo.id in sets.memo_ids:
            continue  # written as a <Set>
        targets = []
        if memo.document_id is not None and memo.document_id in doc_guids:
            targets.append(doc_guids[memo.document_id])
        if memo.code_id is not None and memo.code_id in code_guids:
            targets.append(code_guids[memo.code_id])
        if memo.case_id is not None and memo.case_id in case_guids:
            targets.append(case_guids[memo.case_id])
        notes.append(
            model.RefiNote(
                guid=_guid(memo, "memo", used),
                name=memo.title or _untitled(memo.text),
                text=memo.text,
                target_guids=targets,
                user_guid=coder_guids.get(memo.coder_id) if memo.coder_id else None,
                created=aware(memo.created),
            )
        )
    refi = model.RefiProject(
        name=name,
        users=users,
        codes=codes,
        variables=variables,
        cases=refi_cases,
        sources=sources,
        notes=notes,
        sets=sets.sets,
        warnings=sets.warnings,
    )
    return refi, code_guids


def _native_document(doc: Document) -> model.NativeDocument:
    return model.NativeDocument(
        kind=doc.kind,
        source_format=doc.source_format,
        question=doc.question,
        language=doc.language,
        words=doc.words,
        created=aware(doc.created),
        segments=[
            model.NativeSegment(s.start, s.end, s.speaker, s.timestamp, s.end_timestamp)
            for s in doc.segments
        ],
    )


def export_qdpx(
    project: Project, path: str | Path, *, pseudonymise: bool = False
) -> QdpxExportReport:
    """Write the project as a REFI-QDA .qdpx (valid against Project.xsd); with `pseudonymise`,
    the people on the name list are replaced everywhere and selections follow their text."""
    from lo_codebook.core.privacy import list_names, pseudonymiser_for

    path = Path(path)
    if path.suffix.lower() != ".qdpx":
        raise UserError("export-qdpx writes a .qdpx file", file=path)
    name = project.path.stem if project.path else "lo-codebook project"
    language = project.language if pseudonymise else "nl"
    report = QdpxExportReport(path=path)
    with project.read() as session:
        pseudonymiser = None
        if pseudonymise:
            report.names_listed = len(list_names(session))
            if not report.names_listed:
                raise UserError(
                    "the name list is empty, so --pseudonymise would change nothing; add names "
                    "first (lo-codebook names add NAME, or names import FILE.csv)",
                    where="--pseudonymise",
                )
            pseudonymiser = pseudonymiser_for(session, language)
        refi = project_to_refi(session, name)
    if pseudonymiser is not None:
        from lo_codebook.core.refi_pseudonymise import pseudonymise_refi

        report.pseudonymised = True
        report.replaced = pseudonymise_refi(refi, pseudonymiser)
    report.warnings = refi.warnings + write_qdpx(refi, path)
    report.documents = len(refi.sources)
    report.codes = len(refi.all_codes())
    report.codings = refi.coding_count()
    report.selections = sum(len(s.selections) for s in refi.sources)
    report.cases = len(refi.cases)
    report.memos = len(refi.notes)
    return report


# -- project import (.qdpx) ---------------------------------------------------------------


@dataclass
class BringIn:
    """How `_Importer` brings a RefiProject in; the defaults are import-qdpx's.

    `merge-project` reads the other project into a RefiProject (`native_refi`) and brings it
    in with the same importer, setting these: its codes matched beforehand by the fuzzy plan,
    no case made per document, coders made only for whose work comes in, derived GUIDs not
    stored, codings marked "merged" unless they say how they came about.
    """

    #: code GUID in the RefiProject -> the code here; None: each code is found again or
    #: added by `code_absorb` (and its isCodable and '/' are remembered).
    codes: dict[str, Code] | None = None
    #: A new document without a case gets a case of its own name (a .qdpx names no other).
    case_per_document: bool = True
    #: A coder for every user of the file, not only for those whose codings or notes come in.
    every_user: bool = True
    #: The GUIDs that are stored here (others are only used to link within the RefiProject).
    keep_guid: Callable[[str | None], str | None] = stored_guid
    #: A coding's origin when the RefiProject does not say.
    origin: str = "imported"
    #: False: only the codings (and their memos) onto documents already here, the others
    #: counted as `codings_without_document`; no documents, cases or memos added
    #: (merge-codebook: codings follow their codes).
    whole: bool = True


class _Importer:
    """Maps one RefiProject into the session of one `project.write`: the one bring-in."""

    def __init__(
        self,
        unit: WriteUnit,
        refi: model.RefiProject,
        report: BringInReport,
        options: BringIn | None = None,
    ) -> None:
        self.unit = unit
        self.session = unit.session
        self.refi = refi
        self.report = report
        self.options = options or BringIn()
        self.guid = self.options.keep_guid
        self.coders: dict[str | None, int] = {}
        self.codes: dict[str, Code] = {}
        self.cases: dict[str, Case] = {}
        self.docs: dict[str, Document] = {}
        self.selection_docs: dict[str, Document] = {}
        self.codings: dict[str, Coding] = {}
        self.case_names: NameIndex[Case] | None = None  # every case, by name (set by `_cases`)
        self.languages = LanguageDetector()

    def run(self) -> None:
        self._users()
        if self.options.codes is None:
            for top in self.refi.codes:
                self._code(top, None)
            self._extras()
        else:
            self.codes = dict(self.options.codes)
        if self.options.whole:
            self._cases()
        self._sources()
        self._notes()
        if self.options.whole:
            sets = store_sets(self.unit, self.refi.sets, self.codes, self.docs)
            if note := sets.note("the project"):
                self.report.notes.append(note)
        self.session.flush()

    def _extras(self) -> None:
        """isCodable and '/' in names: kept for export, and said."""
        every = self.refi.all_codes()
        note = slash_note(code.name for code in every)
        if note:
            self.report.notes.append(note)
        codable = {code.guid: code.is_codable for code in every if code.guid in self.codes}
        stored = {guid: ok for g, ok in codable.items() if (guid := self.codes[g].guid)}
        remember_codability(self.session, stored)
        closed = sum(1 for ok in stored.values() if not ok)
        if closed:
            self.report.notes.append(
                f'{closed} code(s) marked not codable (isCodable="false"): remembered for '
                "export; here they can still be coded"
            )

    # users -> coders
    def _users(self) -> None:
        session = self.session
        self.coder_guids = {c.guid: c for c in session.scalars(select(Coder)) if c.guid}
        self.coder_names = NameIndex(
            session.scalars(select(Coder).order_by(Coder.id)), lambda c: c.name
        )
        self.users = {
            user.guid: _name(user.name, "coder", f"user {user.guid[:8]}")
            for user in reversed(self.refi.users)  # the first of a GUID counts
        }
        if self.options.every_user:
            for user in self.refi.users:
                self._coder_id(user.guid)
        self.coders[None] = self.unit.coder.id

    def _coder_id(self, guid: str | None) -> int:
        """The coder here of a user there: by GUID, then by name, else made."""
        found = self.coders.get(guid)
        if found is not None:
            return found
        name = self.users.get(guid) if guid is not None else None
        if name is None:
            # Referenced but unknown (the reader lists those as users; be safe anyway).
            name = f"user {guid[:8]}" if guid else self.unit.coder.name
            coder = Project.ensure_coder(self.session, name)
        else:
            coder = self.coder_guids.get(guid) or self.coder_names.find(name)
            if coder is None:
                coder = coder_named(self.session, name, self.guid(guid))
                self.coder_names.add(coder)
                self.report.coders_added.append(name)
            elif coder.guid is None:
                coder.guid = self.guid(guid)
        self.coders[guid] = coder.id
        return coder.id

    # code tree
    def _code(self, refi: model.RefiCode, parent: Code | None, parent_path: str = "") -> None:
        description, keywords = split_description(safe_text(refi.description or ""))
        name = clean_code_name(refi.name)
        result = absorb_code(
            self.unit,
            name,
            parent=parent,
            description=description,
            keywords=keywords,
            color=refi.color,
            guid=self.guid(refi.guid),
        )
        path = f"{parent_path}{result.code.name}"
        if result.created:
            self.report.codes_added.append(path)
        else:
            self.report.codes_merged.append((f"{parent_path}{name}", path))
        self.codes[refi.guid] = result.code
        for child in refi.children:
            self._code(child, result.code, f"{path}/")

    # cases and attributes
    def _cases(self) -> None:
        session = self.session
        existing = list(session.scalars(select(Case).options(selectinload(Case.attributes))))
        by_guid = {c.guid: c for c in existing if c.guid}
        by_name = NameIndex(sorted(existing, key=lambda c: c.id), lambda c: c.name)
        for refi in self.refi.cases:
            name = _name(refi.name, "case", f"case {refi.guid[:8]}")
            case = by_guid.get(refi.guid) or by_name.find(name)
            if case is None:
                case = Case(name=name, guid=self.guid(refi.guid))
                if refi.created is not None:
                    case.created = refi.created
                session.add(case)
                by_name.add(case)
                self.report.cases_added += 1
            elif case.guid is None:
                case.guid = self.guid(refi.guid)
            values = ((k, _value_text(v)) for k, v in refi.variables.items())
            unite_attributes(
                case,
                ((_name(k, "key", "variable"), safe_text(v)) for k, v in values if v is not None),
                self.report,
                "in the file",
            )
            self.cases[refi.guid] = case
        session.flush()
        self.case_names = by_name

    # sources -> documents, selections -> codings
    def _sources(self) -> None:
        session = self.session
        case_of: dict[str, Case] = {}
        for refi_case in self.refi.cases if self.options.whole else ():
            for guid in refi_case.source_guids:
                case_of.setdefault(guid, self.cases[refi_case.guid])
        docs = list(session.scalars(select(Document)))
        by_guid = {d.guid: d for d in docs if d.guid}
        by_hash: dict[str, list[Document]] = defaultdict(list)
        for doc in docs:
            by_hash[doc.content_hash].append(doc)
        names = {d.name for d in docs}
        existing_codings: dict[tuple[int, int, int, int, int], int | Coding] = {
            (row[0], row[1], row[2], row[3], row[4]): row[5]
            for row in session.execute(
                select(
                    Coding.document_id,
                    Coding.code_id,
                    Coding.coder_id,
                    Coding.start,
                    Coding.end,
                    Coding.id,
                )
            )
        }
        matches = self._match_sources(by_guid, by_hash)
        batch: list[tuple[model.RefiSource, Document]] = []
        for source in self.refi.sources:
            text = safe_text(source.text)
            digest = content_hash(text)
            doc = matches.get(source.guid)
            case = case_of.get(source.guid)
            if not self.options.whole:
                if doc is None:
                    self.report.codings_without_document += sum(
                        len(selection.codings) for selection in source.selections
                    )
                    continue
            elif doc is not None:
                self.report.documents_matched += 1
                if doc.guid is None:
                    doc.guid = self.guid(source.guid)
                if doc.case_id is None and case is not None:
                    doc.case = case
                    self.report.documents_linked += 1
            else:
                wanted = source.name
                if source.native is None:  # a name from another program's file
                    wanted = " ".join(safe_text(wanted).split())[: NAME_LIMITS["document"] - 10]
                wanted = wanted or f"source {source.guid[:8]}"
                name = free_name(wanted, names)
                if name != wanted:
                    self.report.documents_renamed.append((wanted, name))
                names.add(name)
                if case is None and self.options.case_per_document:
                    case = self._case_named(name)
                doc = self._document(source, name, text, digest)
                doc.case = case
                session.add(doc)
                self.report.documents_added.append(name)
            self.docs[source.guid] = doc
            batch.append((source, doc))
            if len(batch) >= SOURCE_BATCH:
                self._write_batch(batch, existing_codings)
        self._write_batch(batch, existing_codings)

    def _write_batch(
        self,
        batch: list[tuple[model.RefiSource, Document]],
        existing: dict[tuple[int, int, int, int, int], int | Coding],
    ) -> None:
        """Insert a batch of documents at once (they get their ids), then their codings:
        two flushes per batch, not two per document, keep a large import linear and quick."""
        if not batch:
            return
        self.session.flush()
        for source, doc in batch:
            self._selections(source, doc, existing)
        self.session.flush()
        batch.clear()

    def _match_sources(
        self, by_guid: dict[str | None, Document], by_hash: dict[str, list[Document]]
    ) -> dict[str, Document]:
        """The document already here for each source, each document for one source at most.

        By GUID (same text), then by name and text, then by text alone. Two sources with the
        same text (two interviews with one empty template, a source copied in the other tool)
        stay two documents.
        """
        matches: dict[str, Document] = {}
        claimed: set[int] = set()
        digests = {src.guid: content_hash(safe_text(src.text)) for src in self.refi.sources}

        def claim(source: model.RefiSource, doc: Document | None) -> None:
            if doc is not None and doc.id not in claimed and source.guid not in matches:
                matches[source.guid] = doc
                claimed.add(doc.id)

        for source in self.refi.sources:
            doc = by_guid.get(source.guid)
            claim(
                source,
                doc if doc is not None and doc.content_hash == digests[source.guid] else None,
            )
        for source in self.refi.sources:
            candidates = by_hash.get(digests[source.guid], [])
            claim(
                source,
                next(
                    (d for d in candidates if d.name == source.name and d.id not in claimed), None
                ),
            )
        for source in self.refi.sources:
            candidates = by_hash.get(digests[source.guid], [])
            claim(source, next((d for d in candidates if d.id not in claimed), None))
        return matches

    def _document(self, source: model.RefiSource, name: str, text: str, digest: str) -> Document:
        """A new document: as it was in a lo-codebook project, or parsed from its text."""
        from lo_codebook.ingest.turns import document_from_text

        native = source.native
        if native is None:
            parsed = document_from_text(name, text, "qdpx")
            return Document(
                name=name,
                kind=parsed.kind,
                source_format="qdpx",
                text=text,
                content_hash=digest,
                words=count_words(text),
                language=self.languages.document(text, parsed.kind),
                guid=self.guid(source.guid),
                segments=[
                    Segment(start=s.start, end=s.end, speaker=s.speaker, timestamp=s.timestamp)
                    for s in parsed.segments
                ],
            )
        detected = self.languages.document(text, native.kind)  # also a vote for the project's
        doc = Document(
            name=name,
            kind=native.kind,
            source_format=native.source_format,
            question=native.question,
            text=text,
            content_hash=digest,
            words=native.words if native.words is not None else count_words(text),
            language=native.language or detected,
            guid=self.guid(source.guid),
            segments=[
                Segment(
                    start=s.start,
                    end=s.end,
                    speaker=s.speaker,
                    timestamp=s.timestamp,
                    end_timestamp=s.end_timestamp,
                )
                for s in native.segments
            ],
        )
        if native.created is not None:
            doc.created = native.created
        return doc

    def _case_named(self, name: str) -> Case:
        """The case called `name` (made when missing), found in memory: the documents of the
        current batch are not flushed yet."""
        if self.case_names is None:
            self.case_names = NameIndex(
                self.session.scalars(select(Case).order_by(Case.id)), lambda c: c.name
            )
        case = self.case_names.find(name[: NAME_LIMITS["case"]])
        if case is None:
            case = Case(name=name[: NAME_LIMITS["case"]])
            self.session.add(case)
            self.case_names.add(case)
            self.report.cases_added += 1
        return case

    def _selections(
        self,
        source: model.RefiSource,
        doc: Document,
        existing: dict[tuple[int, int, int, int, int], int | Coding],
    ) -> None:
        length = len(doc.text)
        for selection in source.selections:
            self.selection_docs[selection.guid] = doc
            start, end = max(0, selection.start), min(length, selection.end)
            for refi in selection.codings:
                if start >= end:
                    self.report.skip("codings", "empty selection (no text between start and end)")
                    continue
                code = self.codes.get(refi.code_guid)
                if code is None:
                    self.report.skip("codings", "its code is not in the codebook")
                    continue
                coder_id = self._coder_id(refi.user_guid or selection.user_guid)
                key = (doc.id, code.id, coder_id, start, end)
                if key in existing:
                    self.report.codings_present += 1
                    present = existing[key]
                    found = (
                        present
                        if isinstance(present, Coding)
                        else self.session.get(Coding, present)
                    )
                    if found is not None:
                        self.codings[refi.guid] = found
                    continue
                coding = Coding(
                    document_id=doc.id,
                    code_id=code.id,
                    coder_id=coder_id,
                    start=start,
                    end=end,
                    origin=refi.origin or self.options.origin,
                    guid=self.guid(refi.guid),
                    created=aware(refi.created or selection.created) or datetime.now(UTC),
                )
                self.session.add(coding)
                existing[key] = coding  # a repeat later in the file is then "present"
                self.codings[refi.guid] = coding
                self.report.codings_added += 1

    # notes -> memos
    def _notes(self) -> None:
        session = self.session
        here = MemoIndex(session.scalars(select(Memo)))
        for note in self.refi.notes:
            text = safe_text(note.text)
            coding_targets = [self.codings[g] for g in note.target_guids if g in self.codings]
            if coding_targets and len(coding_targets) == len(note.target_guids):
                for coding in coding_targets:
                    current = coding.memo or ""
                    if text not in current:
                        coding.memo = f"{current}\n{text}" if current else text
                continue
            if not self.options.whole:
                continue
            guid = self.guid(note.guid)
            if guid in here.guids:
                continue
            memo = Memo(
                text=text,
                title="" if note.name == _untitled(text) else _name(note.name, "title", ""),
                coder_id=self._coder_id(note.user_guid) if note.user_guid else None,
                guid=guid,
                created=aware(note.created) or datetime.now(UTC),
            )
            for target in note.target_guids:
                if target in self.docs and memo.document_id is None:
                    memo.document_id = self.docs[target].id
                elif target in self.selection_docs and memo.document_id is None:
                    memo.document_id = self.selection_docs[target].id
                elif target in self.codings and memo.document_id is None:
                    memo.document_id = self.codings[target].document_id
                elif target in self.codes and memo.code_id is None:
                    memo.code_id = self.codes[target].id
                elif target in self.cases and memo.case_id is None:
                    memo.case_id = self.cases[target].id
            twin = here.twin(memo)
            if twin is not None:  # the same memo, exported from here without a GUID
                if twin.guid is None and guid:
                    twin.guid = guid
                continue
            session.add(memo)
            here.add(memo)
            self.report.memos_added += 1


def bring_in_project(
    unit: WriteUnit,
    other: NativeProject,
    codes: dict[str, Code],
    report: BringInReport,
    *,
    whole: bool = True,
) -> None:
    """`merge-project`'s bring-in: another lo-codebook project, read as a RefiProject
    (`native_refi`), mapped in by the importer `import-qdpx` uses, inside `unit`.

    `codes` (code GUID there -> code here) is the merge plan's matching. The rest is the
    import's rules (documents by GUID, then name and text, then text, one to one; cases by
    GUID, then name; memos by `bring_in.MemoIndex`), with the project's own details kept:
    no case made per document, coders made only for whose work comes in, only GUIDs the rows
    there really have stored here, codings keeping their origin ("merged" when unknown).
    Not `whole` (merge-codebook): only the codings onto the documents already here.
    """
    stored = other.stored_guids
    options = BringIn(
        codes=codes,
        case_per_document=False,
        every_user=False,
        keep_guid=lambda guid: guid if guid is not None and guid in stored else None,
        origin="merged",
        whole=whole,
    )
    importer = _Importer(unit, other.refi, report, options)
    importer.run()
    report.coders = sorted({importer.users[g] for g in importer.coders if g in importer.users})
    report.language = importer.languages.settle(unit.session)


def import_refi_project(project: Project, refi: model.RefiProject, source: str) -> BringInReport:
    """Map an already-read RefiProject into the project in one audited transaction."""
    report = BringInReport(source=source, origin=refi.origin, warnings=list(refi.warnings))
    for kind, reasons in refi.skipped.items():
        for reason, n in reasons.items():
            report.skip(kind, reason, n)
    with project.write("import-qdpx") as unit:
        importer = _Importer(unit, refi, report)
        importer.run()
        report.language = importer.languages.settle(unit.session)
        unit.summary = report.summary()
    return report


def import_qdpx(project: Project, path: str | Path) -> BringInReport:
    """Import a REFI-QDA project (.qdpx, or a folder / .qde with its sources) into this one.

    The file is read and checked completely before anything is written; the import is
    one transaction, and importing the same file again adds nothing.
    """
    path = Path(path)
    if not path.exists():
        raise UserError("file not found", file=path)
    refi = read_qdpx(path)
    return import_refi_project(project, refi, path.name)
