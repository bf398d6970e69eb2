"""The results chapter as plain data: what `lo-codebook report` says, before any format.

The core fills these from the database (`lo_codebook.core.report`); the renderers
(`lo_codebook.analysis.report_render`) turn them into HTML, Markdown or .docx. Keeping the
content apart from the format means the three files always say the same thing, and the
renderers need no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lo_codebook.analysis.table import ThemeTable


@dataclass(frozen=True)
class Quote:
    """A coded span shown as an example of a theme.

    ``text`` is ``document text[start:end]`` (pseudonymised when the report is); ``cut``
    says the coded span goes on after ``end`` (the renderers add "…").
    """

    text: str
    document: str
    case: str | None
    start: int
    end: int
    group: str | None = None
    speaker: str | None = None
    cut: bool = False


@dataclass(frozen=True)
class AttributeCount:
    """Cases per value of one case attribute (e.g. interviews per size class)."""

    key: str
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Section:
    """The results of one kind of source (survey answers, interviews, texts)."""

    kind: str  # survey | transcript | text
    documents: int
    cases: int
    words: int
    table: ThemeTable
    threshold_applied: bool  # False: too few documents to pass `above`; every theme listed
    quotes: dict[int, tuple[Quote, ...]] = field(default_factory=dict)  # code id -> quotes
    attributes: tuple[AttributeCount, ...] = ()
    group_cases: dict[str, int] = field(default_factory=dict)  # cases per `by` group


@dataclass(frozen=True)
class AgreementSummary:
    """One pair of coders' agreement, as the methods paragraph reports it."""

    coders: tuple[str, str]
    documents: int
    unit: str
    codes_used: int
    codes: int
    alpha: float | None
    alpha_all_codes: float | None
    mean_kappa: float | None
    pooled_kappa: float | None
    note: str | None = None  # why it could not be computed


@dataclass(frozen=True)
class ValidationRow:
    """The engine checked against a coded sample, per code (`validate --report`)."""

    code: str
    precision: float | None
    recall: float | None
    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    #: The interval straddles the report's threshold (`themes --above` marks it the same
    #: way): the theme may or may not be mentioned more than `above` times.
    uncertain: bool = False


@dataclass(frozen=True)
class Methods:
    """Who coded, how far they agree, and the settings that reproduce the report."""

    coders: tuple[str, ...]  # counted, as printed (a consensus as `consensus (anna + bram)`)
    other_coders: tuple[str, ...]  # coders with codings that the report does not count
    consensus: tuple[str, str] | None  # the coders a counted consensus coding settles
    coder_chosen: bool  # --coder given (else the consensus or the default scope)
    coder_option: str | None = None  # `--coder` that makes this report again (None: the default)
    agreements: tuple[AgreementSummary, ...] = ()
    validation: tuple[ValidationRow, ...] | None = None
    validation_sample: dict[str, object] = field(default_factory=dict)  # coder, sample, done
    origins: dict[str, int] = field(default_factory=dict)  # counted codings per origin
    above: int = 10
    by: str | None = None
    pseudonymised: bool = False
    version: str = ""


@dataclass(frozen=True)
class CodebookEntry:
    """One code of the appendix, in codebook order."""

    name: str
    parent: str | None
    depth: int
    description: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """Everything a results chapter holds; `date` is the only part that changes by itself."""

    language: str
    project: str
    date: str
    sections: tuple[Section, ...]
    methods: Methods
    codebook: tuple[CodebookEntry, ...]
    cases_without_documents: int = 0
