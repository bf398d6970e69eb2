"""Turn a parsed REFI-QDA ``<Project>`` into a RefiProject, leniently and with warnings.

What comes over: users, the code tree, variables, cases (with variable values
and their sources), text sources with their selections and codings, and notes
with what they are about. What does not (reported in `RefiProject.warnings`):
picture/PDF/audio/video sources, notes as set members, graphs, links that do
not involve a note, case-level codings. Source-level codings become a
selection over the whole text; source-level variable values move to the
source's case (or a new case named after the source).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote

from lxml import etree

from lo_codebook.errors import UserError
from lo_codebook.interop.context import ReadContext
from lo_codebook.interop.model import (
    VARIABLE_TYPES,
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiVariable,
    VariableValue,
    derived_guid,
)
from lo_codebook.interop.offsets import OffsetMapper, choose_model
from lo_codebook.interop.qdc import read_codes, read_sets
from lo_codebook.interop.safe_xml import (
    attr,
    child,
    child_text,
    children,
    descendants,
    local_name,
)
from lo_codebook.interop.stores import ProjectStore, safe_relative
from lo_codebook.interop.text import SourceText, decode_text
from lo_codebook.interop.xsdtypes import parse_bool, parse_date, parse_datetime
from lo_codebook.words import plural

_OTHER_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
_SELECTION_KINDS = (
    "PlainTextSelection",
    "PictureSelection",
    "PDFSelection",
    "AudioSelection",
    "VideoSelection",
    "TranscriptSelection",
)


@dataclass
class _PendingSource:
    """A text source whose selections wait for the project-wide offset model."""

    source: RefiSource
    text: SourceText
    selections: list[tuple[etree._Element, int, int]] = field(default_factory=list)
    whole_codings: list[etree._Element] = field(default_factory=list)
    variable_values: list[etree._Element] = field(default_factory=list)


def _archive_name(path: str) -> str | None:
    """The name below ``sources/`` that a plainTextPath means, or None when it points
    outside the archive (``relative://``, ``absolute://``, ``file://``, a drive, ``..``)."""
    scheme, sep, rest = path.partition("://")
    if sep:
        return safe_relative(rest) if scheme.lower() == "internal" else None
    return safe_relative(path)


def _name_from_path(path: str | None) -> str | None:
    """A source name from its file when the source has none (qc): the path without a
    known text extension; never a GUID file name (``internal://<GUID>.txt``)."""
    if not path or "://" in path:
        return None
    rel = safe_relative(path)
    if rel is None:
        return None
    stem, dot, ext = rel.rpartition(".")
    return stem if dot and stem and ext.lower() in ("txt", "md", "text") else rel


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


class ProjectReader:
    """Reads one project; `read()` returns the RefiProject."""

    def __init__(self, root: etree._Element, store: ProjectStore, member: str) -> None:
        self.root = root
        self.store = store
        self.member = member
        self.ctx = ReadContext(store.label)
        self.code_guids: set[str] = set()
        self.variables: dict[str, RefiVariable] = {}
        self.user_guids: set[str] = set()
        self.referenced_users: list[str] = []

    # -- small helpers ---------------------------------------------------------------

    def _user(self, el: etree._Element, name: str = "creatingUser") -> str | None:
        guid = self.ctx.ref(attr(el, name))
        if guid is not None and guid not in self.user_guids and guid not in self.referenced_users:
            self.referenced_users.append(guid)
        return guid

    def _created(self, el: etree._Element) -> datetime | None:
        raw = attr(el, "creationDateTime")
        value = parse_datetime(raw)
        if raw and value is None:
            self.ctx.tally("date that is not an xsd:dateTime, left out")
        return value

    def _load_text(self, el: etree._Element, what: str) -> tuple[SourceText | None, str]:
        """The text of a TextSource or Note: inline content, an ``internal://`` file, or a
        bare relative path (qc writes ``plainTextPath="board_2017.txt"``), both looked up in
        ``sources/``. Without a text: (None, why), the reason as import reports count it."""
        inline = child(el, "PlainTextContent")
        if inline is not None:
            return SourceText.from_raw("".join(inline.itertext())), ""
        path = attr(el, "plainTextPath")
        if not path:
            if attr(el, "richTextPath"):
                self.ctx.warn(
                    f"{what}: only a rich-text (.docx) version, no plain text; not imported"
                )
                return None, "only a rich-text (.docx) version, no plain text"
            self.ctx.warn(f"{what}: has no text; not imported")
            return None, "no text"
        name = _archive_name(path)
        if name is None:
            self.ctx.warn(
                f"{what}: its text is outside the archive ({path}); refused, not imported"
            )
            return None, "text outside the archive (refused)"
        data = self.store.read_internal(name)
        if data is None and unquote(name) != name:  # "My%20Interview.txt"
            data = self.store.read_internal(unquote(name))
        if data is None:
            self.ctx.warn(f"{what}: its text file {name!r} is not in the archive; not imported")
            return None, "text file missing from the archive"
        raw, encoding = decode_text(data)
        if encoding == "cp1252":
            self.ctx.warn(f"{what}: text is not UTF-8 or UTF-16; read as Windows-1252")
        return SourceText.from_raw(raw), ""

    # -- sections ---------------------------------------------------------------------

    def _users(self) -> list[RefiUser]:
        users: list[RefiUser] = []
        container = child(self.root, "Users")
        for el in children(container, "User") if container is not None else ():
            guid = self.ctx.guid(attr(el, "guid"), "user")
            name = attr(el, "name") or attr(el, "id") or f"user {guid[:8]}"
            users.append(RefiUser(guid=guid, name=name))
            self.user_guids.add(guid)
        return users

    def _variables(self) -> list[RefiVariable]:
        out: list[RefiVariable] = []
        container = child(self.root, "Variables")
        for el in children(container, "Variable") if container is not None else ():
            name = attr(el, "name") or ""
            guid = self.ctx.guid(attr(el, "guid"), "variable", name)
            type_name = (attr(el, "typeOfVariable") or "Text").strip()
            if type_name not in VARIABLE_TYPES:
                self.ctx.warn(f"variable '{name}': unknown type {type_name!r}, read as Text")
                type_name = "Text"
            if not name.strip():
                name = f"variable {guid[:8]}"
            if any(v.name == name for v in out):
                self.ctx.warn(f"two variables are called '{name}'; values of the second are lost")
            variable = RefiVariable(guid=guid, name=name, type_name=type_name)
            self.variables[guid] = variable
            out.append(variable)
        return out

    def _variable_value(self, el: etree._Element) -> tuple[str, VariableValue] | None:
        ref = child(el, "VariableRef")
        guid = self.ctx.ref(attr(ref, "targetGUID")) if ref is not None else None
        variable = self.variables.get(guid or "")
        if variable is None:
            self.ctx.tally("value of an undeclared variable, left out")
            return None
        for value_el in el:
            kind = local_name(value_el)
            if kind == "VariableRef" or not kind:
                continue
            text = "".join(value_el.itertext())
            value: VariableValue = None
            if kind == "TextValue":
                value = SourceText.from_raw(text).text
            elif kind == "BooleanValue":
                value = parse_bool(text)
            elif kind == "IntegerValue":
                value = _int(text)
            elif kind == "FloatValue":
                try:
                    value = float(text.strip())
                except ValueError:
                    value = None
            elif kind == "DateValue":
                value = parse_date(text)
            elif kind == "DateTimeValue":
                value = parse_datetime(text)
            if value is None and text.strip():
                self.ctx.warn(
                    f"variable '{variable.name}': {kind} {text.strip()!r} is not valid; kept as text"
                )
                value = text.strip()
            return variable.name, value
        return variable.name, None

    def _cases(self, source_guids: set[str]) -> list[RefiCase]:
        out: list[RefiCase] = []
        container = child(self.root, "Cases")
        for el in children(container, "Case") if container is not None else ():
            name = attr(el, "name")
            guid = self.ctx.guid(attr(el, "guid"), "case", name or "")
            case = RefiCase(
                guid=guid,
                name=name or f"case {guid[:8]}",
                description=child_text(el, "Description"),
            )
            for value_el in children(el, "VariableValue"):
                pair = self._variable_value(value_el)
                if pair is not None:
                    case.variables[pair[0]] = pair[1]
            for ref in children(el, "SourceRef"):
                target = self.ctx.ref(attr(ref, "targetGUID"))
                if target in source_guids:
                    if target not in case.source_guids:
                        case.source_guids.append(target)
                else:
                    self.ctx.tally("case reference to a source that was not imported, dropped")
            n_codes = len(list(children(el, "CodeRef")))
            if n_codes:
                self.ctx.tally("code applied to a whole case, not imported", n_codes)
                self.ctx.skip("codings", "applied to a whole case", n_codes)
            n_sel = len(list(children(el, "SelectionRef")))
            if n_sel:
                self.ctx.tally("case reference to a selection, not imported", n_sel)
            out.append(case)
        return out

    def _sources(self) -> list[_PendingSource]:
        pending: list[_PendingSource] = []
        container = child(self.root, "Sources")
        for el in container if container is not None else ():
            kind = local_name(el)
            if kind in _OTHER_SOURCES:
                codings = len(list(descendants(el, "Coding")))
                self.ctx.tally(f"{kind} skipped (only text sources are imported)")
                self.ctx.skip("sources", f"{kind} (only text sources are imported)")
                if codings:
                    self.ctx.tally(f"coding on a skipped {kind}, not imported", codings)
                    self.ctx.skip(
                        "codings", f"on a {kind} (only text sources are imported)", codings
                    )
                continue
            if kind != "TextSource":
                continue
            name = attr(el, "name")
            guid = self.ctx.guid(attr(el, "guid"), "source", name or "")
            name = name or _name_from_path(attr(el, "plainTextPath")) or f"source {guid[:8]}"
            text, why = self._load_text(el, f"source '{name}'")
            if text is None:
                self.ctx.skip("sources", why)
                self.ctx.skip(
                    "codings",
                    f"their source was not imported: {why}",
                    len(list(descendants(el, "Coding"))),
                )
                continue
            source = RefiSource(
                guid=guid, name=name, text=text.text, description=child_text(el, "Description")
            )
            item = _PendingSource(source=source, text=text)
            for sel in children(el, "PlainTextSelection"):
                start, end = _int(attr(sel, "startPosition")), _int(attr(sel, "endPosition"))
                if start is None or end is None:
                    self.ctx.warn(
                        f"source '{name}': a selection without valid positions was skipped"
                    )
                    self.ctx.skip(
                        "codings",
                        "selection without valid positions",
                        len(list(children(sel, "Coding"))),
                    )
                    continue
                item.selections.append((sel, start, end))
            item.whole_codings = list(children(el, "Coding"))
            item.variable_values = list(children(el, "VariableValue"))
            pending.append(item)
        return pending

    def _codings(self, elements: Sequence[etree._Element], where: str) -> list[RefiCoding]:
        codings: list[RefiCoding] = []
        for el in elements:
            guid = self.ctx.guid(attr(el, "guid"), "coding", where)
            ref = child(el, "CodeRef")
            code_guid = self.ctx.ref(attr(ref, "targetGUID")) if ref is not None else None
            if code_guid is None or code_guid not in self.code_guids:
                self.ctx.tally("coding with a code that is not in the codebook, skipped")
                self.ctx.skip("codings", "its code is not in the codebook")
                continue
            codings.append(
                RefiCoding(
                    guid=guid,
                    code_guid=code_guid,
                    user_guid=self._user(el),
                    created=self._created(el),
                )
            )
        return codings

    def _place_selections(self, pending: Sequence[_PendingSource], origin: str | None) -> str:
        """Convert every selection with the project's offset model; returns the model name."""
        choice = choose_model(
            origin, [(p.text, [(s, e) for _, s, e in p.selections]) for p in pending]
        )
        if choice.overrode_prior:
            self.ctx.warn(
                f"selection offsets read as {choice.model.name} although the file comes from "
                f"{origin or 'an unnamed tool'} (they fit the text better that way)"
            )
        for item in pending:
            mapper = OffsetMapper(item.text, choice.model)
            source = item.source
            length = len(source.text)
            for sel, start, end in item.selections:
                guid = self.ctx.guid(
                    attr(sel, "guid"), "selection", source.guid, str(start), str(end)
                )
                if start > end:
                    self.ctx.warn(
                        f"source '{source.name}': selection {guid} ends before it starts; swapped"
                    )
                    start, end = end, start
                if start < 0 or end > mapper.unit_length:
                    self.ctx.warn(
                        f"source '{source.name}': selection {guid} ({start}-{end}) lies outside the "
                        f"text ({plural(mapper.unit_length, 'position')}); clamped"
                    )
                    start = min(max(start, 0), mapper.unit_length)
                    end = min(max(end, 0), mapper.unit_length)
                a, exact_a = mapper.map(start, "start")
                b, exact_b = mapper.map(end, "end")
                if not (exact_a and exact_b):
                    self.ctx.tally(
                        "selection boundary inside a character, widened to whole characters"
                    )
                a, b = min(a, length), min(b, length)
                source.selections.append(
                    RefiSelection(
                        guid=guid,
                        name=attr(sel, "name") or "",
                        start=a,
                        end=b,
                        codings=self._codings(list(children(sel, "Coding")), guid),
                        user_guid=self._user(sel),
                        created=self._created(sel),
                        description=child_text(sel, "Description"),
                    )
                )
            if item.whole_codings:
                source.selections.append(
                    RefiSelection(
                        guid=derived_guid("whole-source", source.guid),
                        name=source.name,
                        start=0,
                        end=length,
                        codings=self._codings(item.whole_codings, source.guid),
                    )
                )
        return choice.model.name

    def _source_variables(self, pending: Sequence[_PendingSource], cases: list[RefiCase]) -> None:
        """Move source-level variable values to the case(s) holding the source."""
        holders_of: dict[str, list[RefiCase]] = {}
        for case in cases:  # one map, not a scan of every case per source
            for guid in dict.fromkeys(case.source_guids):
                holders_of.setdefault(guid, []).append(case)
        for item in pending:
            values = [pair for el in item.variable_values if (pair := self._variable_value(el))]
            if not values:
                continue
            holders = holders_of.get(item.source.guid, [])
            if not holders:
                case = RefiCase(
                    guid=derived_guid("source-case", item.source.guid),
                    name=item.source.name,
                    source_guids=[item.source.guid],
                )
                cases.append(case)
                holders = [case]
                self.ctx.tally("source with its own variables became a case of its own")
            for case in holders:
                for name, value in values:
                    case.variables.setdefault(name, value)

    def _notes(self) -> list[RefiNote]:
        out: list[RefiNote] = []
        container = child(self.root, "Notes")
        for el in children(container, "Note") if container is not None else ():
            name = attr(el, "name")
            guid = self.ctx.guid(attr(el, "guid"), "note", name or "")
            name = name or f"note {guid[:8]}"
            text, _why = self._load_text(el, f"note '{name}'")
            if text is None:
                self.ctx.skip("notes", _why)
                continue
            if any(True for _ in children(el, "PlainTextSelection")):
                self.ctx.tally("coding inside a note, not imported")
                self.ctx.skip("codings", "inside a note", len(list(descendants(el, "Coding"))))
            out.append(
                RefiNote(
                    guid=guid,
                    name=name,
                    text=text.text,
                    user_guid=self._user(el),
                    created=self._created(el),
                )
            )
        return out

    def _note_targets(self, notes: list[RefiNote], known: set[str]) -> None:
        """Fill `target_guids` from NoteRefs (anywhere) and from Links that touch a note."""
        by_guid = {note.guid: note for note in notes}

        def attach(note_guid: str | None, target: str | None) -> bool:
            note = by_guid.get(note_guid or "")
            if note is None:
                return False
            if target is None:
                return True
            if target not in known:
                self.ctx.tally(
                    "note about something that was not imported; kept without that target"
                )
            elif target not in note.target_guids:
                note.target_guids.append(target)
            return True

        for ref in descendants(self.root, "NoteRef"):
            parent = ref.getparent()
            note_guid = self.ctx.ref(attr(ref, "targetGUID"))
            target = (
                None
                if parent is self.root or parent is None
                else self.ctx.ref(attr(parent, "guid"))
            )
            if not attach(note_guid, target):
                self.ctx.tally("reference to a note that does not exist, dropped")
        links = child(self.root, "Links")
        for link in children(links, "Link") if links is not None else ():
            origin = self.ctx.ref(attr(link, "originGUID"))
            target = self.ctx.ref(attr(link, "targetGUID"))
            if origin in by_guid:
                attach(origin, target)
            elif target in by_guid:
                attach(target, origin)
            else:
                self.ctx.tally("link between objects other than notes, not imported")

    # -- entry point ------------------------------------------------------------------

    def read(self) -> RefiProject:
        if local_name(self.root) != "Project":
            raise UserError(
                f"not a REFI-QDA project (root element is <{local_name(self.root)}>)",
                self.store.label,
                self.member,
            )
        origin = attr(self.root, "origin")
        users = self._users()
        codes = read_codes(child(self.root, "CodeBook"), self.ctx)
        all_codes = [c for top in codes for c in top.walk()]
        self.code_guids = {c.guid for c in all_codes}
        variables = self._variables()
        pending = self._sources()
        model = self._place_selections(pending, origin)
        sources = [item.source for item in pending]
        cases = self._cases({s.guid for s in sources})
        self._source_variables(pending, cases)
        notes = self._notes()
        known = (
            self.code_guids
            | {s.guid for s in sources}
            | {sel.guid for s in sources for sel in s.selections}
            | {c.guid for s in sources for sel in s.selections for c in sel.codings}
            | {case.guid for case in cases}
        )
        self._note_targets(notes, known)
        sets = read_sets(
            child(self.root, "Sets"),
            self.ctx,
            {"code": self.code_guids, "source": {s.guid for s in sources}},
        )
        graphs = child(self.root, "Graphs")
        if graphs is not None and len(graphs):
            self.ctx.tally("project graphs not imported", len(graphs))
        for guid in self.referenced_users:
            users.append(RefiUser(guid=guid, name=f"user {guid[:8]}"))
        if self.referenced_users:
            self.ctx.tally(
                "user referenced but not listed in <Users>, named after its GUID",
                len(self.referenced_users),
            )
        name = attr(self.root, "name") or self.store.label.stem
        return RefiProject(
            name=name,
            users=users,
            codes=codes,
            variables=variables,
            cases=cases,
            sources=sources,
            notes=notes,
            sets=sets,
            description=child_text(self.root, "Description"),
            warnings=self.ctx.flush(),
            origin=origin,
            offset_model=model,
            skipped={kind: dict(counts) for kind, counts in self.ctx.skipped.items() if counts},
        )
