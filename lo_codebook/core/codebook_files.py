"""Codebook files: .csv (ours and Taguette's), .qdc (REFI-QDA) and .md, read into and written
from `CodeRow`s. No database here: `core.codebook` applies rows to the tree (`code_absorb`) and
turns the tree into rows; this module only knows the formats.

Keywords have no place in REFI-QDA; they travel as a last description line
``Keywords: a; b`` so that lo-codebook round trips keep them and other tools show them.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lo_codebook.db.names import name_key, same_name
from lo_codebook.errors import UserError
from lo_codebook.safe_output import safe_row, unescape_cell, write_text
from lo_codebook.words import plural

if TYPE_CHECKING:
    from lo_codebook.interop import RefiCode, RefiSet

# REFI-QDA (lxml, schemas) and text decoding are imported where used: reading a .csv or
# writing a .md should not pay for them, nor should every `import lo_codebook.core.codebook`.

CSV_HEADER = ["name", "parent", "description", "keywords"]
KEYWORDS_PREFIX = "Keywords: "
_KEYWORDS_LINE = re.compile(r"(?:^|\n)Keywords: ([^\n]*)\s*$")
#: What `read_codebook` reads and `write_codebook` writes.
READS = (".csv", ".qdc")
WRITES = (".csv", ".md", ".qdc")


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
    codable: bool = True  # .qdc: isCodable (false: a folder-like code in the other tool)


def split_keywords(value: str) -> list[str]:
    return [k.strip() for k in value.split(";") if k.strip()]


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
KNOWN_COLUMNS = frozenset(
    {"name", "tag", "path", "parent", "description", "keywords", "color", "examples"}
)
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
    ignored = [
        h or f"column {i + 1}"
        for i, h in enumerate(header)
        if h not in KNOWN_COLUMNS or (h in ("tag", "path") and h != name_col)
    ]
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
                raise UserError(
                    "empty code name" if not taguette else "empty tag",
                    file=path,
                    where=f"line {line}",
                )
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
        raise UserError(
            f"malformed CSV ({exc})", file=path, where=f"line {reader.line_num}"
        ) from exc
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
                out.append(
                    CodeRow(name=ancestor[-1], parent="/".join(ancestor[:-1]) or None, row=row.row)
                )
                added.append("/".join(ancestor))
        out.append(row)
    if nested:
        note = f"hierarchy from tag paths: {plural(nested, 'tag')} nested under {'their' if nested > 1 else 'its'} parent"
        if added:
            note += f"; parent codes added: {', '.join(added)}"
        notes.append(note)
    return out


def codebook_to_csv(rows: Sequence[CodeRow]) -> str:
    """The codebook as CSV. A cell that a spreadsheet would run as a formula (`=`, `+`, `-`,
    `@`, tab, CR first) gets a leading `'` (`safe_output.safe_cell`); `read_codebook_csv`
    takes exactly that quote off again, so export then import gives back the same codebook."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            safe_row([row.name, row.parent or "", row.description, ";".join(row.keywords)])
        )
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


# -- REFI-QDA codebooks (.qdc) -------------------------------------------------------------


def describe_code(description: str | None, keywords: Sequence[str]) -> str | None:
    """The REFI description of a code: its description plus a `Keywords:` line."""
    parts = [description.rstrip()] if description and description.strip() else []
    if keywords:
        parts.append(KEYWORDS_PREFIX + "; ".join(keywords))
    return "\n".join(parts) or None


def split_description(text: str | None) -> tuple[str, tuple[str, ...]]:
    """Undo `describe_code`: (description, keywords)."""
    if not text:
        return "", ()
    match = _KEYWORDS_LINE.search(text)
    if not match:
        return text.strip(), ()
    keywords = tuple(k.strip() for k in match.group(1).split(";") if k.strip())
    return text[: match.start()].strip(), tuple(dict.fromkeys(keywords))


def clean_code_name(name: str) -> str:
    """A REFI code name as our codebook stores it ('/' kept as '∕', see `refi_extras`)."""
    from lo_codebook.core.refi_extras import refi_name, stored_code_name

    return refi_name(stored_code_name(name), "code", "(unnamed code)")


@dataclass
class CodebookFile:
    """A codebook file read for import: its rows (GUIDs kept), and from a .qdc its sets and
    isCodable per GUID; `warnings` (repairs) and `notes` (what was read specially) to tell."""

    rows: list[CodeRow]
    sets: list[RefiSet] = field(default_factory=list)
    codable: dict[str, bool] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_qdc_codebook(path: str | Path) -> CodebookFile:
    """A .qdc file as codebook rows (parents before children; parent by GUID, and by name, or by
    path when the name is not unique in the file), with what else it holds."""
    from lo_codebook.core.refi_extras import slash_note, stored_guid
    from lo_codebook.interop import read_codebook as read_refi_codebook

    warnings: list[str] = []
    book = read_refi_codebook(path, warnings)
    counts: dict[str, int] = defaultdict(int)
    every = [code for top in book.codes for code in top.walk()]
    for code in every:
        counts[clean_code_name(code.name)] += 1
    rows: list[CodeRow] = []

    def walk(code: RefiCode, parent_path: str | None, parent: RefiCode | None) -> None:
        name = clean_code_name(code.name)
        description, keywords = split_description(code.description)
        parent_ref = None
        if parent is not None:
            parent_name = clean_code_name(parent.name)
            parent_ref = parent_name if counts[parent_name] == 1 else parent_path
        rows.append(
            CodeRow(
                name=name,
                parent=parent_ref,
                description=description,
                keywords=keywords,
                color=code.color,
                row=len(rows) + 1,
                guid=stored_guid(code.guid),
                codable=code.is_codable,
                parent_guid=stored_guid(parent.guid) if parent is not None else None,
            )
        )
        path_here = name if parent_path is None else f"{parent_path}/{name}"
        for sub in code.children:
            walk(sub, path_here, code)

    for top in book.codes:
        walk(top, None, None)
    notes = [note for note in [slash_note(code.name for code in every)] if note]
    codable = {code.guid: code.is_codable for code in every}
    closed = sum(1 for ok in codable.values() if not ok)
    if closed:
        notes.append(
            f'{closed} code(s) marked not codable (isCodable="false", folders in the other tool): '
            "remembered for export; here they can still be coded"
        )
    return CodebookFile(rows, book.sets, codable, warnings, notes)


def code_rows_from_qdc(path: str | Path, warnings: list[str] | None = None) -> list[CodeRow]:
    """A .qdc file as codebook rows (see `read_qdc_codebook`); its sets are not returned."""
    book = read_qdc_codebook(path)
    if warnings is not None:
        warnings.extend(book.warnings)
        if book.sets:
            warnings.append(
                f"{plural(len(book.sets), 'code set')} not imported (only the code tree was read)"
            )
    return book.rows


# -- one entry point each way ---------------------------------------------------------------


def read_codebook(path: str | Path) -> CodebookFile:
    """A codebook file (.csv ours or Taguette's, .qdc) as rows plus what else it holds."""
    path = Path(path)
    if not path.exists():
        raise UserError("file not found", file=path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        notes: list[str] = []
        return CodebookFile(read_codebook_csv(path, notes), notes=notes)
    if suffix == ".qdc":
        return read_qdc_codebook(path)
    raise UserError("codebook import reads .csv or .qdc", file=path)


def write_codebook(
    path: str | Path,
    rows: Sequence[CodeRow],
    *,
    sets: Sequence[RefiSet] = (),
    title: str = "Codebook",
) -> list[str]:
    """Write rows (parents before children) as .csv, .md or .qdc, atomically; returns the
    repairs a .qdc needed (see `interop.qdc.write_qdc`). A .qdc takes the rows' GUIDs (a new
    one where a row has none), their isCodable, and `sets`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WRITES:
        raise UserError("codebook export writes .csv, .md or .qdc", file=path)
    if suffix == ".qdc":
        from lo_codebook.interop import write_qdc

        return write_qdc(refi_tree(rows), path, sets)
    text = codebook_to_csv(rows) if suffix == ".csv" else codebook_to_markdown(rows, title)
    write_text(path, text)
    return []


def refi_tree(rows: Sequence[CodeRow]) -> list[RefiCode]:
    """Rows (parents first; parent by GUID, else by path) as a REFI code tree."""
    from lo_codebook.core.refi_extras import refi_code_name
    from lo_codebook.interop import RefiCode, new_guid

    by_guid: dict[str, RefiCode] = {}
    by_path: dict[str, RefiCode] = {}
    roots: list[RefiCode] = []
    for row in rows:
        code = RefiCode(
            guid=row.guid or new_guid(),
            name=refi_code_name(row.name),
            color=row.color,
            description=describe_code(row.description, row.keywords),
            is_codable=row.codable,
            children=[],
        )
        parent = by_guid.get(row.parent_guid or "") or (
            by_path.get(row.parent) if row.parent else None
        )
        if parent is None:
            roots.append(code)
        else:
            parent.children.append(code)
        by_guid[code.guid] = code
        by_path[f"{row.parent}/{row.name}" if row.parent else row.name] = code
    return roots
