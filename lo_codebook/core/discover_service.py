"""Inductive theme discovery over the project, and adding a candidate to the codebook."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from lo_codebook.core.codebook import add_code, code_path, resolve_code
from lo_codebook.core.defaults import DISCOVER_ABOVE
from lo_codebook.core.project import Project
from lo_codebook.db.models import Code, Document, Segment


def discover_candidates(
    project: Project,
    *,
    above: int = DISCOVER_ABOVE,
    only_new: bool = False,
    kind: str | None = None,
):  # type: ignore[no-untyped-def]
    """Theme candidates (lo_codebook.nlp.discover) from the project's documents.

    `only_new` leaves out phrases the codebook's keywords and names already cover, so the
    list shows what the codebook lacks.
    """
    from lo_codebook.nlp.discover import discover
    from lo_codebook.nlp.match import DocumentInput

    with project.read() as session:
        segments: dict[int, list[tuple[int, int, str | None]]] = {}
        for doc_id, start, end, speaker in session.execute(
            select(Segment.document_id, Segment.start, Segment.end, Segment.speaker).order_by(
                Segment.document_id, Segment.start
            )
        ):
            segments.setdefault(doc_id, []).append((start, end, speaker))
        query = select(Document.id, Document.text, Document.kind).order_by(Document.id)
        if kind is not None:
            query = query.where(Document.kind == kind)
        documents = [
            DocumentInput(id=r.id, text=r.text, segments=segments.get(r.id, []), kind=r.kind)
            for r in session.execute(query)
        ]
        exclude: list[str] = []
        if only_new:
            for code in session.scalars(select(Code)):
                terms = [code.name, *code.keywords]
                # The words of multi-word terms count as covered too ("werken" of "hybride werken").
                exclude += terms + [w for t in terms if " " in t for w in t.split() if len(w) >= 5]
    return discover(documents, project.language, above=above, exclude_keywords=exclude)


def add_candidate(
    project: Project, label: str, phrases: Sequence[str], *, parent: str | None = None
) -> str:
    """Add a discovered candidate as a code with its phrases as keywords; returns its path."""
    with project.write("discover-add") as unit:
        parent_code = resolve_code(unit.session, parent, where="--parent") if parent else None
        code = add_code(
            unit,
            label,
            parent=parent_code,
            description="Found by `discover`.",
            keywords=list(dict.fromkeys(p for p in phrases if p.strip())),
        )
        unit.summary = f"added discovered theme {code_path(code)!r}"
        return code_path(code)
