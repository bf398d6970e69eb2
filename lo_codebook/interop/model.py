"""Plain dataclasses for REFI-QDA data, so the core maps projects without touching XML.

Everything here is what a REFI-QDA file *means* after reading: GUIDs normalised
(lower case, no braces), texts normalised like every other imported text (NFC,
``\\n`` newlines, no BOM) and selection offsets converted to ``str`` indices into
that text (end exclusive). The writer takes the same objects, so
``read_qdpx(write_qdpx(p)) == p`` for projects whose texts are already normalised.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

#: A case variable value as Python sees it; ``None`` is "no value recorded".
VariableValue = str | int | float | bool | date | datetime | None

#: ``typeOfVariable`` values Project.xsd allows.
VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")

_GUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

#: Namespace for deterministic GUIDs we derive (uuid5), so re-imports stay stable.
GUID_NAMESPACE = uuid.UUID("6f1c2a8e-5d0b-4c57-9a43-0c9e1d2b7f10")


def normalise_guid(value: str) -> str:
    """Return a GUID in the one spelling we compare: lower case, no braces, no blanks.

    REFI-QDA allows any case and optional braces; references must match
    regardless, so every GUID read from a file goes through here.
    """
    text = value.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    return text.lower()


def is_guid(value: str) -> bool:
    """True when `value` (already normalised) is an 8-4-4-4-12 hex GUID the schema accepts."""
    return bool(_GUID_RE.match(value))


def new_guid() -> str:
    """A fresh random GUID (uuid4) in normalised spelling."""
    return str(uuid.uuid4())


def derived_guid(*parts: str) -> str:
    """A deterministic GUID for something a file did not give one (uuid5 of `parts`).

    Deterministic so that importing the same file twice yields the same GUIDs.
    """
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


@dataclass
class RefiUser:
    """A REFI `<User>`: the core maps these to coders by name."""

    guid: str
    name: str


@dataclass
class RefiCode:
    """A codebook node; nesting (`children`) is the hierarchy.

    `color` is ``#rrggbb`` in lower case or None. `is_codable` False marks a pure
    grouping node (a category that should not receive codings itself).
    """

    guid: str
    name: str
    color: str | None = None
    description: str | None = None
    is_codable: bool = True
    children: list[RefiCode] = field(default_factory=list)

    def walk(self) -> list[RefiCode]:
        """This code and all its descendants, depth first, parents before children."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class RefiVariable:
    """A case variable (attribute) declaration; `type_name` is one of VARIABLE_TYPES."""

    guid: str
    name: str
    type_name: str = "Text"


@dataclass
class RefiCase:
    """A case: its variable values keyed by variable *name*, and the sources it holds.

    `created` is set only for a model built from a lo-codebook project (see `NativeDocument`).
    """

    guid: str
    name: str
    description: str | None = None
    variables: dict[str, VariableValue] = field(default_factory=dict)
    source_guids: list[str] = field(default_factory=list)
    created: datetime | None = field(default=None, compare=False)


@dataclass
class RefiCoding:
    """One code applied to a selection. `user_guid`/`created` may be None in real files."""

    guid: str
    code_guid: str
    user_guid: str | None = None
    created: datetime | None = None
    #: How the coding came about in a lo-codebook project ("manual", "suggestion", ...): set
    #: only for a model built from one (see `NativeDocument`); files do not carry it.
    origin: str | None = field(default=None, compare=False)


@dataclass
class RefiSelection:
    """A span of a source's text: `start`/`end` are ``str`` indices, end exclusive.

    REFI attaches users and dates to both the selection and its codings; the
    coder of a coding is ``coding.user_guid or selection.user_guid``.
    """

    guid: str
    name: str
    start: int
    end: int
    codings: list[RefiCoding] = field(default_factory=list)
    user_guid: str | None = None
    created: datetime | None = None
    description: str | None = None


@dataclass(frozen=True)
class NativeSegment:
    """A speaker turn of a lo-codebook document: `start`/`end` are ``str`` indices."""

    start: int
    end: int
    speaker: str | None = None
    timestamp: float | None = None
    end_timestamp: float | None = None


@dataclass
class NativeDocument:
    """What a lo-codebook document holds beyond a REFI text source.

    Set only when the model is built from another lo-codebook project in memory
    (`merge-project` brings a project in as a RefiProject); never read from nor written to a
    file. With it, the document comes in as it was there (kind, turns, survey question,
    language, dates) instead of being parsed again from its text.
    """

    kind: str
    source_format: str
    question: str | None = None
    language: str | None = None
    words: int | None = None
    created: datetime | None = None
    segments: list[NativeSegment] = field(default_factory=list)


@dataclass
class RefiSource:
    """A text source (document) with its normalised text and coded selections."""

    guid: str
    name: str
    text: str
    selections: list[RefiSelection] = field(default_factory=list)
    description: str | None = None
    native: NativeDocument | None = field(default=None, compare=False)


@dataclass
class RefiNote:
    """A memo. `target_guids` are the codes, sources, selections, codings or cases it is about.

    An empty `target_guids` means a project memo. The order of targets is not
    preserved by a write/read round trip (REFI stores them in different places).
    """

    guid: str
    name: str
    text: str
    target_guids: list[str] = field(default_factory=list)
    user_guid: str | None = None
    created: datetime | None = None


@dataclass
class RefiSet:
    """A `<Set>`: ATLAS.ti code/document groups, MAXQDA/NVivo sets. Members by GUID.

    A codebook (.qdc) set holds codes only; a project set may also hold sources.
    """

    guid: str
    name: str
    description: str | None = None
    code_guids: list[str] = field(default_factory=list)
    source_guids: list[str] = field(default_factory=list)


@dataclass
class RefiCodebook:
    """What a .qdc holds: the code tree and its sets."""

    codes: list[RefiCode] = field(default_factory=list)
    sets: list[RefiSet] = field(default_factory=list)


@dataclass
class RefiProject:
    """Everything lo-codebook takes from (or gives to) a .qdpx project.

    `warnings` lists, one line each, what was skipped or adjusted on reading
    (non-text sources, clamped selections, unknown references, ...). `origin`
    is the producing tool as the file says, and `offset_model` how selection
    offsets were interpreted (see `offsets`). Neither takes part in equality:
    they describe the file, not the data.
    """

    name: str
    users: list[RefiUser] = field(default_factory=list)
    codes: list[RefiCode] = field(default_factory=list)
    variables: list[RefiVariable] = field(default_factory=list)
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: list[RefiNote] = field(default_factory=list)
    sets: list[RefiSet] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list, compare=False)
    description: str | None = None
    origin: str | None = field(default=None, compare=False)
    offset_model: str | None = field(default=None, compare=False)
    #: What the reader left out, kind ("sources", "codings") -> reason -> count.
    skipped: dict[str, dict[str, int]] = field(default_factory=dict, compare=False)

    def all_codes(self) -> list[RefiCode]:
        """Every code of the tree, parents before children."""
        out: list[RefiCode] = []
        for code in self.codes:
            out.extend(code.walk())
        return out

    def user_name(self, guid: str | None) -> str | None:
        """The name of the user with `guid`, or None when unknown."""
        if guid is None:
            return None
        for user in self.users:
            if user.guid == guid:
                return user.name
        return None

    def coding_count(self) -> int:
        """How many codings all sources hold together."""
        return sum(len(sel.codings) for src in self.sources for sel in src.selections)
