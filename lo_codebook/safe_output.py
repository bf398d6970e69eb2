"""What leaves the program is made safe here: spreadsheet cells, terminal text, export files.

Respondents, transcripts and file names put arbitrary text in our data. Three things can go
wrong when it leaves: a spreadsheet runs a cell as a formula (`=HYPERLINK(...)`), a terminal
obeys control characters (clear the screen, write the clipboard, reverse the text), or a
crash leaves a half-written export. One function each, used by every writer:

- `safe_cell` / `unescape_cell`: CSV and XLSX cells (OWASP CSV injection advice);
- `printable` / `terminal_json` / `check_name`: text shown in a terminal (CLI and TUI), JSON
  printed there, names that are created;
- `atomic_path` / `atomic_output`: every file the tool writes appears whole or not at all.

No database, no UI: the analysis, core, interop and UI layers all import this.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import stat
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from lo_codebook.errors import UserError

# ----------------------------------------------------------------------------- spreadsheet cells

#: A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice and
#: Google Sheets (OWASP "CSV Injection"): = + - @, tab and carriage return.
FORMULA_START = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")

T = TypeVar("T")


def _needs_quote(text: str) -> bool:
    """True for text a spreadsheet would run, and for text that only *looks* escaped.

    `'=x` (a name that really starts with a quote) is escaped too, as `''=x`, so that
    `unescape_cell(safe_cell(s)) == s` for every string: the codebook CSV round-trips.
    A plain number written as text (`-3`, `+31`, `-0,5`) is a number, not a formula.
    """
    bare = text.lstrip("'")
    if not bare or bare[0] not in FORMULA_START:
        return False
    return bare != text or not _NUMBER.fullmatch(text)


def safe_cell(value: T) -> T | str:
    """`value` for a CSV or XLSX cell: formula-leading text gets a leading `'`; numbers,
    None and other text are unchanged."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """`safe_cell` applied to each value of a row."""
    return [safe_cell(v) for v in values]


def unescape_cell(text: str) -> str:
    """Undo `safe_cell` on a cell read back from one of our files: exactly one leading `'`
    before a formula character goes (`'=x` -> `=x`, `''=x` -> `'=x`); the rest is kept."""
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


# ----------------------------------------------------------------------------- terminal text

#: Bidirectional controls: embeddings, overrides, isolates and marks (Trojan Source).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F or ch in BIDI_CONTROLS


def _display_table(keep: str, blank: str) -> dict[int, str]:
    """Each control character becomes ONE visible character, so text keeps its offsets:
    C0 controls their Control Pictures symbol (ESC -> ␛), DEL ␡, C1 and bidi controls U+FFFD."""
    table: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
    table[0x7F] = "\u2421"
    table.update({code: "\ufffd" for code in range(0x80, 0xA0)})
    table.update({ord(ch): "\ufffd" for ch in BIDI_CONTROLS})
    for ch in keep:
        table.pop(ord(ch), None)
    for ch in blank:
        table[ord(ch)] = " "
    return table


_MULTILINE = _display_table(keep="\n\t", blank="")
_ONE_LINE = _display_table(keep="", blank="\n\t")


def printable(text: str, *, newlines: bool = True) -> str:
    """`text` safe to show in a terminal: no control character reaches it.

    Escape sequences (colours, clear screen, OSC 52 clipboard writes), BEL, carriage returns
    and the other C0/C1 controls, and bidi overrides/isolates are each replaced by one visible
    character (the length, hence every offset into the text, stays the same). Newline and tab
    are kept, or with `newlines=False` (a table cell, a one-line label) become a space.
    """
    if text.isprintable():
        return text  # the common case: no control, format or line-separator character at all
    return text.translate(_MULTILINE if newlines else _ONE_LINE)


_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def terminal_json(text: str) -> str:
    """JSON text for a terminal: `json.dumps` escapes C0 controls itself but leaves DEL, C1
    and bidi controls raw; they become `\\uXXXX` escapes. The JSON value stays exactly the
    same (these characters can only occur inside JSON strings)."""
    return _JSON_RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def control_characters(text: str) -> list[str]:
    """The distinct control characters (C0, DEL, C1, bidi) in `text`, in order of appearance."""
    if text.isprintable():
        return []
    return list(dict.fromkeys(ch for ch in text if _is_control(ch)))


def without_controls(text: str) -> str:
    """`text` with every control character (C0, DEL, C1, bidi) left out: for names taken over
    from other programs' files, which are normalised rather than refused."""
    if text.isprintable():
        return text
    return "".join(ch for ch in text if not _is_control(ch))


def check_output_format(
    path: str | Path, formats: Iterable[str], what: str, use: str, where: str
) -> Path:
    """`path` as a Path if its suffix is one of `formats` (a UserError naming the file and the
    formats to `use` if not): checked before any work, so a typo costs nothing."""
    target = Path(path)
    if target.suffix.lower() not in formats:
        raise UserError(
            f"unknown {what} format {target.suffix or '(none)'!r}; use {use}",
            file=target,
            where=where,
        )
    return target


def check_name(
    name: str, what: str, *, file: str | Path | None = None, where: str | None = None
) -> str:
    """`name` unchanged, or a UserError when it holds a control character: names are shown in
    tables, terminals and other programs, and an invisible or terminal-controlling character
    in one is never what the user meant."""
    found = control_characters(name)
    if found:
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in found[:3])
        raise UserError(
            f"{what} {printable(name, newlines=False)!r} contains a control character ({codes}); "
            "use letters, digits, spaces and punctuation only",
            file=file,
            where=where,
        )
    return name


# ----------------------------------------------------------------------------- export files

TEMP_SUFFIX = ".partial"
#: The working copy a restore makes beside the project (never renamed; see `temp_file`).
RESTORE_SUFFIX = ".restore"
TEMP_SUFFIXES = (TEMP_SUFFIX, RESTORE_SUFFIX)
_SQLITE_COMPANIONS = ("-journal", "-wal", "-shm")
#: Temporary files whose writer cannot be asked (another machine, an older version) are only
#: removed once they are this old: no export runs that long.
STALE_SECONDS = 3600
_LEGACY_SUFFIXES = (".partial", ".restore", ".tmp")
#: Any of our temporary files in a folder, whatever its target: `.<stem>.<pid>-<host>.<random><suffix>`
#: plus a SQLite companion that a killed copy may leave (`-journal`, `-wal`, `-shm`).
TEMP_NAME = re.compile(
    r"^\.(?P<stem>.+)\.(?P<pid>\d+)-(?P<host>[0-9a-f]{8})\.[A-Za-z0-9_]+"
    r"(?P<suffix>\.partial|\.restore)(?P<companion>-journal|-wal|-shm)?$"
)


def _stem(name: str) -> str:
    """The name part of a temporary file, short enough for the file system (255 bytes)."""
    return name.encode("utf-8")[:180].decode("utf-8", "ignore")


def _host_tag() -> str:
    return f"{zlib.crc32(socket.gethostname().encode('utf-8', 'replace')):08x}"


def process_alive(pid: int) -> bool | None:
    """Is process `pid` of this machine still running? None: cannot tell (os.kill(pid, 0) is
    a probe on POSIX only, not on Windows)."""
    if os.name != "posix":
        return None
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _owner_alive(pid: int, host: str) -> bool | None:
    """Is the writer that made a temporary file still running? None: cannot tell."""
    return process_alive(pid) if host == _host_tag() else None


def _owned_temp(stem: str, name: str) -> tuple[int, str] | None | bool:
    """(pid, host) of one of our temporary files for `stem`; False: a legacy one without an
    owner (older versions); None: not ours."""
    prefix = f".{stem}."
    suffix = next((s for s in _LEGACY_SUFFIXES if name.endswith(s)), None)
    if not name.startswith(prefix) or suffix is None:
        return None
    middle = name[len(prefix) : -len(suffix)]
    match = re.fullmatch(r"(\d+)-([0-9a-f]{8})\.[A-Za-z0-9_]+", middle)
    if match and suffix in TEMP_SUFFIXES:
        return int(match.group(1)), match.group(2)
    if re.fullmatch(r"[A-Za-z0-9_-]+", middle):
        return False
    return None


def remove_stale_temps(target: str | Path, *, stem: str | None = None) -> list[Path]:
    """Remove the temporary files that killed writes of `target` left next to it.

    A temporary file is stale when the process that wrote it is gone (same machine), or,
    when that cannot be asked, once it is older than `STALE_SECONDS`. Files of writes still
    running, and anything that is not one of our temporary files, are left alone.
    """
    target = Path(target)
    folder = target.parent
    stem = _stem(stem or target.name)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        owner = _owned_temp(stem, entry.name)
        if owner is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            alive = None if owner is False else _owner_alive(*owner)  # type: ignore[misc]
            if alive is None:
                alive = now - entry.stat(follow_symlinks=False).st_mtime < STALE_SECONDS
            if not alive:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
                for companion in _SQLITE_COMPANIONS:  # a SQLite copy's (backups)
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path + companion)
        except OSError:
            continue  # another process cleaned it, or we may not: not our problem here
    return removed


def _umask() -> int:
    """The process umask, read without changing it where the system tells (threads: the UI)."""
    with contextlib.suppress(OSError, ValueError):
        for line in (
            Path("/proc/self/status").read_text(encoding="ascii", errors="replace").splitlines()
        ):
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    old = os.umask(0o022)
    os.umask(old)
    return old


def _file_mode(target: Path, mode: int | None) -> int:
    """Permissions for the finished file: `mode`, else those of the file it replaces, else
    what a plain `open(..., "w")` gives (temporary files start private, 0600)."""
    if mode is not None:
        return stat.S_IMODE(mode)
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def temp_file(target: str | Path, suffix: str = TEMP_SUFFIX, *, stem: str | None = None) -> Path:
    """Create (exclusively, private) an empty temporary file for `target` in its folder.

    The one naming scheme for every temporary file the tool makes (`TEMP_NAME`: it names this
    process and host), so the next run can tell a copy still being written from one a killed
    process left, and remove the latter (`remove_stale_temps`, `db.files.clean_leftovers`).
    Stale temporary files of the same target are removed first.
    """
    target = Path(target)
    if suffix not in TEMP_SUFFIXES:
        raise ValueError(f"temporary files end in one of {TEMP_SUFFIXES}")
    stem = _stem(stem or target.name)
    remove_stale_temps(target, stem=stem)
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{stem}.{os.getpid()}-{_host_tag()}.", suffix=suffix, dir=target.parent
        )
        os.close(handle)
    except OSError as exc:
        raise UserError(f"cannot write here ({exc.strerror or exc})", file=target) from None
    return Path(temp_name)


def temp_owner_gone(
    name: str, *, now: float, mtime: float, stale_after: float = STALE_SECONDS
) -> bool | None:
    """For a file name in `TEMP_NAME` form: has its writer gone (True), or is it still
    running or too young to tell (False)? None: not one of our temporary files."""
    match = TEMP_NAME.match(name)
    if match is None:
        return None
    alive = _owner_alive(int(match.group("pid")), match.group("host"))
    if alive is None:
        return now - mtime > stale_after
    return not alive


@contextlib.contextmanager
def atomic_path(
    path: str | Path, *, overwrite: bool = True, stem: str | None = None, mode: int | None = None
) -> Iterator[Path]:
    """A temporary file next to `path` (same folder, so the rename is atomic) to write to;
    when the block ends without an exception it becomes `path`, otherwise it is removed.

    A crash or kill mid-write therefore never leaves a truncated or empty `path`; the
    temporary files such kills leave behind (`.<name>.<pid>-<host>.<random>.partial`) are
    removed by the next write of the same target. `overwrite=False` refuses to replace an
    existing `path` (FileExistsError, also when it appears meanwhile). `stem` names the
    temporary files (default: the target's name), for targets named afresh each time. The
    file gets the permissions `mode`, else those of the file it replaces, else the usual ones.
    """
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise UserError("cannot write: its folder does not exist", file=target)
    if target.is_dir():
        raise UserError("cannot write: is a folder; give a file name", file=target)
    temp = temp_file(target, stem=stem)
    try:
        with contextlib.suppress(OSError):
            os.chmod(temp, _file_mode(target, mode))
        yield temp
        if overwrite:
            temp.replace(target)
        else:
            _publish_new(temp, target)
    except FileExistsError:
        raise
    except OSError as exc:
        raise UserError(f"cannot write ({exc.strerror or exc})", file=target) from None
    finally:
        for leftover in (temp, *(Path(f"{temp}{c}") for c in _SQLITE_COMPANIONS)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _publish_new(temp: Path, target: Path) -> None:
    """Give `temp` the name `target` without ever replacing an existing file."""
    try:
        os.link(temp, target)  # FileExistsError if `target` appeared meanwhile
    except FileExistsError:
        raise
    except OSError:  # file systems without hard links (FAT, some network shares)
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(temp, target)


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file handle whose content replaces `path` only once fully written."""
    with atomic_path(path) as temp, temp.open("wb") as handle:
        yield handle


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` atomically."""
    with atomic_output(path) as handle:
        handle.write(data)


def write_text(path: str | Path, text: str) -> None:
    """Write `text` to `path` atomically, UTF-8, newlines exactly as given."""
    write_bytes(path, text.encode("utf-8"))


__all__ = [
    "BIDI_CONTROLS",
    "FORMULA_START",
    "atomic_output",
    "atomic_path",
    "temp_file",
    "check_name",
    "control_characters",
    "printable",
    "remove_stale_temps",
    "safe_cell",
    "safe_row",
    "terminal_json",
    "unescape_cell",
    "without_controls",
    "write_bytes",
    "write_text",
]
