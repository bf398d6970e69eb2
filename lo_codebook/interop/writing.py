"""Shared helpers for writing REFI-QDA files that validate (written with `safe_output.atomic_output`).

Our data may hold things the schemas cannot (a GUID typed by hand, a control
character pasted from Word); the writer repairs them deterministically and
reports it, rather than producing a file other tools reject.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from lo_codebook import __version__
from lo_codebook.interop.model import derived_guid, is_guid, normalise_guid
from lo_codebook.interop.xsdtypes import xml_safe

ORIGIN = f"lo-codebook {__version__}"


class WriteContext:
    """Makes values schema-valid and counts each kind of repair for one warning line."""

    def __init__(self) -> None:
        self._tallies: Counter[str] = Counter()
        self._owned: set[str] = set()

    def tally(self, message: str) -> None:
        """Count one repair of kind `message`."""
        self._tallies[message] += 1

    @property
    def warnings(self) -> list[str]:
        """One line per kind of repair, with its count."""
        return [f"{n} × {message}" for message, n in self._tallies.items()]

    def guid(self, value: str) -> str:
        """`value` normalised when it is a valid GUID, else a stable GUID derived from it."""
        guid = normalise_guid(value)
        if is_guid(guid):
            return guid
        self.tally("invalid GUID replaced by a derived one")
        return derived_guid("invalid", value)

    def own(self, value: str) -> str:
        """The GUID to write on an object's own element: unique within the file.

        A second object with the same GUID (say, two documents imported from
        files that reused one) gets a derived GUID instead of making the file
        ambiguous; references to that GUID keep pointing at the first object.
        """
        guid = self.guid(value)
        if guid in self._owned:
            self.tally("GUID used by two objects; the second one got a new GUID")
            n = 2
            while guid in self._owned:
                guid = derived_guid("duplicate", self.guid(value), str(n))
                n += 1
        self._owned.add(guid)
        return guid

    def text(self, value: str) -> str:
        """`value` with characters XML cannot carry replaced by U+FFFD."""
        cleaned, changed = xml_safe(value)
        if changed:
            self.tally("text with characters XML cannot hold (replaced by U+FFFD)")
        return cleaned


def element(
    parent: etree._Element | None, ns: str, tag: str, **attrs: str | None
) -> etree._Element:
    """Create `{ns}tag` (under `parent` when given) with the non-None attributes."""
    clean = {key: value for key, value in attrs.items() if value is not None}
    if parent is None:
        return etree.Element(f"{{{ns}}}{tag}", clean, nsmap={None: ns})
    return etree.SubElement(parent, f"{{{ns}}}{tag}", clean)


def serialise(root: etree._Element) -> bytes:
    """UTF-8 XML with declaration, indented for humans."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
