"""Build a Project.xsd-valid ``<Project>`` (and its source files) from a RefiProject.

Element order follows the schema (Users, CodeBook, Variables, Cases, Sources,
Notes, Links, Description, NoteRef), empty containers are left out, and texts
go to ``sources/<guid>.txt`` (UTF-8, no BOM) with offsets as ``str`` indices,
exactly the REFI model, so other tools and our own reader agree.

Notes attach where the schema allows a ``<NoteRef>`` (codes, sources,
selections, codings); a note about a case becomes a ``<Link>`` from the note to
the case, and a note about nothing a project-level ``<NoteRef>``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, date, datetime

from lxml import etree

from lo_codebook.interop.model import (
    VARIABLE_TYPES,
    RefiCase,
    RefiProject,
    RefiSet,
    RefiVariable,
    VariableValue,
    derived_guid,
)
from lo_codebook.interop.qdc import write_code, write_sets
from lo_codebook.interop.writing import ORIGIN, WriteContext, element
from lo_codebook.interop.xsdtypes import (
    format_datetime,
    format_decimal,
    parse_bool,
    parse_date,
    parse_datetime,
)

PROJECT_NS = "urn:QDA-XML:project:1.0"
_VALUE_ELEMENT = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


def infer_type(value: VariableValue) -> str:
    """The REFI variable type that fits a Python value (bool before int: bool is an int)."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, datetime):
        return "DateTime"
    if isinstance(value, date):
        return "Date"
    return "Text"


def _as_text(value: VariableValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def format_value(type_name: str, value: VariableValue) -> str | None:
    """`value` as the lexical form of `type_name`, or None when it cannot be one."""
    try:
        if type_name == "Boolean":
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, int) and value in (0, 1):
                return "true" if value else "false"
            parsed = parse_bool(str(value)) if isinstance(value, str) else None
            return None if parsed is None else ("true" if parsed else "false")
        if type_name == "Integer":
            if isinstance(value, bool):
                return "1" if value else "0"
            if isinstance(value, int):
                return str(value)
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            return str(int(value.strip())) if isinstance(value, str) else None
        if type_name == "Float":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return format_decimal(value)
            if isinstance(value, str):
                number = float(value.strip())
                return format_decimal(number) if math.isfinite(number) else None
            return None
        if type_name == "Date":
            if isinstance(value, datetime):
                return value.date().isoformat()
            if isinstance(value, date):
                return value.isoformat()
            parsed_date = parse_date(value) if isinstance(value, str) else None
            return None if parsed_date is None else parsed_date.isoformat()
        if type_name == "DateTime":
            if isinstance(value, datetime):
                return format_datetime(value)
            if isinstance(value, date):
                return format_datetime(datetime(value.year, value.month, value.day, tzinfo=UTC))
            parsed_dt = parse_datetime(value) if isinstance(value, str) else None
            return None if parsed_dt is None else format_datetime(parsed_dt)
    except (ValueError, OverflowError):
        return None
    return _as_text(value)


class ProjectWriter:
    """Builds the XML tree and the source files of one project."""

    def __init__(self, project: RefiProject) -> None:
        self.project = project
        self.ctx = WriteContext()
        self.ns = PROJECT_NS
        self.files: dict[str, bytes] = {}
        self.note_refs: dict[str, list[str]] = defaultdict(list)  # target guid -> note guids
        self.link_targets: list[tuple[str, str]] = []  # (note, target) written as <Link>
        self.project_notes: list[str] = []
        self.code_guids: set[str] = set()
        self.source_guids: set[str] = set()  # made once: a survey has a case per source

    def _plan_notes(self) -> None:
        p = self.project
        self.code_guids = {c.guid for c in p.all_codes()}
        self.source_guids = {s.guid for s in p.sources}
        noteref_holders = set(self.code_guids)
        for source in p.sources:
            noteref_holders.add(source.guid)
            for sel in source.selections:
                noteref_holders.add(sel.guid)
                noteref_holders.update(c.guid for c in sel.codings)
        case_guids = {c.guid for c in p.cases}
        for note in p.notes:
            if not note.target_guids:
                self.project_notes.append(note.guid)
            for target in dict.fromkeys(note.target_guids):
                if target in noteref_holders:
                    self.note_refs[target].append(note.guid)
                elif target in case_guids:
                    self.link_targets.append((note.guid, target))
                else:
                    self.ctx.tally("note target that is not in the project, left out")

    def _note_refs(self, parent: etree._Element, guid: str) -> None:
        for note_guid in self.note_refs.get(guid, ()):
            element(parent, self.ns, "NoteRef", targetGUID=self.ctx.guid(note_guid))

    def _dates(self, user: str | None, created: datetime | None) -> dict[str, str | None]:
        return {
            "creatingUser": self.ctx.guid(user) if user else None,
            "creationDateTime": format_datetime(created) if created else None,
        }

    def _variables(self, root: etree._Element) -> dict[str, RefiVariable]:
        declared: dict[str, RefiVariable] = {}
        for variable in self.project.variables:
            declared.setdefault(variable.name, variable)
        for case in self.project.cases:
            for name, value in case.variables.items():
                if name not in declared:
                    declared[name] = RefiVariable(
                        guid=derived_guid("variable", name), name=name, type_name=infer_type(value)
                    )
        if declared:
            container = element(root, self.ns, "Variables")
            for variable in declared.values():
                type_name = variable.type_name if variable.type_name in VARIABLE_TYPES else "Text"
                if type_name != variable.type_name:
                    self.ctx.tally("variable of an unknown type written as Text")
                element(
                    container,
                    self.ns,
                    "Variable",
                    guid=self.ctx.own(variable.guid),
                    name=self.ctx.text(variable.name),
                    typeOfVariable=type_name,
                )
        return declared

    def _case(
        self, parent: etree._Element, case: RefiCase, variables: dict[str, RefiVariable]
    ) -> None:
        el = element(
            parent, self.ns, "Case", guid=self.ctx.own(case.guid), name=self.ctx.text(case.name)
        )
        if case.description:
            element(el, self.ns, "Description").text = self.ctx.text(case.description)
        for name, value in case.variables.items():
            variable = variables[name]
            holder = element(el, self.ns, "VariableValue")
            element(holder, self.ns, "VariableRef", targetGUID=self.ctx.guid(variable.guid))
            if value is None:
                continue
            type_name = variable.type_name if variable.type_name in VARIABLE_TYPES else "Text"
            lexical = format_value(type_name, value)
            if lexical is None:
                if isinstance(value, float) and not math.isfinite(value):
                    self.ctx.tally("value NaN/infinity cannot be written, left empty")
                    continue
                self.ctx.tally("variable value that does not fit its type, written as text")
                type_name, lexical = "Text", _as_text(value)
            element(holder, self.ns, _VALUE_ELEMENT[type_name]).text = self.ctx.text(lexical)
        for source_guid in case.source_guids:
            if source_guid in self.source_guids:
                element(el, self.ns, "SourceRef", targetGUID=self.ctx.guid(source_guid))
            else:
                self.ctx.tally("case reference to a source that is not exported, left out")

    def _sources(self, root: etree._Element) -> None:
        if not self.project.sources:
            return
        container = element(root, self.ns, "Sources")
        for source in self.project.sources:
            guid = self.ctx.own(source.guid)
            file_name = f"{guid}.txt"
            el = element(
                container,
                self.ns,
                "TextSource",
                guid=guid,
                name=self.ctx.text(source.name),
                plainTextPath=f"internal://{file_name}",
            )
            try:
                self.files[f"sources/{file_name}"] = source.text.encode("utf-8")
            except UnicodeEncodeError:
                self.ctx.tally("text with unpaired surrogates (replaced by '?')")
                self.files[f"sources/{file_name}"] = source.text.encode("utf-8", errors="replace")
            if source.description:
                element(el, self.ns, "Description").text = self.ctx.text(source.description)
            length = len(source.text)
            for sel in source.selections:
                start = min(max(sel.start, 0), length)
                end = min(max(sel.end, start), length)
                if (start, end) != (sel.start, sel.end):
                    self.ctx.tally("selection outside its text, clamped")
                sel_el = element(
                    el,
                    self.ns,
                    "PlainTextSelection",
                    guid=self.ctx.own(sel.guid),
                    name=self.ctx.text(sel.name) if sel.name else None,
                    startPosition=str(start),
                    endPosition=str(end),
                    **self._dates(sel.user_guid, sel.created),
                )
                if sel.description:
                    element(sel_el, self.ns, "Description").text = self.ctx.text(sel.description)
                for coding in sel.codings:
                    if coding.code_guid not in self.code_guids:
                        self.ctx.tally("coding with a code that is not in the codebook, left out")
                        continue
                    coding_el = element(
                        sel_el,
                        self.ns,
                        "Coding",
                        guid=self.ctx.own(coding.guid),
                        **self._dates(coding.user_guid, coding.created),
                    )
                    element(
                        coding_el, self.ns, "CodeRef", targetGUID=self.ctx.guid(coding.code_guid)
                    )
                    self._note_refs(coding_el, coding.guid)
                self._note_refs(sel_el, sel.guid)
            self._note_refs(el, source.guid)

    def _notes(self, root: etree._Element) -> None:
        if not self.project.notes:
            return
        container = element(root, self.ns, "Notes")
        for note in self.project.notes:
            el = element(
                container,
                self.ns,
                "Note",
                guid=self.ctx.own(note.guid),
                name=self.ctx.text(note.name) if note.name else None,
                **self._dates(note.user_guid, note.created),
            )
            element(el, self.ns, "PlainTextContent").text = self.ctx.text(note.text)

    def _links(self, root: etree._Element) -> None:
        if not self.link_targets:
            return
        container = element(root, self.ns, "Links")
        for note_guid, target in self.link_targets:
            element(
                container,
                self.ns,
                "Link",
                guid=derived_guid("note-link", note_guid, target),
                name="Memo",
                direction="OneWay",
                originGUID=self.ctx.guid(note_guid),
                targetGUID=self.ctx.guid(target),
            )

    def _sets(self, root: etree._Element) -> None:
        sources = {source.guid for source in self.project.sources}
        kept: list[RefiSet] = []
        for item in self.project.sets:
            codes = [guid for guid in item.code_guids if guid in self.code_guids]
            members = [guid for guid in item.source_guids if guid in sources]
            if len(codes) + len(members) != len(item.code_guids) + len(item.source_guids):
                self.ctx.tally("set member that is not in the project, left out")
            kept.append(RefiSet(item.guid, item.name, item.description, codes, members))
        write_sets(root, self.ns, kept, self.ctx, project=True)

    def build(self) -> etree._Element:
        """The ``<Project>`` element; source files are left in `files`."""
        p = self.project
        self._plan_notes()
        root = element(
            None,
            self.ns,
            "Project",
            name=self.ctx.text(p.name or "lo-codebook project"),
            origin=ORIGIN,
            creationDateTime=format_datetime(datetime.now(UTC).replace(microsecond=0)),
        )
        if p.users:
            users = element(root, self.ns, "Users")
            for user in p.users:
                element(
                    users,
                    self.ns,
                    "User",
                    guid=self.ctx.own(user.guid),
                    name=self.ctx.text(user.name),
                )
        if p.codes:
            codes = element(element(root, self.ns, "CodeBook"), self.ns, "Codes")
            for code in p.codes:
                write_code(
                    codes, self.ns, code, self.ctx, lambda el, c: self._note_refs(el, c.guid)
                )
        variables = self._variables(root)
        if p.cases:
            cases = element(root, self.ns, "Cases")
            for case in p.cases:
                self._case(cases, case, variables)
        self._sources(root)
        self._notes(root)
        self._links(root)
        self._sets(root)
        if p.description:
            element(root, self.ns, "Description").text = self.ctx.text(p.description)
        for note_guid in self.project_notes:
            element(root, self.ns, "NoteRef", targetGUID=self.ctx.guid(note_guid))
        return root
