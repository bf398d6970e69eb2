"""REFI-QDA project exchange (.qdpx): read any tool's export safely, write a valid one.

`read_qdpx` opens the archive with `safe_zip` (or an unpacked folder with its
.qde), parses ``project.qde`` (or the one ``*.qde`` at the root) with
`safe_xml`, resolves ``internal://`` texts case-insensitively in
``sources/``/``Sources/`` (inline ``PlainTextContent`` too; relative and
absolute paths outside the archive are refused), decodes them (UTF-8 with or
without BOM, UTF-16/32 by BOM), normalises them like every stored text (no BOM,
``\\n`` newlines, NFC) and converts selection offsets with the producing tool's
counting model; see `offsets` for how that model is detected (NVivo counts
UTF-16 units, ATLAS.ti counts CRLF as one, ...).

`write_qdpx` writes exactly ``project.qde`` + ``sources/<guid>.txt``, valid
against Project.xsd, with ``origin="lo-codebook <version>"`` so our own files
are read back with plain code-point offsets: ``read_qdpx(write_qdpx(p)) == p``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lo_codebook.interop.model import RefiProject
from lo_codebook.interop.project_reader import ProjectReader
from lo_codebook.interop.project_writer import ProjectWriter
from lo_codebook.interop.safe_xml import parse_xml
from lo_codebook.interop.safe_zip import DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMBERS
from lo_codebook.interop.stores import open_store
from lo_codebook.interop.writing import serialise
from lo_codebook.safe_output import atomic_output


def read_qdpx(
    path: str | Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_members: int = DEFAULT_MAX_MEMBERS,
) -> RefiProject:
    """Read a .qdpx archive (or a folder / .qde file with its ``sources/``).

    Raises UserError, naming the file, for anything unsafe or unreadable; what
    was readable but not imported is listed in the result's `warnings`.
    """
    store = open_store(path, max_bytes=max_bytes, max_members=max_members)
    try:
        member, data = store.project_xml()
        root = parse_xml(data, store.label, member)
        return ProjectReader(root, store, member).read()
    finally:
        store.close()


def project_xml(project: RefiProject) -> tuple[bytes, dict[str, bytes], list[str]]:
    """The ``project.qde`` bytes, the source files by archive path, and repair warnings."""
    writer = ProjectWriter(project)
    root = writer.build()
    return serialise(root), writer.files, writer.ctx.warnings


def write_qdpx(project: RefiProject, path: str | Path) -> list[str]:
    """Write `project` as a .qdpx; returns warnings about values that had to be repaired."""
    qde, files, warnings = project_xml(project)
    with (
        atomic_output(path) as handle,
        zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr("project.qde", qde)
        for name, data in files.items():
            archive.writestr(name, data)
    return warnings
