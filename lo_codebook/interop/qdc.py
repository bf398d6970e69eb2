"""REFI-QDA codebooks (.qdc): read leniently from any tool, write strictly to Codebook.xsd.

Also home of the code-tree reading/writing that project files (.qdpx) share,
since a project's ``<CodeBook>`` holds the same ``<Codes>`` tree.

Lenient on import: any namespace spelling, an empty ``<Sets/>`` (Taguette), a
missing ``isCodable`` (taken as true), ``#abc`` colours, braces or upper case in
GUIDs, a Project file instead of a codebook. Codebook ``<Sets>`` (ATLAS.ti code
groups, MAXQDA/NVivo sets) are read by `read_codebook`; `read_qdc` returns the codes
only and warns about the sets it leaves out.

Strict on export: ``<Codes>`` with at least one code, children in schema
order (Description before nested Codes), no empty containers, valid GUIDs and
colours only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from lxml import etree

from lo_codebook.errors import UserError
from lo_codebook.interop.context import ReadContext
from lo_codebook.interop.model import RefiCode, RefiCodebook, RefiSet
from lo_codebook.interop.safe_xml import attr, child, child_text, children, local_name, parse_xml
from lo_codebook.interop.writing import ORIGIN, WriteContext, element, serialise
from lo_codebook.interop.xsdtypes import normalise_color, parse_bool
from lo_codebook.safe_output import write_bytes
from lo_codebook.words import plural

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
DEFAULT_MAX_QDC_BYTES = 256 * 1024**2


def read_code(el: etree._Element, ctx: ReadContext) -> RefiCode:
    """One ``<Code>`` element and its nested codes."""
    name = attr(el, "name")
    guid = ctx.guid(attr(el, "guid"), "code", name or "")
    if not name or not name.strip():
        ctx.tally("code without a name, called '(unnamed code)'")
        name = "(unnamed code)"
    raw_color = attr(el, "color")
    color = normalise_color(raw_color)
    if raw_color and color is None:
        ctx.tally("code colour that is not #rrggbb, dropped")
    codable = parse_bool(attr(el, "isCodable"), default=True)
    code = RefiCode(
        guid=guid,
        name=name,
        color=color,
        description=child_text(el, "Description"),
        is_codable=bool(codable),
    )
    code.children = [read_code(sub, ctx) for sub in children(el, "Code")]
    names = [c.name for c in code.children]
    if len(set(names)) != len(names):
        ctx.warn(f"code '{name}' has children with the same name")
    return code


def read_codes(container: etree._Element | None, ctx: ReadContext) -> list[RefiCode]:
    """The code tree under a ``<CodeBook>`` (or its ``<Codes>``); empty when absent."""
    if container is None:
        return []
    codes_el = container if local_name(container) == "Codes" else child(container, "Codes")
    if codes_el is None:
        return []
    codes = [read_code(el, ctx) for el in children(codes_el, "Code")]
    names = [c.name for c in codes]
    if len(set(names)) != len(names):
        ctx.warn("top-level codes with the same name")
    return codes


def read_sets(
    container: etree._Element | None, ctx: ReadContext, known: dict[str, set[str]]
) -> list[RefiSet]:
    """The ``<Set>`` elements under `container` (a ``<Sets>``), members checked against `known`.

    `known` maps "code"/"source" to the GUIDs read. Members are ``MemberCode``/``MemberSource``
    with ``guid=`` (codebook) or ``targetGUID=`` (project); either spelling is accepted.
    """
    if container is None:
        return []
    sets: list[RefiSet] = []
    for el in children(container, "Set"):
        name = (attr(el, "name") or "").strip()
        guid = ctx.guid(attr(el, "guid"), "set", name)
        name = name or f"set {guid[:8]}"
        members: dict[str, list[str]] = {"code": [], "source": []}
        for kind, tag in (("code", "MemberCode"), ("source", "MemberSource")):
            for member in children(el, tag):
                ref = ctx.ref(attr(member, "targetGUID") or attr(member, "guid"))
                if ref is None or ref not in known.get(kind, set()):
                    ctx.tally(f"set member that is not a {kind} in the file, left out")
                elif ref not in members[kind]:
                    members[kind].append(ref)
        if any(True for _ in children(el, "MemberNote")):
            ctx.tally("note in a set, left out of the set")
        sets.append(
            RefiSet(
                guid=guid,
                name=name,
                description=child_text(el, "Description"),
                code_guids=members["code"],
                source_guids=members["source"],
            )
        )
    return sets


def read_codebook(
    path: str | Path, warnings: list[str] | None = None, max_bytes: int = DEFAULT_MAX_QDC_BYTES
) -> RefiCodebook:
    """Read a REFI-QDA codebook file: codes and sets; what was skipped is appended to `warnings`."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UserError(
                f"codebook file is larger than {max_bytes // 1024**2} MB; refused", path
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError("file not found", path) from None
    except IsADirectoryError:
        raise UserError("is a folder, not a .qdc file", path) from None
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror or exc}", path) from None
    root = parse_xml(data, path)
    ctx = ReadContext(path)
    kind = local_name(root)
    if kind == "Project":
        codebook = child(root, "CodeBook")
        sets_el = child(root, "Sets")
    elif kind == "CodeBook":
        codebook = root
        sets_el = child(root, "Sets")
    else:
        raise UserError(f"not a REFI-QDA codebook (root element is <{kind}>)", path)
    codes = read_codes(codebook, ctx)
    if not codes:
        ctx.warn("the codebook holds no codes")
    code_guids = {code.guid for top in codes for code in top.walk()}
    sets = read_sets(sets_el, ctx, {"code": code_guids})
    if kind == "Project":  # a project's sets may hold sources: keep the codes of sets only
        sets = [s for s in sets if s.code_guids]
    if warnings is not None:
        warnings.extend(ctx.flush())
    return RefiCodebook(codes, sets)


def read_qdc(
    path: str | Path, warnings: list[str] | None = None, max_bytes: int = DEFAULT_MAX_QDC_BYTES
) -> list[RefiCode]:
    """The code tree of a REFI-QDA codebook file (see `read_codebook` for its sets too)."""
    book = read_codebook(path, warnings, max_bytes)
    if book.sets and warnings is not None:
        warnings.append(
            f"{plural(len(book.sets), 'code set')} not imported (only the code tree was read)"
        )
    return book.codes


def write_code(
    parent: etree._Element,
    ns: str,
    code: RefiCode,
    ctx: WriteContext,
    after_description: Callable[[etree._Element, RefiCode], None] | None = None,
) -> None:
    """Append ``<Code>`` for `code` and its children; `after_description` adds NoteRefs."""
    color = normalise_color(code.color)
    if code.color and color is None:
        ctx.tally("code colour that is not #rrggbb, left out")
    el = element(
        parent,
        ns,
        "Code",
        guid=ctx.own(code.guid),
        name=ctx.text(code.name),
        isCodable="true" if code.is_codable else "false",
        color=color,
    )
    if code.description:
        element(el, ns, "Description").text = ctx.text(code.description)
    if after_description is not None:
        after_description(el, code)
    for sub in code.children:
        write_code(el, ns, sub, ctx, after_description)


def write_sets(
    parent: etree._Element, ns: str, sets: Sequence[RefiSet], ctx: WriteContext, *, project: bool
) -> None:
    """Append ``<Sets>`` (only when there is a set): codebook members use ``guid=``, project
    members ``targetGUID=`` (and may be sources)."""
    if not sets:
        return
    member_attr = "targetGUID" if project else "guid"
    container = element(parent, ns, "Sets")
    for item in sets:
        el = element(container, ns, "Set", guid=ctx.own(item.guid), name=ctx.text(item.name))
        if item.description:
            element(el, ns, "Description").text = ctx.text(item.description)
        for guid in dict.fromkeys(item.code_guids):
            element(el, ns, "MemberCode", **{member_attr: ctx.guid(guid)})
        for guid in dict.fromkeys(item.source_guids) if project else ():
            element(el, ns, "MemberSource", **{member_attr: ctx.guid(guid)})


def write_qdc(
    codes: Sequence[RefiCode], path: str | Path, sets: Sequence[RefiSet] = ()
) -> list[str]:
    """Write `codes` (and `sets`) as a Codebook.xsd-valid .qdc; returns warnings about repairs.

    Set members that are not codes of `codes` are left out (and counted).
    """
    if not codes:
        raise UserError("the codebook is empty; a .qdc file needs at least one code", path)
    ctx = WriteContext()
    root = element(None, CODEBOOK_NS, "CodeBook", origin=ORIGIN)
    codes_el = element(root, CODEBOOK_NS, "Codes")
    for code in codes:
        write_code(codes_el, CODEBOOK_NS, code, ctx)
    known = {code.guid for top in codes for code in top.walk()}
    kept: list[RefiSet] = []
    for item in sets:
        members = [guid for guid in item.code_guids if guid in known]
        if len(members) != len(item.code_guids):
            ctx.tally("set member that is not a code of the codebook, left out")
        kept.append(RefiSet(item.guid, item.name, item.description, members))
    write_sets(root, CODEBOOK_NS, kept, ctx, project=False)
    write_bytes(path, serialise(root))
    return ctx.warnings
