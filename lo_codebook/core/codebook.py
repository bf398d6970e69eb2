"""Codebook operations: the tree (add, rename, move, delete, merge), csv/md/qdc import and export."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lo_codebook.core.project import Project, WriteUnit
from lo_codebook.db.lookup import codes_named, sibling_named
from lo_codebook.db.models import Code, Coding, Memo, Suggestion
from lo_codebook.db.names import name_key, same_name
from lo_codebook.errors import UserError
from lo_codebook.i18n import count
from lo_codebook.i18n import t as translate
from lo_codebook.safe_output import check_name, printable, safe_row, unescape_cell, write_text
from lo_codebook.words import plural

CSV_HEADER = ["name", "parent", "description", "keywords"]
MAX_NAME_LENGTH = 300  # the column's size: the same limit on SQLite and PostgreSQL

# Distinct, readable on dark and light terminals; assigned in order to new codes.
PALETTE = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
    "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#fffac8", "#800000",
    "#aaffc3", "#808000", "#ffd8b1", "#000075", "#a9a9a9", "#ffe119",
]  # fmt: skip


@dataclass
class CodeRow:
    """A codebook entry as files carry it: parent by name, keywords as a list."""

    name: str
    parent: str | None
    description: str = ""
    keywords: tuple[str, ...] = ()
    color: str | None = None
    row: int | None = None
    guid: str | None = None  # .qdc: the code's GUID, kept so exports match the other tool
    parent_guid: str | None = None  # .qdc: the parent's GUID (found even when renamed here)


def split_keywords(value: str) -> list[str]:
    return [k.strip() for k in value.split(";") if k.strip()]


def code_path(code: Code) -> str:
    parts = [code.name]
    node = code.parent
    while node is not None:
        parts.append(node.name)
        node = node.parent
    return "/".join(reversed(parts))


def all_codes(session: Session) -> list[Code]:
    return list(session.scalars(select(Code).order_by(Code.position, Code.name)))


def resolve_code(session: Session, ref: str, *, file: str | None = None, where: str | None = None) -> Code:
    """A code by unique name or by `Parent/Child` path; ambiguous or unknown names are errors."""
    code = find_code(session, ref, file=file, where=where)
    if code is None:
        raise UserError(f"unknown code {ref!r}", file=file, where=where)
    return code


def find_code(session: Session, ref: str, *, file: str | None = None, where: str | None = None) -> Code | None:
    """A code by name or `Parent/Child` path. The exact spelling wins; else the same name in
    another case or Unicode form (`lo_codebook.db.names`: Értékek = ÉRTÉKEK, Straße = STRASSE)."""
    ref = unicodedata.normalize("NFC", " ".join(ref.split()))
    named = codes_named(session, ref)
    exact = [c for c in named if c.name == ref]
    matches = exact or named
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        paths = ", ".join(sorted(code_path(c) for c in matches))
        raise UserError(f"code name {ref!r} is ambiguous; use one of: {paths}", file=file, where=where)
    if "/" in ref:
        path = [part.strip() for part in ref.split("/")]
        candidates = codes_named(session, path[-1])
        found = [c for c in candidates if code_path(c) == "/".join(path)] or [
            c for c in candidates if _path_matches(c, path)
        ]
        if found:
            return found[0]

        # an imported name that held a '/' is stored with '∕' (see core.refi_extras): typed
        # with '/', as a name or inside a path
        def typed(text: str) -> str:
            return text.replace("\u2215", "/")

        found = [
            code
            for code in session.scalars(select(Code))
            if ref in (typed(code.name), typed(code_path(code))) and "\u2215" in code_path(code)
        ]
        if len(found) > 1:
            paths = ", ".join(sorted(code_path(c) for c in found))
            raise UserError(f"code name {ref!r} is ambiguous; use one of: {paths}", file=file, where=where)
        return found[0] if found else None
    return None


def _path_matches(code: Code, path: Sequence[str]) -> bool:
    node: Code | None = code
    for part in reversed(path):
        if node is None or not same_name(node.name, part):
            return False
        node = node.parent
    return node is None


def next_color(session: Session) -> str:
    used = session.scalar(select(func.count()).select_from(Code)) or 0
    return PALETTE[used % len(PALETTE)]


def _check_sibling_name(session: Session, name: str, parent_id: int | None, *, exclude: int | None = None) -> None:
    for other in codes_named(session, name, parent=parent_id):
        if other.id != exclude:
            where = f"under {other.parent.name!r}" if other.parent else "at the top level"
            raise UserError(f"a code named {other.name!r} already exists {where}")


def _valid_name(name: str) -> str:
    clean = unicodedata.normalize("NFC", " ".join(name.split()))
    if not clean:
        raise UserError("a code needs a name")
    if "/" in clean:
        raise UserError(f"code names cannot contain '/': {printable(name, newlines=False)!r}")
    if len(clean) > MAX_NAME_LENGTH:
        raise UserError(f"a code name can have at most {MAX_NAME_LENGTH} characters ({len(clean)} given)")
    return check_name(clean, "code name")


def add_code(
    unit: WriteUnit,
    name: str,
    *,
    parent: Code | None = None,
    description: str = "",
    keywords: Sequence[str] = (),
    color: str | None = None,
) -> Code:
    session = unit.session
    name = _valid_name(name)
    _check_sibling_name(session, name, parent.id if parent else None)
    siblings = session.scalar(
        select(func.count()).select_from(Code).where(
            Code.parent_id.is_(None) if parent is None else Code.parent_id == parent.id
        )
    )
    code = Code(
        name=name,
        parent=parent,
        description=description,
        keywords=list(dict.fromkeys(keywords)),
        color=color or next_color(session),
        position=siblings or 0,
    )
    session.add(code)
    from sqlalchemy.exc import IntegrityError

    try:
        session.flush()
    except IntegrityError as exc:
        # Team mode: another coder committed the same name between our check and our INSERT
        # (on PostgreSQL the failed INSERT aborts the transaction; `Project.write` rolls back).
        reason = str(exc.orig or exc)
        if "uq_code_" in reason or "code.name" in reason:
            raise UserError(
                f"a code named {name!r} was just created by someone else; it is in the codebook now"
            ) from exc
        raise
    return code


def create_code(
    project: Project,
    name: str,
    *,
    parent: str | None = None,
    description: str = "",
    keywords: Sequence[str] = (),
    color: str | None = None,
    make_parents: bool = False,
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
        code = add_code(
            unit, name, parent=parent_code, description=description, keywords=keywords, color=color
        )
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


# files ------------------------------------------------------------------------------------
#: How examples from an `examples` column are kept: inside the description, where every
#: format (csv, .qdc, .qdpx, .md) carries them and the engine reads them as quoted phrases.
EXAMPLES_LABEL = "Examples:"


def with_examples(description: str, examples: str) -> str:
    """The description with the `;`-separated examples appended as quoted phrases."""
    items = [e.strip().strip('"“”') for e in examples.split(";") if e.strip().strip('"“”')]
    if not items:
        return description
    quoted = "; ".join(f'"{e}"' for e in items)
    if quoted in description:  # exported and imported again
        return description
    return f"{description} {EXAMPLES_LABEL} {quoted}".strip()


#: Columns a codebook .csv may have (ours, plus Taguette's `tag`/`path` for the name).
KNOWN_COLUMNS = frozenset({"name", "tag", "path", "parent", "description", "keywords", "color", "examples"})
#: Where Taguette's tag paths nest (`interesting.places`, `interesting\\places`): the tag
#: `a.b` lists under `a` there; `/` cannot stay in our names anyway.
_TAG_SEPARATORS = re.compile(r"[/\\]")


def _split_dotted(part: str) -> list[str]:
    """`interesting.places` -> [interesting, places]; left whole when a dot is no separator:
    a space beside it (`St. Jan`, `4. Értékek`), a number or initial (`1.2`, `U.S.A`), an end."""
    pieces = part.split(".")
    if len(pieces) == 1:
        return [part]
    if all(p == p.strip() and len(p) >= 2 and any(c.isalpha() for c in p) for p in pieces):
        return pieces
    return [part]


def tag_path(tag: str) -> list[str]:
    """A Taguette tag as a path of code names (see `_TAG_SEPARATORS`, `_split_dotted`)."""
    parts = [p.strip() for p in _TAG_SEPARATORS.split(tag)]
    path = [piece for part in parts if part for piece in _split_dotted(part)]
    return path or [tag.strip()]


def read_codebook_csv(path: Path, notes: list[str] | None = None) -> list[CodeRow]:
    """Rows of a codebook .csv: ours (`name,parent,description,keywords[,examples,color]`)
    or Taguette's (`tag,description,number of highlights[,number of documents]`, the tag a
    path such as `interesting.places`; newer Taguette adds `parent`). Columns we do not
    read are ignored and listed in `notes`, as is the hierarchy read from tag paths."""
    from lo_codebook.ingest.textio import read_text

    notes = notes if notes is not None else []
    text = read_text(path).text
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise UserError("file is empty", file=path) from None
    except csv.Error as exc:
        raise UserError(f"malformed CSV ({exc})", file=path, where="line 1") from exc
    name_col = next((c for c in ("name", "tag", "path") if c in header), None)
    if name_col is None:
        raise UserError(
            f"no column 'name' (or Taguette's 'tag'); columns are: {', '.join(header)} "
            f"(expected {','.join(CSV_HEADER)})",
            file=path,
            where="line 1",
        )
    taguette = name_col != "name"
    nest = taguette and "parent" not in header
    ignored = [h or f"column {i + 1}" for i, h in enumerate(header) if h not in KNOWN_COLUMNS or (h in ("tag", "path") and h != name_col)]
    if ignored:
        notes.append(f"columns ignored: {', '.join(ignored)}")
    index = {name: i for i, name in enumerate(header)}
    rows: list[CodeRow] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                raise UserError(
                    f"row has {plural(len(record), 'field')}, the header has {len(header)}",
                    file=path,
                    where=f"line {line}",
                )

            def cell(key: str, record: list[str] = record) -> str:
                return unescape_cell(record[index[key]].strip()) if key in index else ""

            if not cell(name_col):
                raise UserError("empty code name" if not taguette else "empty tag", file=path, where=f"line {line}")
            name, parent = cell(name_col), cell("parent") or None
            if nest:
                parts = tag_path(name)
                name, parent = parts[-1], "/".join(parts[:-1]) or None
            elif taguette:
                name = name.replace("/", "-")
                parent = parent.replace("/", "-") if parent else None
            rows.append(
                CodeRow(
                    name=name,
                    parent=parent,
                    description=with_examples(cell("description"), cell("examples")),
                    keywords=tuple(split_keywords(cell("keywords"))),
                    color=cell("color") or None,
                    row=line,
                )
            )
    except csv.Error as exc:
        raise UserError(f"malformed CSV ({exc})", file=path, where=f"line {reader.line_num}") from exc
    _refuse_duplicates(rows, path)
    if nest:
        rows = _with_tag_parents(rows, notes)
    return rows


def _refuse_duplicates(rows: Sequence[CodeRow], path: Path) -> None:
    """Two rows for one code (same name, same parent, any case) would merge unseen: refuse."""
    first: dict[tuple[str, str], CodeRow] = {}
    for row in rows:
        key = (name_key(row.name), name_key(row.parent or ""))
        earlier = first.setdefault(key, row)
        if earlier is not row and same_name(earlier.name, row.name):
            where = f"under {row.parent!r}" if row.parent else "at the top level"
            same = "" if earlier.name == row.name else f" (as {earlier.name!r})"
            raise UserError(
                f"code {row.name!r} {where} is already on line {earlier.row}{same}; "
                "give each code one row (put its keywords together)",
                file=path,
                where=f"line {row.row}",
            )


def _with_tag_parents(rows: list[CodeRow], notes: list[str]) -> list[CodeRow]:
    """Add a row for each parent a tag path names but the file does not list (Taguette has
    `a.b` without `a`), parents first; note the nesting."""

    def key(parts: Sequence[str]) -> tuple[str, ...]:
        return tuple(name_key(p) for p in parts)

    listed = {key([*(r.parent.split("/") if r.parent else []), r.name]) for r in rows}
    out: list[CodeRow] = []
    added: list[str] = []
    nested = 0
    for row in rows:
        parents = row.parent.split("/") if row.parent else []
        nested += bool(parents)
        for depth in range(1, len(parents) + 1):
            ancestor = parents[:depth]
            if key(ancestor) not in listed:
                listed.add(key(ancestor))
                out.append(CodeRow(name=ancestor[-1], parent="/".join(ancestor[:-1]) or None, row=row.row))
                added.append("/".join(ancestor))
        out.append(row)
    if nested:
        note = f"hierarchy from tag paths: {plural(nested, 'tag')} nested under {'their' if nested > 1 else 'its'} parent"
        if added:
            note += f"; parent codes added: {', '.join(added)}"
        notes.append(note)
    return out


def apply_code_rows(unit: WriteUnit, rows: Sequence[CodeRow], *, file: str | None = None) -> tuple[int, int]:
    """Create or update codes from rows (parents may come after children). Returns (new, updated).

    A row with a GUID (.qdc) finds its code by that GUID first (renamed here or not), then by
    name under its parent; a new code keeps the row's GUID, and so does a matched code that
    had none, so that exports give the other tool its own GUIDs back.
    """
    session = unit.session
    pending = list(rows)
    created = updated = 0
    names_in_file = {name_key(r.name) for r in rows}
    by_guid: dict[str, Code] = {}
    for row in rows:
        if row.parent and name_key(row.parent.rsplit("/", 1)[-1]) not in names_in_file and find_code(session, row.parent) is None:
            raise UserError(f"parent {row.parent!r} of {row.name!r} is not in the codebook", file=file, where=f"line {row.row}")
    while pending:
        progressed = False
        for row in list(pending):
            parent = None
            if row.parent:
                parent = by_guid.get(row.parent_guid or "") or _find_child_path(session, row.parent)
                if parent is None:
                    continue
            existing = None
            if row.guid:
                existing = session.scalar(select(Code).where(Code.guid == row.guid).limit(1))
            if existing is None:
                existing = sibling_named(session, row.name, parent)
            if existing is None:
                try:
                    existing = add_code(unit, row.name, parent=parent, description=row.description, keywords=row.keywords, color=row.color)
                except UserError as exc:
                    if exc.file is not None:
                        raise
                    raise UserError(exc.message, file=file, where=f"line {row.row}" if row.row else None) from exc
                existing.guid = row.guid
                created += 1
            else:
                merged = list(dict.fromkeys([*existing.keywords, *row.keywords]))
                if merged != existing.keywords or (row.description and row.description != existing.description):
                    existing.keywords = merged
                    existing.description = row.description or existing.description
                    updated += 1
                if row.guid and existing.guid is None:
                    existing.guid = row.guid
            if row.guid:
                by_guid[row.guid] = existing
            pending.remove(row)
            progressed = True
        if not progressed:
            row = pending[0]
            raise UserError(f"parents form a cycle around {row.name!r}", file=file, where=f"line {row.row}")
    return created, updated


def _find_child_path(session: Session, ref: str) -> Code | None:
    return find_code(session, ref)


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
        text = translate("import.codebook", lang, codes=count(self.created, "code", lang, thousands=False), updated=self.updated)
        if self.guids_in_file:
            text += translate("import.guids", lang, kept=self.guids_kept, total=self.guids_in_file)
        return text


def import_codebook_file(project: Project, path: str | Path) -> CodebookImport:
    """Import a .csv or .qdc codebook into the project's codebook (merging same-named codes).

    From a .qdc, GUIDs, code sets (as `Set:` memos) and isCodable are kept for exports; a
    Taguette csv is read as its tags (notes say how).
    """
    path = Path(path)
    if not path.exists():
        raise UserError("file not found", file=path)
    suffix = path.suffix.lower()
    report = CodebookImport()
    book = None
    if suffix == ".csv":
        rows = read_codebook_csv(path, report.notes)
    elif suffix == ".qdc":
        from lo_codebook.core.refi_mapping import read_qdc_codebook

        book = read_qdc_codebook(path)
        rows = book.rows
        report.warnings = book.warnings
        report.guids_in_file = sum(1 for row in rows if row.guid)
    else:
        raise UserError("codebook import reads .csv or .qdc", file=path)
    if not rows:
        raise UserError("the codebook file has no codes", file=path)
    with project.write("codebook-import") as unit:
        report.created, report.updated = apply_code_rows(unit, rows, file=str(path))
        if book is not None:
            from lo_codebook.core.refi_mapping import finish_qdc_import

            report.guids_kept, report.notes = finish_qdc_import(unit, book)
        unit.summary = (
            f"imported codebook {path.name}: {plural(report.created, 'code')} added, {report.updated} updated"
        )
    return report


def import_codebook(project: Project, path: str | Path, notes: list[str] | None = None) -> tuple[int, int]:
    """Import a .csv (ours or Taguette's) or .qdc codebook (see `import_codebook_file`);
    returns (added, updated); what was read specially or left out goes to `notes`."""
    report = import_codebook_file(project, path)
    if notes is not None:
        notes.extend(report.notes)
    return report.created, report.updated


def codebook_rows(session: Session) -> list[CodeRow]:
    """The codebook depth-first (parents before children), as file rows."""
    rows: list[CodeRow] = []

    def walk(code: Code, parent: str | None) -> None:
        rows.append(CodeRow(code.name, parent, code.description, tuple(code.keywords), code.color))
        for child in sorted(code.children, key=lambda c: (c.position, c.name)):
            walk(child, code_path(code))

    roots = session.scalars(select(Code).where(Code.parent_id.is_(None)).order_by(Code.position, Code.name))
    for root in roots:
        walk(root, None)
    return rows


def codebook_to_csv(rows: Sequence[CodeRow]) -> str:
    """The codebook as CSV. A cell that a spreadsheet would run as a formula (`=`, `+`, `-`,
    `@`, tab, CR first) gets a leading `'` (`safe_output.safe_cell`); `read_codebook_csv`
    takes exactly that quote off again, so export then import gives back the same codebook."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(safe_row([row.name, row.parent or "", row.description, ";".join(row.keywords)]))
    return buffer.getvalue()


def codebook_to_markdown(rows: Sequence[CodeRow], title: str = "Codebook") -> str:
    lines = [f"# {title}", ""]
    for row in rows:
        depth = row.parent.count("/") + 1 if row.parent else 0
        if depth == 0:
            lines += [f"## {row.name}", ""]
            if row.description:
                lines += [row.description, ""]
            if row.keywords:
                lines += [f"Keywords: {', '.join(row.keywords)}", ""]
            continue
        indent = "  " * (depth - 1)
        text = f"{indent}- **{row.name}**"
        if row.description:
            text += f": {row.description}"
        if row.keywords:
            text += f" _(keywords: {', '.join(row.keywords)})_"
        lines.append(text)
    return "\n".join(lines).rstrip() + "\n"


def export_codebook(project: Project, path: str | Path) -> int:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".md", ".qdc"}:
        raise UserError("codebook export writes .csv, .md or .qdc", file=path)
    with project.read() as session:
        rows = codebook_rows(session)
        if suffix == ".qdc":
            from lo_codebook.core.refi_mapping import write_codebook_qdc

            write_codebook_qdc(session, path)
            return len(rows)
    text = codebook_to_csv(rows) if suffix == ".csv" else codebook_to_markdown(rows)
    write_text(path, text)
    return len(rows)
