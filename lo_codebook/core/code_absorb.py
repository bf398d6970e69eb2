"""One rule for "the same code, found again", used by every way codes come in: codebook
files (.csv, .qdc: `apply_code_rows`), `merge-codebook` / `merge-project` (`merge`) and
`import-qdpx` (`refi_mapping`).

Found again: by GUID first (a code that came from the other tool before, even if renamed
here since), then by name under the same parent, names compared by `db.names.name_key`
(case, Unicode form and spacing do not matter: Werkdruk = werkdruk = WERKDRUK). A code found
again absorbs the incoming one:

- its name, parent and colour stay;
- keywords: the incoming ones it lacks are added, compared by casefold; the first spelling
  stays (`union_keywords`);
- description: kept when the incoming one is empty or already there (as a whole paragraph
  or the whole text); otherwise the incoming one is appended as a new paragraph. Nothing a
  coder wrote is lost, and importing the same file twice changes nothing
  (`union_description`);
- GUID: it takes the incoming one when it has none and no other code holds it.

A code not found is added with the incoming name, description, keywords (casefold-unique),
colour and GUID (when no other code holds it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lo_codebook.core.code_tree import add_code, find_code
from lo_codebook.core.codebook_files import CodeRow
from lo_codebook.core.project import WriteUnit
from lo_codebook.db.lookup import sibling_named
from lo_codebook.db.models import Code
from lo_codebook.db.names import name_key
from lo_codebook.errors import UserError

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass
class Absorbed:
    """The code an incoming one became: found again (`created` False) or added."""

    code: Code
    created: bool
    changed: bool  # a code found again gained keywords or description (a GUID is bookkeeping)


def union_keywords(existing: Iterable[str], incoming: Iterable[str]) -> list[str]:
    """`existing` plus the incoming keywords it lacks, compared by casefold; blanks dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for word in (*existing, *incoming):
        word = word.strip()
        if word and word.casefold() not in seen:
            out.append(word)
            seen.add(word.casefold())
    return out


def _paragraphs(text: str) -> str:
    """The text as paragraphs joined by one blank line, for comparing whole paragraphs."""
    return "\n\n".join(p.strip() for p in _PARAGRAPH_BREAK.split(text.strip()) if p.strip())


def union_description(existing: str | None, incoming: str | None) -> str:
    """The existing description, with the incoming one appended as a new paragraph unless it
    is empty or already there (see the module docstring)."""
    existing = existing or ""
    new = _paragraphs(incoming or "")
    if not new:
        return existing
    if not existing.strip():
        return (incoming or "").strip()
    if f"\n\n{new}\n\n" in f"\n\n{_paragraphs(existing)}\n\n":
        return existing
    return f"{existing.rstrip()}\n\n{(incoming or '').strip()}"


def _guid_free(session: Session, guid: str | None, code: Code | None = None) -> bool:
    if not guid:
        return False
    holder = session.scalar(select(Code.id).where(Code.guid == guid).limit(1))
    return holder is None or (code is not None and holder == code.id)


def absorb_into(
    session: Session,
    code: Code,
    *,
    description: str | None = "",
    keywords: Sequence[str] = (),
    guid: str | None = None,
) -> bool:
    """Let `code` absorb an incoming code's keywords, description and GUID; True if its
    keywords or description changed."""
    changed = False
    merged = union_keywords(code.keywords or [], keywords)
    if merged != list(code.keywords or []):
        code.keywords = merged
        changed = True
    description = union_description(code.description, description)
    if description != (code.description or ""):
        code.description = description
        changed = True
    if code.guid is None and guid and _guid_free(session, guid):
        code.guid = guid
    return changed


def find_again(
    session: Session, name: str, parent: Code | None, guid: str | None, *, by_guid: bool = True
) -> Code | None:
    """The code an incoming one is: same GUID, else same name (`name_key`) under `parent`."""
    if guid and by_guid:
        found = session.scalar(select(Code).where(Code.guid == guid).order_by(Code.id).limit(1))
        if found is not None:
            return found
    return sibling_named(session, name, parent)


def absorb_code(
    unit: WriteUnit,
    name: str,
    *,
    parent: Code | None = None,
    description: str | None = "",
    keywords: Sequence[str] = (),
    color: str | None = None,
    guid: str | None = None,
    by_guid: bool = True,
) -> Absorbed:
    """Find the incoming code again (`find_again`) and absorb it, or add it.

    `by_guid=False` is for `merge`, whose plan already matched GUIDs and let the user decide:
    a match the user declined is not made here behind their back.
    """
    session = unit.session
    code = find_again(session, name, parent, guid, by_guid=by_guid)
    if code is not None:
        changed = absorb_into(session, code, description=description, keywords=keywords, guid=guid)
        return Absorbed(code, created=False, changed=changed)
    free = _guid_free(session, guid)
    code = add_code(
        unit,
        name,
        parent=parent,
        description=(description or "").strip(),
        keywords=union_keywords([], keywords),
        color=color,
    )
    if free:
        code.guid = guid
    return Absorbed(code, created=True, changed=False)


def apply_code_rows(
    unit: WriteUnit, rows: Sequence[CodeRow], *, file: str | None = None
) -> tuple[int, int]:
    """Create or absorb codes from codebook file rows (parents may come after children).
    Returns (new, updated).

    A row's parent is found by the parent row's GUID (.qdc, renamed here or not), else by
    name or `A/B` path; a new code keeps the row's GUID, so exports give the other tool its
    own GUIDs back.
    """
    session = unit.session
    pending = list(rows)
    created = updated = 0
    names_in_file = {name_key(r.name) for r in rows}
    by_guid: dict[str, Code] = {}
    for row in rows:
        if (
            row.parent
            and name_key(row.parent.rsplit("/", 1)[-1]) not in names_in_file
            and find_code(session, row.parent) is None
        ):
            raise UserError(
                f"parent {row.parent!r} of {row.name!r} is not in the codebook",
                file=file,
                where=f"line {row.row}",
            )
    while pending:
        progressed = False
        for row in list(pending):
            parent = None
            if row.parent:
                parent = by_guid.get(row.parent_guid or "") or find_code(session, row.parent)
                if parent is None:
                    continue
            try:
                result = absorb_code(
                    unit,
                    row.name,
                    parent=parent,
                    description=row.description,
                    keywords=row.keywords,
                    color=row.color,
                    guid=row.guid,
                )
            except UserError as exc:
                if exc.file is not None:
                    raise
                raise UserError(
                    exc.message, file=file, where=f"line {row.row}" if row.row else None
                ) from exc
            created += result.created
            updated += result.changed
            if row.guid:
                by_guid[row.guid] = result.code
            pending.remove(row)
            progressed = True
        if not progressed:
            row = pending[0]
            raise UserError(
                f"parents form a cycle around {row.name!r}", file=file, where=f"line {row.row}"
            )
    return created, updated
