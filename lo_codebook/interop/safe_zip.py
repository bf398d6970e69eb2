"""Open a .qdpx archive without trusting it: no zip slip, no zip bomb, nothing written to disk.

A .qdpx is a zip of ``project.qde`` plus a ``sources/`` folder. Members are
never extracted: the few we need (the project XML and the plain-text sources it
names) are read into memory on demand. Even so, every member name is checked up
front, because a file that *contains* ``../evil.txt`` or ``/etc/passwd`` was
made to attack some unzipper and deserves a clear refusal, not silence.

Size is bounded twice: the sizes the headers claim (cheap, catches honest
bombs before any work) and the bytes actually decompressed (catches headers
that lie). The member count is bounded too.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from lo_codebook.errors import UserError

DEFAULT_MAX_BYTES = 2 * 1024**3
DEFAULT_MAX_MEMBERS = 100_000
_CHUNK = 1024 * 1024
_DRIVE_RE = re.compile(r"^[A-Za-z]:")


def _mb(n: int) -> str:
    """A byte count for messages: "2 GB", "1 MB"."""
    if n >= 1024**3:
        return f"{n / 1024**3:g} GB"
    return f"{n / 1024**2:g} MB"


def check_member_name(name: str) -> str | None:
    """Why `name` is unsafe as an archive member path, or None when it is fine."""
    if "\x00" in name:
        return "has a NUL byte in its name"
    if name.startswith(("/", "\\")):
        return "has an absolute path"
    if _DRIVE_RE.match(name):
        return "has a drive letter"
    parts = re.split(r"[/\\]", name)
    if any(part == ".." for part in parts):
        return "leaves the archive (..)"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)


class SafeZip:
    """A checked, read-only view of a zip archive's members (by name, in memory).

    Use as a context manager. `read` enforces the byte budget across all reads.
    """

    def __init__(
        self,
        path: str | Path,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_members: int = DEFAULT_MAX_MEMBERS,
    ) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.budget = max_bytes
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise UserError("file not found", self.path) from None
        except IsADirectoryError:
            raise UserError("is a folder, not a .qdpx file", self.path) from None
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            ValueError,
            EOFError,
            NotImplementedError,
        ):
            raise UserError("not a .qdpx file (not a valid zip archive)", self.path) from None
        try:
            self._check_members(max_members)
        except BaseException:
            self._zip.close()
            raise

    def _check_members(self, max_members: int) -> None:
        infos = self._zip.infolist()
        if len(infos) > max_members:
            raise UserError(
                f"the archive has {len(infos)} members, more than the {max_members} allowed",
                self.path,
            )
        seen: set[str] = set()
        claimed = 0
        self._files: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            problem = check_member_name(name)
            if problem is None and _is_symlink(info):
                problem = "is a symbolic link"
            if problem is None and info.flag_bits & 0x1:
                problem = "is encrypted"
            if problem is not None:
                raise UserError(
                    f"unsafe archive member refused: {problem}", self.path, f"member {name!r}"
                )
            key = name.replace("\\", "/").lower()
            if key in seen:
                raise UserError(
                    "the archive holds this member twice", self.path, f"member {name!r}"
                )
            seen.add(key)
            if info.is_dir():
                continue
            claimed += info.file_size
            if claimed > self.max_bytes:
                raise UserError(
                    f"the archive unpacks to more than {_mb(self.max_bytes)} (zip bomb?); refused",
                    self.path,
                    f"member {name!r}",
                )
            self._files[name.replace("\\", "/")] = info
        # Made once: a lookup per source must not rebuild it (quadratic in sources).
        self._lowered = {name.lower(): name for name in self._files}

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying archive."""
        self._zip.close()

    def names(self) -> list[str]:
        """Member file names (``/`` separated), directories left out."""
        return list(self._files)

    def find(self, *candidates: str) -> str | None:
        """The member whose path equals one of `candidates` ignoring case, first match wins."""
        for candidate in candidates:
            hit = self._lowered.get(candidate.lower())
            if hit is not None:
                return hit
        return None

    def read(self, name: str) -> bytes:
        """The member's bytes; counts what is really decompressed against the budget."""
        info = self._files[name]
        chunks: list[bytes] = []
        try:
            with self._zip.open(info) as handle:
                while True:
                    chunk = handle.read(_CHUNK)
                    if not chunk:
                        break
                    self.budget -= len(chunk)
                    if self.budget < 0:
                        raise UserError(
                            f"the archive unpacks to more than {_mb(self.max_bytes)} (zip bomb?); refused",
                            self.path,
                            f"member {name!r}",
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise UserError(
                f"damaged archive member ({reason})", self.path, f"member {name!r}"
            ) from None
        return b"".join(chunks)


def safe_relative(name: str) -> PurePosixPath | None:
    """`name` as a relative POSIX path if it stays inside its folder, else None."""
    if check_member_name(name) is not None or not name.strip():
        return None
    return PurePosixPath(name.replace("\\", "/"))
