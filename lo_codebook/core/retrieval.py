"""Coded retrieval: every segment coded with a code, with its context and case attributes.

`lo-codebook retrieve` and the UI's retrieval screen both call `retrieve_segments`, and both
export through `render_segments` / `export_segments`: the same rows in every place. Whose
codings count follows `themes --coder` (`themes_service.coder_scope`): a name, `A,B`,
`all`, `consensus`, or by default yours when you have codings.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lo_codebook.core.code_tree import subtree_ids
from lo_codebook.core.passages import (
    CONTEXT_CHARS,
    attributes_of,
    cases_with,
    check_by,
    context_around,
    one_line,
    parse_by,
)
from lo_codebook.core.project import Project
from lo_codebook.core.queries import codings_in_reading_order
from lo_codebook.core.themes_service import CoderScope, coder_scope
from lo_codebook.db.models import Case, Code, Coder, Coding, Document
from lo_codebook.errors import UserError
from lo_codebook.i18n import count, t
from lo_codebook.safe_output import safe_cell, write_text

RECORD_FIELDS = ("document", "case", "code", "coder", "start", "end", "text", "attributes")
"""The SPEC's JSON keys, in order."""
CSV_FIELDS = ("document", "case", "code", "coder", "start", "end", "text", "before", "after")
EXPORT_FORMATS = {".csv": "csv", ".md": "md", ".json": "json"}


@dataclass(frozen=True)
class RetrievedSegment:
    """One coded segment: where it is, who coded it with what, the text and its context."""

    coding_id: int
    document_id: int
    document: str
    case: str | None
    code_id: int
    code: str
    color: str | None
    coder: str
    start: int
    end: int
    text: str
    before: str
    after: str
    attributes: dict[str, str] = field(default_factory=dict)
    cut_before: bool = False  # the context stops inside the paragraph (exports show …)
    cut_after: bool = False

    def as_record(self) -> dict[str, Any]:
        """The SPEC's JSON object: document, case, code, coder, start, end, text, attributes."""
        record = {name: getattr(self, name) for name in RECORD_FIELDS}
        record["attributes"] = dict(self.attributes)  # a copy: the caller may change it
        return record


@dataclass(frozen=True)
class Retrieval:
    """The segments of one code in one scope, and that scope in words."""

    code: str  # the code's path, as asked for
    code_id: int
    segments: list[RetrievedSegment]
    scope: CoderScope
    by: tuple[tuple[str, str], ...] = ()
    category: bool = False  # the code has sub-codes: their segments are included

    def notice(self, lang: str = "en", **hint: str) -> str:
        """Which coders count (as `themes` says it)."""
        return self.scope.notice(lang=lang, **hint)

    def title(self, lang: str = "en") -> str:
        filters = "".join(f", {key}={value}" for key, value in self.by)
        below = t("retrieval.sub_codes", lang) if self.category else ""
        return f"{self.code}{below}{filters}: {count(len(self.segments), 'segment', lang)}"


def _code(session: Session, code: str | int) -> Code:
    from lo_codebook.core.codebook import resolve_code

    if isinstance(code, int):
        found = session.get(Code, code)
        if found is None:
            raise UserError(f"code #{code} no longer exists", where="--code")
        return found
    return resolve_code(session, code, where="--code")


def retrieve_segments(
    project: Project,
    code: str | int,
    *,
    coder: str | Sequence[str] | None = None,
    by: Iterable[str | tuple[str, str]] | None = None,
    context: int = CONTEXT_CHARS,
) -> Retrieval:
    """Every segment coded with `code` (a name, path or id; a category brings its themes'),
    in document order, by the coders `coder` selects, in the cases matching every `by`
    (`ATTR=VALUE` strings or pairs)."""
    from lo_codebook.core.codebook import code_path

    pairs = [item if isinstance(item, tuple) else parse_by([item])[0] for item in by or ()]
    with project.read() as session:
        root = _code(session, code)
        code_ids = subtree_ids(session, root.id)
        scope = coder_scope(session, coder, project.coder_name)
        check_by(session, pairs)
        query = (
            codings_in_reading_order(
                Coding.id,
                Coding.document_id,
                Document.name,
                Case.name,
                Document.case_id,
                Code.id,
                Code.name,
                Code.color,
                Coder.name,
                Coding.start,
                Coding.end,
            )
            .join(Document, Document.id == Coding.document_id)
            .outerjoin(Case, Case.id == Document.case_id)
            .where(Coding.code_id.in_(code_ids))
        )
        if scope.ids is not None:
            query = query.where(Coding.coder_id.in_(scope.ids or (-1,)))
        for condition in cases_with(pairs):
            query = query.where(Document.case_id.in_(condition))
        rows = session.execute(query).all()
        texts = _texts(session, {row[1] for row in rows})
        attributes = attributes_of(session, {row[4] for row in rows if row[4] is not None})
        path = code_path(root)
    segments = []
    for (
        coding_id,
        doc_id,
        doc_name,
        case_name,
        case_id,
        code_id,
        code_name,
        color,
        coder_name,
        start,
        end,
    ) in rows:
        text = texts[doc_id]
        around = context_around(text, start, end, context)
        segments.append(
            RetrievedSegment(
                coding_id=coding_id,
                document_id=doc_id,
                document=doc_name,
                case=case_name,
                code_id=code_id,
                code=code_name,
                color=color,
                coder=coder_name,
                start=start,
                end=end,
                text=text[start:end],
                before=around.before,
                after=around.after,
                attributes=attributes.get(case_id, {}) if case_id is not None else {},
                cut_before=around.cut_before,
                cut_after=around.cut_after,
            )
        )
    return Retrieval(path, root.id, segments, scope, tuple(pairs), category=len(code_ids) > 1)


def _texts(session: Session, document_ids: Iterable[int]) -> dict[int, str]:
    """Each document's text, read once however many of its segments are listed."""
    wanted = sorted(document_ids)
    out: dict[int, str] = {}
    for chunk in range(0, len(wanted), 500):
        ids = wanted[chunk : chunk + 500]
        out.update(
            session.execute(select(Document.id, Document.text).where(Document.id.in_(ids))).all()
        )
    return out


# -------------------------------------------------------------------------------- exports
def attribute_keys(segments: Sequence[RetrievedSegment]) -> list[str]:
    return sorted({key for s in segments for key in s.attributes})


def segments_csv(segments: Sequence[RetrievedSegment]) -> str:
    """CSV: the SPEC's fields, the context before and after, one column per case attribute.

    Every cell goes through `safe_cell` (no spreadsheet formulas)."""
    keys = attribute_keys(segments)
    columns = [k if k not in CSV_FIELDS else f"attribute {k}" for k in keys]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in (*CSV_FIELDS, *columns)])
    for s in segments:
        row: list[Any] = [getattr(s, name) for name in CSV_FIELDS]  # csv writes None empty
        row += [s.attributes.get(k, "") for k in keys]
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def segments_markdown(retrieval: Retrieval, lang: str = "en") -> str:
    """Markdown: a heading, then per segment where it is and the text in its context."""
    lines = [f"# {retrieval.title(lang)}", "", f"_{retrieval.notice(lang)}_", ""]
    for s in retrieval.segments:
        where = s.document if not s.case or s.case == s.document else f"{s.document} ({s.case})"
        details = [f"{s.start}–{s.end}", t("retrieval.coded_by", lang, code=s.code, coder=s.coder)]
        details += [f"{key}={value}" for key, value in s.attributes.items()]
        lines.append(f"## {where}")
        lines.append("")
        lines.append(", ".join(details))
        lines.append("")
        before = f"{'…' if s.cut_before else ''}{one_line(s.before)} " if s.before.strip() else ""
        after = f" {one_line(s.after)}{'…' if s.cut_after else ''}" if s.after.strip() else ""
        lines.append(f"> {before}**{one_line(s.text)}**{after}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def segments_json(segments: Sequence[RetrievedSegment]) -> str:
    return json.dumps([s.as_record() for s in segments], ensure_ascii=False, indent=2)


def render_segments(retrieval: Retrieval, fmt: str, lang: str = "en") -> str:
    """The segments as csv, md or json text (the terminal table is the CLI's own). The field
    names of csv and json are the SPEC's (English); markdown is written in `lang`."""
    if fmt == "csv":
        return segments_csv(retrieval.segments)
    if fmt == "md":
        return segments_markdown(retrieval, lang)
    if fmt == "json":
        return segments_json(retrieval.segments) + "\n"
    raise UserError(f"unknown format {fmt!r}; use csv, md or json", where="--format")


def export_segments(
    retrieval: Retrieval, path: str | Path, fmt: str | None = None, lang: str = "en"
) -> Path:
    """Write the segments to a file (atomically); the format from `fmt` or the extension."""
    path = Path(path)
    if fmt is None:
        fmt = EXPORT_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise UserError("export to .csv, .md or .json (by the file's extension)", file=path)
    write_text(path, render_segments(retrieval, fmt, lang))
    return path


__all__ = [
    "RECORD_FIELDS",
    "Retrieval",
    "RetrievedSegment",
    "export_segments",
    "render_segments",
    "retrieve_segments",
    "segments_csv",
    "segments_json",
    "segments_markdown",
]
