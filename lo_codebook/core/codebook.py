"""Codebook operations users name: the tree (add, rename, move, edit, delete, merge codes) and
importing or exporting the codebook as a whole.

The primitives (`add_code`, `find_code`, `code_path`...) live in `code_tree`, the file formats
in `codebook_files`, and what happens to a code that is already here in `code_absorb`; they
are re-exported here, where callers have always found them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Unpack

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lo_codebook.core.code_absorb import apply_code_rows
from lo_codebook.core.code_tree import (
    MAX_NAME_LENGTH,
    PALETTE,
    CodeDetails,
    _check_sibling_name,
    _valid_name,
    add_code,
    all_codes,
    code_path,
    find_code,
    next_color,
    resolve_code,
)
from lo_codebook.core.codebook_files import (
    CSV_HEADER,
    EXAMPLES_LABEL,
    KNOWN_COLUMNS,
    WRITES,
    CodebookFile,
    CodeRow,
    codebook_to_csv,
    codebook_to_markdown,
    read_codebook,
    read_codebook_csv,
    split_keywords,
    tag_path,
    with_examples,
    write_codebook,
)
from lo_codebook.core.project import Project, WriteUnit
from lo_codebook.db.lookup import sibling_named
from lo_codebook.db.models import Code, Coding, Memo, Suggestion
from lo_codebook.errors import UserError
from lo_codebook.i18n import count
from lo_codebook.i18n import t as translate
from lo_codebook.words import plural

__all__ = [
    "CSV_HEADER",
    "EXAMPLES_LABEL",
    "KNOWN_COLUMNS",
    "MAX_NAME_LENGTH",
    "PALETTE",
    "CodeRow",
    "CodebookImport",
    "add_code",
    "all_codes",
    "apply_code_rows",
    "code_path",
    "codebook_rows",
    "codebook_to_csv",
    "codebook_to_markdown",
    "create_code",
    "delete_code",
    "export_codebook",
    "find_code",
    "import_codebook",
    "import_codebook_file",
    "merge_codes",
    "merge_into",
    "move_code",
    "next_color",
    "read_codebook_csv",
    "rename_code",
    "resolve_code",
    "split_keywords",
    "tag_path",
    "update_code",
    "with_examples",
]


def create_code(
    project: Project,
    name: str,
    *,
    parent: str | None = None,
    make_parents: bool = False,
    **details: Unpack[CodeDetails],
) -> int:
    """Add a code (under `parent`, a name or `A/B` path). With `make_parents`, a parent path
    that does not exist yet is created too, in the same undoable entry."""
    with project.write("code-add") as unit:
        parent_code = None
        if parent:
            parent_code = find_code(unit.session, parent)
            if parent_code is None:
                if not make_parents:
                    raise UserError(f"unknown code {parent.strip()!r}")
                parent_code = _make_path(unit, parent)
        code = add_code(unit, name, parent=parent_code, **details)
        unit.summary = f"added code {code_path(code)!r}"
        return code.id


def _make_path(unit: WriteUnit, path: str) -> Code:
    """The code at `A/B/C` from the top level (names compared by `name_key`), creating
    the parts that do not exist."""
    node: Code | None = None
    for part in (p.strip() for p in path.split("/")):
        if not part:
            continue
        child = sibling_named(unit.session, part, node)
        node = child if child is not None else add_code(unit, part, parent=node)
    if node is None:
        raise UserError("a code needs a name")
    return node


def rename_code(project: Project, code_id: int, new_name: str) -> None:
    with project.write("code-rename") as unit:
        code = _get(unit.session, code_id)
        new_name = _valid_name(new_name)
        _check_sibling_name(unit.session, new_name, code.parent_id, exclude=code.id)
        unit.summary = f"renamed {code.name!r} to {new_name!r}"
        code.name = new_name


def move_code(project: Project, code_id: int, new_parent_id: int | None) -> None:
    """Re-parent a code (None: to the top level); refuses to create a cycle."""
    with project.write("code-move") as unit:
        code = _get(unit.session, code_id)
        parent = _get(unit.session, new_parent_id) if new_parent_id is not None else None
        node = parent
        while node is not None:
            if node.id == code.id:
                raise UserError(f"cannot move {code.name!r} under its own descendant")
            node = node.parent
        _check_sibling_name(unit.session, code.name, new_parent_id, exclude=code.id)
        code.parent = parent
        unit.summary = f"moved {code.name!r} under {parent.name if parent else '(top level)'!r}"


def update_code(
    project: Project,
    code_id: int,
    *,
    description: str | None = None,
    keywords: Sequence[str] | None = None,
    color: str | None = None,
) -> None:
    with project.write("code-edit") as unit:
        code = _get(unit.session, code_id)
        if description is not None:
            code.description = description
        if keywords is not None:
            code.keywords = list(dict.fromkeys(k.strip() for k in keywords if k.strip()))
        if color is not None:
            code.color = color
        unit.summary = f"edited {code.name!r}"


def delete_code(project: Project, code_id: int) -> int:
    """Delete a code, its descendants, their codings and suggestions; returns codings removed."""
    with project.write("code-delete") as unit:
        code = _get(unit.session, code_id)
        removed = _delete_subtree(unit.session, code)
        unit.summary = f"deleted {code.name!r} with {plural(removed, 'coding')}"
        return removed


def _delete_subtree(session: Session, code: Code) -> int:
    removed = 0
    for child in list(code.children):
        removed += _delete_subtree(session, child)
    # ORM deletes (not SQL cascades) so the audit log holds every row for undo.
    for row in session.scalars(select(Coding).where(Coding.code_id == code.id)):
        session.delete(row)
        removed += 1
    for row in session.scalars(select(Suggestion).where(Suggestion.code_id == code.id)):
        session.delete(row)
    for row in session.scalars(select(Memo).where(Memo.code_id == code.id)):
        session.delete(row)
    session.flush()
    session.delete(code)
    session.flush()
    return removed


def merge_into(unit: WriteUnit, source: Code, target: Code) -> int:
    """Move codings, suggestions, children and keywords of `source` onto `target`; delete source."""
    session = unit.session
    if source.id == target.id:
        raise UserError("cannot merge a code into itself")
    node = target.parent
    while node is not None:
        if node.id == source.id:
            raise UserError(f"cannot merge {source.name!r} into its own descendant")
        node = node.parent
    moved = 0
    existing = set(
        session.execute(
            select(Coding.document_id, Coding.coder_id, Coding.start, Coding.end).where(
                Coding.code_id == target.id
            )
        ).all()
    )
    for coding in session.scalars(select(Coding).where(Coding.code_id == source.id)):
        key = (coding.document_id, coding.coder_id, coding.start, coding.end)
        if key in existing:
            session.delete(coding)
        else:
            coding.code_id = target.id
            existing.add(key)
            moved += 1
    target_spans = set(
        session.execute(
            select(Suggestion.document_id, Suggestion.start, Suggestion.end).where(
                Suggestion.code_id == target.id
            )
        ).all()
    )
    for suggestion in session.scalars(select(Suggestion).where(Suggestion.code_id == source.id)):
        if (suggestion.document_id, suggestion.start, suggestion.end) in target_spans:
            session.delete(suggestion)
        else:
            suggestion.code_id = target.id
    session.execute(update(Memo).where(Memo.code_id == source.id).values(code_id=target.id))
    for child in list(source.children):
        _check_sibling_name(session, child.name, target.id, exclude=child.id)
        child.parent = target
    target.keywords = list(dict.fromkeys([*target.keywords, source.name, *source.keywords]))
    if source.description and source.description not in target.description:
        target.description = "\n".join(p for p in (target.description, source.description) if p)
    session.flush()
    session.delete(source)
    session.flush()
    return moved


def merge_codes(project: Project, source_id: int, target_id: int) -> int:
    with project.write("code-merge") as unit:
        source = _get(unit.session, source_id)
        target = _get(unit.session, target_id)
        unit.summary = f"merged {source.name!r} into {target.name!r}"
        return merge_into(unit, source, target)


def _get(session: Session, code_id: int) -> Code:
    code = session.get(Code, code_id)
    if code is None:
        raise UserError(f"code #{code_id} no longer exists")
    return code


@dataclass
class CodebookImport:
    """What `codebook import` did, and what it has to tell (GUIDs, sets, renamed names)."""

    created: int = 0
    updated: int = 0
    guids_in_file: int = 0
    guids_kept: int = 0
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self, lang: str = "en") -> str:
        """One line for the terminal, in the output language `lang`."""
        text = translate(
            "import.codebook",
            lang,
            codes=count(self.created, "code", lang, thousands=False),
            updated=self.updated,
        )
        if self.guids_in_file:
            text += translate("import.guids", lang, kept=self.guids_kept, total=self.guids_in_file)
        return text


def import_codebook_file(project: Project, path: str | Path) -> CodebookImport:
    """Import a .csv or .qdc codebook into the project's codebook, in one undoable entry.

    Codes already here are found again and absorb the file's (`code_absorb`). From a .qdc,
    GUIDs, code sets (as `Set:` memos) and isCodable are kept for exports; a Taguette csv is
    read as its tags (notes say how).
    """
    path = Path(path)
    book = read_codebook(path)
    report = CodebookImport(notes=list(book.notes), warnings=list(book.warnings))
    qdc = path.suffix.lower() == ".qdc"
    report.guids_in_file = sum(1 for row in book.rows if row.guid)
    if not book.rows:
        raise UserError("the codebook file has no codes", file=path)
    with project.write("codebook-import") as unit:
        report.created, report.updated = apply_code_rows(unit, book.rows, file=str(path))
        if qdc:
            report.guids_kept, report.notes = _finish_qdc_import(unit, book)
        unit.summary = f"imported codebook {path.name}: {plural(report.created, 'code')} added, {report.updated} updated"
    return report


def _finish_qdc_import(unit: WriteUnit, book: CodebookFile) -> tuple[int, list[str]]:
    """After the rows are applied: remember isCodable, keep the sets as memos.
    Returns (codes whose GUID from the file is now stored, lines to tell the user)."""
    from lo_codebook.core.refi_extras import remember_codability, store_sets

    session = unit.session
    session.flush()
    guids = [row.guid for row in book.rows if row.guid]
    codes = (
        {code.guid: code for code in session.scalars(select(Code).where(Code.guid.in_(guids)))}
        if guids
        else {}
    )
    kept = sum(1 for guid in guids if guid in codes)
    notes = list(book.notes)
    if guids and kept < len(guids):
        notes.append(
            f"{len(guids) - kept} code(s) already here under the same name with another GUID: "
            "kept this project's GUID"
        )
    remember_codability(session, {g: ok for g, ok in book.codable.items() if g in codes})
    note = store_sets(unit, book.sets, codes, {}).note("the codebook")
    if note:
        notes.append(note)
    return kept, notes


def import_codebook(
    project: Project, path: str | Path, notes: list[str] | None = None
) -> tuple[int, int]:
    """Import a .csv (ours or Taguette's) or .qdc codebook (see `import_codebook_file`);
    returns (added, updated); what was read specially or left out goes to `notes`."""
    report = import_codebook_file(project, path)
    if notes is not None:
        notes.extend(report.notes)
    return report.created, report.updated


def codebook_rows(
    session: Session, guids: dict[int, str] | None = None, not_codable: set[str] | None = None
) -> list[CodeRow]:
    """The codebook depth-first (parents before children), as file rows; with `guids` (code id
    -> GUID, see `refi_extras.code_guids`) each row carries its GUID and isCodable too."""
    rows: list[CodeRow] = []

    def walk(code: Code, parent: str | None) -> None:
        guid = guids.get(code.id) if guids is not None else None
        rows.append(
            CodeRow(
                code.name,
                parent,
                code.description,
                tuple(code.keywords),
                code.color,
                guid=guid,
                codable=guid not in (not_codable or set()),
            )
        )
        for child in sorted(code.children, key=lambda c: (c.position, c.name)):
            walk(child, code_path(code))

    roots = session.scalars(
        select(Code).where(Code.parent_id.is_(None)).order_by(Code.position, Code.name)
    )
    for root in roots:
        walk(root, None)
    return rows


def export_codebook(project: Project, path: str | Path) -> int:
    """Write the codebook as .csv, .md or .qdc (atomically, `codebook_files.write_codebook`);
    a .qdc carries the codes' GUIDs, isCodable and the `Set:` memos as sets. Returns codes written."""
    path = Path(path)
    if path.suffix.lower() not in WRITES:
        raise UserError("codebook export writes .csv, .md or .qdc", file=path)
    with project.read() as session:
        if path.suffix.lower() != ".qdc":
            rows = codebook_rows(session)
            write_codebook(path, rows)
            return len(rows)
        from lo_codebook.core.refi_extras import code_guids, not_codable_guids, sets_from_memos

        guids = code_guids(session)
        rows = codebook_rows(session, guids, not_codable_guids(session))
        write_codebook(path, rows, sets=sets_from_memos(session, guids, None).sets)
        return len(rows)
