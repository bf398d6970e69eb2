"""Parse untrusted REFI-QDA XML without entity tricks, and read it whatever its namespace.

Project files come from other people's machines. The parser never resolves
entities, never loads a DTD, never touches the network and keeps libxml2's
size limits (``huge_tree=False``); on top of that any document that carries a
DOCTYPE is refused outright, as defusedxml does: REFI-QDA files never need one,
and refusing is simpler to reason about than defusing.

Element access is by local name, because real files use several namespace
spellings (``urn:QDA-XML:project:1.0``, ``urn:QDA-XML:codebook:1:0`` from NVivo
for Mac, ``urn:QDA-XML:codebook:0:4`` from ATLAS.ti, or none at all).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from lo_codebook.errors import UserError

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_PROLOG_SCAN = 1024 * 1024  # a prolog longer than this is itself suspicious

DTD_REFUSED = "XML with a DTD/entity declarations is refused"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _prolog_text(data: bytes) -> str:
    """The start of the document as text, whatever its encoding (markup is ASCII)."""
    head = data[: _PROLOG_SCAN * 4]
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="replace")
    if head[:2] == b"<\x00":
        return head.decode("utf-16-le", errors="replace")
    if head[:2] == b"\x00<":
        return head.decode("utf-16-be", errors="replace")
    return head.decode("latin-1")


def has_doctype(data: bytes) -> bool:
    """True when the prolog holds a ``<!DOCTYPE`` (or any other ``<!`` declaration).

    Only the prolog is scanned (XML declaration, comments, processing
    instructions, blanks), so a transcript quoting "<!DOCTYPE" in a CDATA
    section is not mistaken for one. Checked before parsing because libxml2
    expands entities inside attribute values even with entity resolution off.
    """
    text = _prolog_text(data)
    pos = 0
    while pos < len(text):
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            if end < 0:
                return False
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            if end < 0:
                return False
            pos = end + 3
        else:
            return text.startswith("<!", pos)
    return False


def parse_xml(data: bytes, file: str | Path, member: str | None = None) -> etree._Element:
    """Parse `data` and return the root element, or raise UserError.

    `file` (and `member`, the name inside an archive) only serve the message, which
    locates the problem as precisely as libxml2 reports it.
    """
    prefix = f"{member}, " if member else ""
    if has_doctype(data):
        raise UserError(DTD_REFUSED, file, member)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 0, 0)
        lines = (exc.msg or str(exc) or "syntax error").splitlines()
        message = re.sub(r",? line \d+, column \d+$", "", lines[0])
        raise UserError(
            f"malformed XML: {message}", file, f"{prefix}line {line}, column {column}"
        ) from None
    if root is None:
        raise UserError("malformed XML: empty document", file, member)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # belt and braces
        raise UserError(DTD_REFUSED, file, member)
    return root


def local_name(element: etree._Element) -> str:
    """The tag without its namespace ("" for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(element: etree._Element) -> str | None:
    """The namespace URI of `element`, or None."""
    tag = element.tag
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].partition("}")[0]
    return None


def children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """Direct children with local name `name`, in document order."""
    for child in element:
        if local_name(child) == name:
            yield child


def child(element: etree._Element, name: str) -> etree._Element | None:
    """The first direct child with local name `name`, or None."""
    return next(children(element, name), None)


def descendants(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """All descendants (not `element` itself) with local name `name`."""
    for node in element.iterdescendants():
        if local_name(node) == name:
            yield node


def text_of(element: etree._Element | None) -> str | None:
    """Element text NFC-normalised, or None when absent or blank."""
    if element is None:
        return None
    text = "".join(element.itertext())
    if not text.strip():
        return None
    return unicodedata.normalize("NFC", text)


def child_text(element: etree._Element, name: str) -> str | None:
    """Text of the first child called `name` (see `text_of`)."""
    return text_of(child(element, name))


def attr(element: etree._Element, name: str) -> str | None:
    """An attribute NFC-normalised, or None; attributes are matched without namespace."""
    value = element.get(name)
    if value is None:
        for key, val in element.attrib.items():
            if key.rpartition("}")[2] == name:
                value = val
                break
    if value is None:
        return None
    return unicodedata.normalize("NFC", value)
