"""Turn a text file's bytes into one clean `str`, so every importer agrees on encodings and newlines."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lo_codebook.errors import UserError

MAX_TEXT_BYTES = 50 * 1024 * 1024
"""Largest text file (.txt/.md/.vtt/.srt/.csv) accepted; bigger ones are almost surely not a transcript."""

MAX_BINARY_BYTES = 200 * 1024 * 1024
"""Largest container file (.docx/.pdf/.xlsx) accepted."""

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


@dataclass(frozen=True)
class DecodedText:
    """Decoded, normalised text plus the encoding it was read with (to tell the user)."""

    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252" or "utf-8+cp1252" (mixed)


def normalise_text(text: str) -> str:
    """Apply the storage conventions: no BOM, `\\n` newlines, no NUL characters, NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def document_name(path: Path) -> str:
    """The default document name: the file stem, NFC (macOS hands out NFD file names)."""
    return unicodedata.normalize("NFC", path.stem)


def check_size(path: Path, limit: int) -> int:
    """Refuse a file bigger than `limit` bytes before reading it; returns its size."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError("file not found", file=path) from None
    except OSError as exc:
        raise UserError(f"cannot read file ({exc.strerror or exc})", file=path) from None
    if size > limit:
        raise UserError(
            f"file is too large ({size / 1_048_576:.1f} MB; the limit is {limit // 1_048_576} MB)",
            file=path,
        )
    return size


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """Read a whole file, turning OS errors into `UserError`."""
    check_size(path, limit)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError("file not found", file=path) from None
    except IsADirectoryError:
        raise UserError("is a folder, not a file", file=path) from None
    except OSError as exc:
        raise UserError(f"cannot read file ({exc.strerror or exc})", file=path) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess BOM-less UTF-16 from where the NUL bytes sit (ASCII-heavy text); None if it is not."""
    if len(data) < 2 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > half * 0.3 and even_nuls < half * 0.05:
        encoding = "utf-16-le"
    elif even_nuls > half * 0.3 and odd_nuls < half * 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_CP1252_BYTES = "lo_codebook_cp1252"
_NEWLINE = b"\n"


def _cp1252_byte(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read an invalid UTF-8 byte as cp1252 (latin-1 where cp1252 has none)."""
    assert isinstance(error, UnicodeDecodeError)
    byte = error.object[error.start : error.start + 1]
    try:
        return byte.decode("cp1252"), error.start + 1
    except UnicodeDecodeError:
        return byte.decode("latin-1"), error.start + 1


codecs.register_error(_CP1252_BYTES, _cp1252_byte)


def _mostly_utf8(data: bytes) -> bool:
    """True when valid UTF-8 sequences outnumber the invalid bytes (a mixed, not a cp1252, file)."""
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if not valid:
        return False
    invalid = data.decode("utf-8", errors="replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")
    return valid >= invalid


def _decode(data: bytes, file: str | Path | None) -> tuple[str, str]:
    """(text, encoding name) by BOM, NUL bytes (UTF-16), UTF-8, mixed UTF-8/cp1252, cp1252."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), name
            except UnicodeDecodeError as exc:
                raise UserError(
                    f"not valid {name.upper()} text (bad bytes at offset {exc.start + len(bom)})",
                    file=file,
                ) from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise UserError("binary file, not text", file=file)
        return text, "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):  # UTF-8 with a few stray cp1252 bytes (copy-paste from Word)
        return data.decode("utf-8", errors=_CP1252_BYTES), "utf-8+cp1252"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise UserError(
            f"not UTF-8 or cp1252 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8",
            file=file,
            where=f"line {data.count(_NEWLINE, 0, exc.start) + 1}",
        ) from None


def decode_bytes(data: bytes, file: str | Path | None = None) -> DecodedText:
    """Decode UTF-8 (BOM or not), UTF-16/32 with BOM, else cp1252; reject empty and binary data."""
    if len(data) > MAX_TEXT_BYTES:
        raise UserError(
            f"file is too large ({len(data) / 1_048_576:.1f} MB; "
            f"the limit is {MAX_TEXT_BYTES // 1_048_576} MB)",
            file=file,
        )
    if not data:
        raise UserError("file is empty", file=file)
    text, encoding = _decode(data, file)
    text = normalise_text(text)
    if not text.strip():
        raise UserError("file is empty", file=file)
    return DecodedText(text=text, encoding=encoding)


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> DecodedText:
    """Read and decode a text file with the rules of `decode_bytes`."""
    return decode_bytes(read_bytes(path, limit), file=path)
