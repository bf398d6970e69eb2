"""Where a project's files come from: a .qdpx zip, or an unpacked folder with a .qde.

Both answer the same two questions (the project XML, and the bytes behind an
``internal://name``) without ever reaching outside the archive or folder:
REFI-QDA sources live in the ``sources/`` folder (``Sources/`` from NVivo), usually
flat; a relative path below it (qc copies its corpus folders) is followed one
checked step at a time, and anything absolute, with a drive, a ``..`` or a ``:``
is refused rather than resolved.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Protocol

from lo_codebook.errors import UserError
from lo_codebook.interop.safe_zip import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_MEMBERS,
    SafeZip,
    check_member_name,
)

SOURCES_DIR = "sources"


def is_flat_name(name: str) -> bool:
    """True for a plain file name: no folders, no ``..``, nothing absolute."""
    return bool(name) and check_member_name(name) is None and "/" not in name and "\\" not in name


def safe_relative(name: str) -> str | None:
    """`name` as a ``/``-separated path that stays below ``sources/``, or None when it could
    leave it: absolute, a drive letter, ``..``, ``:`` (schemes, Windows streams), empty parts."""
    if not name or check_member_name(name) is not None or ":" in name:
        return None
    parts = name.replace("\\", "/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    return "/".join(parts)


class ProjectStore(Protocol):
    """The files of one project, however packaged."""

    label: Path

    def project_xml(self) -> tuple[str, bytes]:
        """(name for messages, bytes) of the project XML."""
        ...

    def read_internal(self, name: str) -> bytes | None:
        """Bytes of ``internal://name``, or None when there is no such file."""
        ...

    def close(self) -> None:
        """Release the archive."""
        ...


class ZipStore:
    """A .qdpx archive, read through `SafeZip`."""

    def __init__(
        self,
        path: Path,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_members: int = DEFAULT_MAX_MEMBERS,
    ) -> None:
        self.label = path
        self.zip = SafeZip(path, max_bytes=max_bytes, max_members=max_members)
        self.prefix = ""
        self._by_basename: defaultdict[str, list[str]] | None = None
        self.qde = self._find_qde()

    def _find_qde(self) -> str:
        names = self.zip.names()
        top = sorted(n for n in names if "/" not in n and n.lower().endswith(".qde"))
        if not top:
            # Re-zipped by hand: everything inside one folder.
            nested = sorted(n for n in names if n.count("/") == 1 and n.lower().endswith(".qde"))
            folders = {n.split("/")[0] for n in nested}
            if len(folders) == 1:
                top = nested
                self.prefix = nested[0].split("/")[0] + "/"
        if not top:
            self.zip.close()
            raise UserError(
                "no project.qde in the archive; is this a REFI-QDA project?", self.label
            )
        for name in top:
            if name.lower().rsplit("/", 1)[-1] == "project.qde":
                return name
        return top[0]

    def project_xml(self) -> tuple[str, bytes]:
        return self.qde, self.zip.read(self.qde)

    def read_internal(self, name: str) -> bytes | None:
        rel = safe_relative(name)
        if rel is None:
            return None
        hit = self.zip.find(f"{self.prefix}{SOURCES_DIR}/{rel}", f"{self.prefix}{rel}")
        if hit is None and is_flat_name(rel):
            if self._by_basename is None:  # made once, on the first text not where it belongs
                self._by_basename = defaultdict(list)
                for member in self.zip.names():
                    self._by_basename[member.rsplit("/", 1)[-1].lower()].append(member)
            matches = self._by_basename.get(str(rel).lower(), [])
            if len(matches) == 1:
                hit = matches[0]
        return None if hit is None else self.zip.read(hit)

    def close(self) -> None:
        self.zip.close()


class FolderStore:
    """An unpacked project: a .qde file with its ``sources/`` folder beside it."""

    def __init__(self, qde: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.label = qde
        self.qde = qde
        self.budget = max_bytes
        self.max_bytes = max_bytes
        self.sources: Path | None = None
        for entry in sorted(qde.parent.iterdir()):
            if entry.name.lower() == SOURCES_DIR and entry.is_dir() and not entry.is_symlink():
                self.sources = entry
                break

    def _read(self, path: Path) -> bytes:
        size = path.stat().st_size
        self.budget -= size
        if self.budget < 0:
            raise UserError(
                f"the project is larger than {self.max_bytes // 1024**2} MB; refused", path
            )
        return path.read_bytes()

    def project_xml(self) -> tuple[str, bytes]:
        return self.qde.name, self._read(self.qde)

    def read_internal(self, name: str) -> bytes | None:
        rel = safe_relative(name)
        if self.sources is None or rel is None:
            return None
        root = self.sources.resolve()
        folder, parts = self.sources, rel.split("/")
        for depth, part in enumerate(parts):
            entry = next((e for e in folder.iterdir() if e.name.lower() == part.lower()), None)
            if entry is None or entry.is_symlink() or not entry.resolve().is_relative_to(root):
                return None
            if depth < len(parts) - 1:
                if not entry.is_dir():
                    return None
                folder = entry
            elif entry.is_file():
                return self._read(entry)
        return None

    def close(self) -> None:
        return None


def open_store(path: str | Path, max_bytes: int, max_members: int) -> ProjectStore:
    """A store for `path`: a .qde file or a folder holding one means unpacked, else a zip."""
    path = Path(path)
    if path.is_dir():
        qdes = sorted(p for p in path.iterdir() if p.suffix.lower() == ".qde" and p.is_file())
        preferred = [p for p in qdes if p.name.lower() == "project.qde"]
        if not qdes:
            raise UserError("no project.qde in this folder", path)
        return FolderStore((preferred or qdes)[0], max_bytes)
    if path.suffix.lower() == ".qde" and path.is_file():
        return FolderStore(path, max_bytes)
    return ZipStore(path, max_bytes, max_members)
