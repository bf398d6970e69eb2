"""A corpus of bad input for every command that reads a file, and nonsense option values.

Every case is generated in tmp_path and run through the real entry point against a seeded
SQLite project. A case that must be refused exits 1 with one line on stderr that names the
file (or the option) and, where there is one, the place; no traceback; the project is byte
for byte what it was (`iterdump`), and no file appears anywhere (not next to the input, not
in the working folder). Some inputs are odd but legitimate (UTF-16 without a BOM, a 5 MB
line): those may be imported, but must not crash, hang, or import something wrong.

The hypothesis tests at the end fuzz the text importers through `parse_file` (real files)
and the survey reader: only `UserError` may escape, and offsets stay inside the text.
"""

from __future__ import annotations

import contextlib
import io
import signal
import sqlite3
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lo_codebook.errors import UserError

from .conftest import SAMPLE, run_cli
from .helpers import dump

SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"
INTERVIEW = SAMPLE / "interviews" / "interview_01_lindewaard.txt"
BIG = 5 * 1024 * 1024  # "a huge line": 5 MB on one line
CASE_SECONDS = 90  # a case that takes longer than this is a hang


# ============================================================================ file makers


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def binary_bytes() -> bytes:
    return bytes(range(256)) * 40 + b"\x00\x01\x02\xff" * 500


def docx_bytes(paragraphs: list[str] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in (
        paragraphs
        if paragraphs is not None
        else [
            "Interviewer: Hoe gaat het met het L&O-aanbod?",
            "Respondent: Goed, we werken aan vitaliteit en leiderschap.",
            "Interviewer: Dank u.",
            "Respondent: Graag gedaan.",
        ]
    ):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]] | None = None) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        rows
        if rows is not None
        else [["id", "antwoord"], ["X1", "Meer vitaliteit"], ["X2", "Leiderschap"]]
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf_string(text: str) -> bytes:
    out = bytearray()
    for byte in text.encode("cp1252"):
        char = bytes([byte])
        if char in b"()\\":
            out += b"\\" + char
        elif byte > 126:
            out += f"\\{byte:03o}".encode()
        else:
            out += char
    return bytes(out)


def pdf_bytes(pages: list[list[str]] | None = None, *, kids_loop: bool = False) -> bytes:
    """A small PDF with a Helvetica text layer (or a page tree that points at itself)."""
    pages = (
        pages
        if pages is not None
        else [
            [
                "Interviewer: Wat zijn belangrijke thema's?",
                "Respondent: Vitaliteit en duurzame inzet.",
            ],
            ["Interviewer: En verder?", "Respondent: Leiderschap, zeker in het sociaal domein."],
        ]
    )
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    page_ids = [3 + 2 * i for i in range(len(pages))]
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    if kids_loop:
        kids = "2 0 R " + kids
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font_id = 3 + 2 * len(pages)
    for lines in pages:
        stream = b"BT /F1 12 Tf 72 720 Td 14 TL\n"
        for line in lines:
            stream += b"(" + _pdf_string(line) + b") Tj T*\n"
        stream += b"ET"
        content_id = len(objects) + 2
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def qdpx_bytes(tmp: Path) -> bytes:
    from lo_codebook.interop import RefiCode, RefiProject, RefiSource, write_qdpx
    from lo_codebook.interop.model import new_guid

    path = tmp / ".maker.qdpx"
    project = RefiProject(
        name="atlas",
        codes=[RefiCode(guid=new_guid(), name="Vitaliteit")],
        sources=[
            RefiSource(
                guid=new_guid(),
                name="bron",
                text="Interviewer: Vraag?\nRespondent: Vitaliteit is belangrijk.",
            )
        ],
    )
    write_qdpx(project, path)
    data = path.read_bytes()
    path.unlink()
    return data


def qdc_bytes(tmp: Path) -> bytes:
    from lo_codebook.interop import RefiCode, write_qdc
    from lo_codebook.interop.model import new_guid

    path = tmp / ".maker.qdc"
    write_qdc(
        [
            RefiCode(guid=new_guid(), name="Vitaliteit"),
            RefiCode(guid=new_guid(), name="Leiderschap"),
        ],
        path,
    )
    data = path.read_bytes()
    path.unlink()
    return data


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, new: bytes) -> bytes:
    """The zip `data` with member `name` (case-insensitive) replaced by `new`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {info.filename: source.read(info) for info in source.infolist()}
    source.close()
    key = next(n for n in members if n.lower() == name.lower())
    members[key] = new
    return zip_bytes(members)


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        key = next(n for n in archive.namelist() if n.lower() == name.lower())
        return archive.read(key)


def bomb_zip(
    names: list[str], big_name: str, size: int = 300 * 1024 * 1024, claimed: int | None = None
) -> bytes:
    """A zip whose member `big_name` inflates to `size` bytes of spaces (a few hundred KB
    packed); its headers claim `claimed` bytes (default: the truth)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b" " * (1024 * 1024)
    packed = (
        b"".join(compressor.compress(block) for _ in range(size // len(block))) + compressor.flush()
    )
    crc = 0
    for _ in range(size // len(block)):
        crc = zlib.crc32(block, crc)
    entries: list[tuple[str, bytes, tuple[int, int] | None]] = [(n, b"<x/>", None) for n in names]
    entries.append((big_name, packed, (crc, claimed if claimed is not None else size)))
    local = bytearray()
    central = bytearray()
    for name, data, info in entries:
        encoded = name.encode()
        if info is None:
            crc_value, raw_size, method, payload = zlib.crc32(data), len(data), 0, data
        else:
            crc_value, raw_size, method, payload = info[0], info[1], 8, data
        offset = len(local)
        local += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0,
            method,
            0,
            0,
            crc_value,
            len(payload),
            raw_size,
            len(encoded),
            0,
        )
        local += encoded + payload
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            method,
            0,
            0,
            crc_value,
            len(payload),
            raw_size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(local), 0
    )
    return bytes(local + central + end)


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def xxe_header(root: str) -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> '
        f'<!ENTITY net SYSTEM "http://127.0.0.1:9/evil.dtd"> ]>\n'
    )


def with_doctype(xml: bytes, doctype: str, entity_ref: str) -> bytes:
    """Put `doctype` after the XML declaration and `entity_ref` into the first text/attribute."""
    text = xml.decode("utf-8")
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :].lstrip()
    text = doctype.split("\n", 1)[1] + text if doctype.startswith("<?xml") else doctype + text
    text = text.replace('name="Vitaliteit"', f'name="Vitaliteit {entity_ref}"', 1)
    return ('<?xml version="1.0"?>\n' + text).encode("utf-8")


def _without_declaration(xml: bytes) -> str:
    text = xml.decode("utf-8")
    return text.split("?>", 1)[1].lstrip() if text.startswith("<?xml") else text


def zip_needs_version(data: bytes, version: int = 64) -> bytes:
    """The zip `data` claiming it needs zip version 6.4 to extract (as newer tools write)."""
    out = bytearray(data)
    index = 0
    while (index := out.find(b"PK\x01\x02", index)) != -1:
        out[index + 6 : index + 8] = struct.pack("<H", version)
        index += 4
    return bytes(out)


def zip_method(data: bytes, method: int = 99) -> bytes:
    """The zip `data` with every member claiming compression `method` (99: WinZip AES)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        index = 0
        while (index := out.find(signature, index)) != -1:
            out[index + offset : index + offset + 2] = struct.pack("<H", method)
            index += 4
    return bytes(out)


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


# ============================================================================ the corpus


@dataclass(frozen=True)
class Case:
    """`make(tmp)` writes the input files and returns the command's arguments.

    `needles`: what the error line must say (file names are checked automatically).
    `may_succeed`: a legitimate but odd input; success is fine (then `check` runs on the
    project) but a refusal must still be clean.
    `needs`: a command (or `codebook import .qdc` support) that may not exist yet.
    """

    make: Callable[[Path], list[str | Path]]
    needles: tuple[str, ...] = ()
    may_succeed: bool = False
    check: Callable[[Path], None] | None = None
    needs: str | None = None
    option: bool = False
    wrong: tuple[str, ...] = ()  # what the error line must NOT say (a misleading reason)


def put(tmp: Path, name: str, data: bytes | str) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def sparse(tmp: Path, name: str, size: int) -> Path:
    path = tmp / name
    with path.open("wb") as handle:
        handle.write(b"Interviewer: hallo\n")
        handle.truncate(size)
    return path


def imp(
    name: str, data: Callable[[Path], bytes | str] | bytes | str
) -> Callable[[Path], list[str | Path]]:
    return lambda t: ["import", put(t, name, data(t) if callable(data) else data)]


def survey(
    name: str, data: Callable[[Path], bytes | str] | bytes | str, *extra: str
) -> Callable[[Path], list[str | Path]]:
    def make(t: Path) -> list[str | Path]:
        path = put(t, name, data(t) if callable(data) else data)
        return ["import-survey", path, "--id-col", "id", "--text-col", "antwoord", *extra]

    return make


def codings(data: bytes | str) -> Callable[[Path], list[str | Path]]:
    return lambda t: ["import-codings", put(t, "codings.csv", data), "--coder", "bram"]


def codebook(
    name: str, data: Callable[[Path], bytes | str] | bytes | str
) -> Callable[[Path], list[str | Path]]:
    return lambda t: ["codebook", "import", put(t, name, data(t) if callable(data) else data)]


def qdpx(name: str, data: Callable[[Path], bytes]) -> Callable[[Path], list[str | Path]]:
    return lambda t: ["import-qdpx", put(t, name, data(t))]


def names_csv(data: bytes | str) -> Callable[[Path], list[str | Path]]:
    return lambda t: ["names", "import", put(t, "namen.csv", data)]


def opt(*args: str) -> Callable[[Path], list[str | Path]]:
    return lambda t: list(args)


def _db_query(db: Path, query: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def imported(
    name: str, contains: str | None = None, length: int | None = None
) -> Callable[[Path], None]:
    def check(db: Path) -> None:
        rows = _db_query(db, f"SELECT text FROM document WHERE name = '{name}'")
        assert len(rows) == 1, f"document {name!r} was not imported"
        if contains is not None:
            assert contains in rows[0][0]
        if length is not None:
            assert len(rows[0][0]) >= length

    return check


def no_secrets(db: Path) -> None:
    """Whatever an XML trick imported, it is not the content of a local file."""
    for (text,) in _db_query(db, "SELECT text FROM document") + _db_query(
        db, "SELECT name || ' ' || description FROM code"
    ):
        assert "root:" not in (text or "") and "lollollol" not in (text or "")


TURNS = "Interviewer: Hoe gaat het?\n\nRespondent: Goed, met veel aandacht voor vitaliteit.\n"
VTT_OK = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Anna>Hallo allemaal.</v>\n\n00:00:05.000 --> 00:00:08.000\n<v Bram>Goedemorgen.</v>\n"
SRT_OK = "1\n00:00:01,000 --> 00:00:04,000\nAnna: Hallo allemaal.\n\n2\n00:00:05,000 --> 00:00:08,000\nBram: Goedemorgen.\n"
HUGE_TEXT = "Respondent: " + ("vitaliteit en leiderschap " * (BIG // 26 + 1))[:BIG] + "\n"

CASES: dict[str, Case] = {
    # ---------------------------------------------------------------- import: .txt / .md
    "txt empty": Case(imp("leeg.txt", b""), ("empty",)),
    "txt only blanks": Case(imp("blanco.txt", b" \n\t\r\n \n"), ("empty",)),
    "txt binary": Case(imp("data.txt", binary_bytes()), ("binary",)),
    "txt is a png": Case(imp("foto.txt", png_bytes())),
    "txt is a docx": Case(imp("verkeerd.txt", lambda t: docx_bytes())),
    "txt utf-16 without bom": Case(
        imp("utf16.txt", TURNS.encode("utf-16-le")),
        may_succeed=True,
        check=imported("utf16", "vitaliteit"),
    ),
    "txt utf-16 big-endian without bom": Case(
        imp("utf16be.txt", TURNS.encode("utf-16-be")),
        may_succeed=True,
        check=imported("utf16be", "vitaliteit"),
    ),
    "txt utf-16 odd length": Case(
        imp("utf16odd.txt", TURNS.encode("utf-16-le") + b"\x00"), may_succeed=True
    ),
    "txt latin-1": Case(
        imp("latin1.txt", "Respondent: Café, één, reïntegratie\n".encode("latin-1")),
        may_succeed=True,
        check=imported("latin1", "Café"),
    ),
    "txt utf-8 bom with latin-1 bytes": Case(
        imp("gemengd.txt", b"\xef\xbb\xbfRespondent: caf\xe9 \xe9\xe9n\n"), ("offset",)
    ),
    "txt bytes neither utf-8 nor cp1252": Case(
        imp("onleesbaar.txt", b"Respondent: \x81\x8d\x8f\x90\x9d klaar\n"), ("offset",)
    ),
    "txt huge line": Case(
        imp("lang.txt", HUGE_TEXT), may_succeed=True, check=imported("lang", length=BIG)
    ),
    "txt too large": Case(
        lambda t: ["import", sparse(t, "enorm.txt", 60 * 1024 * 1024)], ("too large",)
    ),
    "txt nul bytes inside": Case(
        imp("nul.txt", ("Respondent: hallo\x00 wereld " * 200).encode()), may_succeed=True
    ),
    "txt lone surrogate bytes": Case(
        imp("surrogaat.txt", b"Respondent: \xed\xa0\x80 hallo\n"), may_succeed=True
    ),
    "txt only labels": Case(imp("labels.txt", "I:\nR:\nI:\nR:\n"), may_succeed=True),
    "md empty": Case(imp("leeg.md", b""), ("empty",)),
    "md binary": Case(imp("data.md", binary_bytes()), ("binary",)),
    "md huge line": Case(
        imp("lang.md", "# Interview\n\n" + HUGE_TEXT),
        may_succeed=True,
        check=imported("lang", length=BIG),
    ),
    "md only headings": Case(imp("koppen.md", "# Kop\n\n## Nog een kop\n"), may_succeed=True),
    "folder without supported files": Case(
        lambda t: ["import", put(t, "map/notities.rtf", "x").parent], ("no supported files",)
    ),
    "empty folder": Case(
        lambda t: ["import", (t / "leeg").mkdir() or t / "leeg"], ("no supported files",)
    ),
    # ---------------------------------------------------------------- import: .docx
    "docx empty": Case(imp("leeg.docx", b"")),
    "docx truncated": Case(imp("half.docx", lambda t: truncated(docx_bytes()))),
    "docx is a png": Case(imp("foto.docx", png_bytes())),
    "docx is a zip of something else": Case(
        imp("archief.docx", zip_bytes({"readme.txt": b"hallo"}))
    ),
    "docx is an xlsx": Case(imp("sheet.docx", lambda t: xlsx_bytes())),
    "docx without text": Case(imp("leeg_document.docx", lambda t: docx_bytes([]))),
    "docx zip bomb": Case(
        imp("bom.docx", lambda t: bomb_zip(["[Content_Types].xml"], "word/document.xml"))
    ),
    "docx billion laughs": Case(
        imp(
            "lachen.docx",
            lambda t: replace_member(
                docx_bytes(),
                "word/document.xml",
                (
                    BILLION_LAUGHS
                    + _without_declaration(member(docx_bytes(), "word/document.xml")).replace(
                        "Goed, we", "&lol9; we", 1
                    )
                ).encode(),
            ),
        ),
        may_succeed=True,
        check=no_secrets,
    ),
    "docx external entity": Case(
        imp(
            "xxe.docx",
            lambda t: replace_member(
                docx_bytes(),
                "word/document.xml",
                (
                    xxe_header("w:document")
                    + _without_declaration(member(docx_bytes(), "word/document.xml")).replace(
                        "Goed, we", "&xxe; we", 1
                    )
                ).encode(),
            ),
        ),
        may_succeed=True,
        check=no_secrets,
    ),
    "docx needs a newer zip version": Case(
        imp("nieuw.docx", lambda t: zip_needs_version(docx_bytes()))
    ),
    "docx unsupported compression": Case(imp("aes.docx", lambda t: zip_method(docx_bytes()))),
    "docx huge paragraph": Case(
        imp("lang.docx", lambda t: docx_bytes(["Respondent: " + "vitaliteit " * (BIG // 11)])),
        may_succeed=True,
        check=imported("lang", length=BIG - 20),
    ),
    # ---------------------------------------------------------------- import: .pdf
    "pdf empty": Case(imp("leeg.pdf", b"")),
    "pdf truncated": Case(imp("half.pdf", truncated(pdf_bytes()))),
    "pdf is a png": Case(imp("foto.pdf", png_bytes())),
    "pdf is text": Case(imp("tekst.pdf", "%PDF-1.4\nDit is geen pdf, maar tekst.\n")),
    "pdf without text layer": Case(imp("scan.pdf", pdf_bytes([[]])), ("no text",)),
    "pdf page tree loop": Case(imp("lus.pdf", pdf_bytes(kids_loop=True)), may_succeed=True),
    "pdf garbage after header": Case(imp("rommel.pdf", b"%PDF-1.7\n" + binary_bytes())),
    # ---------------------------------------------------------------- import: .vtt
    "vtt empty": Case(imp("leeg.vtt", b""), ("empty",)),
    "vtt binary": Case(imp("data.vtt", binary_bytes())),
    "vtt only header": Case(imp("kop.vtt", "WEBVTT\n")),
    "vtt no header": Case(imp("geenkop.vtt", VTT_OK.replace("WEBVTT\n\n", "")), may_succeed=True),
    "vtt bad timestamp": Case(
        imp("tijd.vtt", "WEBVTT\n\n00:00:xx.000 --> 00:00:02.000\n<v A>hallo</v>\n"), ("line 3",)
    ),
    "vtt minutes out of range": Case(
        imp("minuut.vtt", "WEBVTT\n\n00:75:01.000 --> 00:76:02.000\n<v A>hallo</v>\n"), ("line 3",)
    ),
    "vtt end before start": Case(
        imp("omgekeerd.vtt", "WEBVTT\n\n00:00:09.000 --> 00:00:02.000\n<v A>hallo</v>\n"),
        ("line 3",),
    ),
    "vtt missing arrow": Case(
        imp("pijl.vtt", "WEBVTT\n\n00:00:01.000 00:00:02.000\n<v A>hallo</v>\n"), may_succeed=True
    ),
    "vtt huge line": Case(
        imp(
            "lang.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Anna>" + HUGE_TEXT.strip() + "</v>\n",
        ),
        may_succeed=True,
        check=imported("lang", length=BIG - 20),
    ),
    "vtt utf-16 without bom": Case(
        imp("utf16.vtt", VTT_OK.encode("utf-16-le")),
        may_succeed=True,
        check=imported("utf16", "Goedemorgen"),
    ),
    "vtt latin-1": Case(
        imp("latin1.vtt", VTT_OK.replace("Hallo", "Café").encode("latin-1")),
        may_succeed=True,
        check=imported("latin1", "Café"),
    ),
    "vtt unclosed voice tag": Case(
        imp("stem.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna hallo\n"),
        may_succeed=True,
    ),
    # ---------------------------------------------------------------- import: .srt
    "srt empty": Case(imp("leeg.srt", b""), ("empty",)),
    "srt binary": Case(imp("data.srt", binary_bytes())),
    "srt only text": Case(imp("tekst.srt", "Dit is gewoon tekst zonder tijden.\n")),
    "srt bad timestamp": Case(
        imp("tijd.srt", "1\n00:00:01,000 --> 00:0x:02,000\nAnna: hallo\n"), ("line 2",)
    ),
    "srt end before start": Case(
        imp("omgekeerd.srt", "1\n00:00:09,000 --> 00:00:01,000\nAnna: hallo\n"), ("line 2",)
    ),
    "srt no index numbers": Case(
        imp("zonder.srt", SRT_OK.replace("1\n", "", 1).replace("2\n", "", 1)), may_succeed=True
    ),
    "srt no blank lines": Case(imp("dicht.srt", SRT_OK.replace("\n\n", "\n")), may_succeed=True),
    "srt huge line": Case(
        imp("lang.srt", "1\n00:00:01,000 --> 00:00:04,000\n" + HUGE_TEXT),
        may_succeed=True,
        check=imported("lang", length=BIG),
    ),
    "srt utf-16 without bom": Case(
        imp("utf16.srt", SRT_OK.encode("utf-16-le")),
        may_succeed=True,
        check=imported("utf16", "Goedemorgen"),
    ),
    # ---------------------------------------------------------------- import-survey: .csv / .tsv
    "csv empty": Case(survey("leeg.csv", b""), ("empty",)),
    "csv only a header": Case(survey("kop.csv", "id,antwoord\n")),
    "csv only a header, bom and crlf": Case(survey("kop2.csv", "\ufeffid;antwoord\r\n\r\n")),
    "csv qualtrics header rows only": Case(
        lambda t: [
            "import-survey",
            put(
                t,
                "qualtrics.csv",
                "".join(SURVEY.read_text(encoding="utf-8-sig").splitlines(keepends=True)[:3]),
            ),
            "--id-col",
            "ResponseId",
            "--text-col",
            "Q4",
        ]
    ),
    "csv fewer fields than the header": Case(
        survey("kort.csv", "id,antwoord,extra\nX1,a,b\nX2,b\n"), ("line 3",)
    ),
    "csv unterminated quote late": Case(
        survey("quote.csv", 'id,antwoord\nX1,a\nX2,b\nX3,c\nX4,"open\nX5,e\n'), ("line 5",)
    ),
    "csv missing id column": Case(survey("geenid.csv", "respondent,antwoord\nX1,a\n"), ("'id'",)),
    "csv missing attribute column": Case(
        survey("attr.csv", "id,antwoord\nX1,a\n", "--attr-col", "grootte"), ("grootte",)
    ),
    "csv duplicate ids after whitespace": Case(
        survey("dubbel.csv", "id,antwoord\nX1 ,a\nX2,b\n X1,c\n"), ("X1", "line 4")
    ),
    "csv empty id": Case(survey("leegid.csv", "id,antwoord\nX1,a\n,b\n"), ("line 3",)),
    "csv duplicate header column": Case(
        survey("kolom.csv", "id,antwoord,antwoord\nX1,a,b\n"), ("more than once",)
    ),
    "csv binary": Case(survey("data.csv", binary_bytes())),
    "csv utf-16 without bom": Case(
        survey("utf16.csv", "id,antwoord\nX1,Meer vitaliteit\n".encode("utf-16-le")),
        may_succeed=True,
        check=imported("X1", "vitaliteit"),
    ),
    "csv utf-8 bom with latin-1 bytes": Case(
        survey("gemengd.csv", b"\xef\xbb\xbfid,antwoord\nX1,caf\xe9\n"), ("offset",)
    ),
    "csv huge cell": Case(
        survey("lang.csv", "id,antwoord\nX1," + HUGE_TEXT.strip().replace(",", " ") + "\n"),
        may_succeed=True,
        check=imported("X1", length=BIG),
    ),
    "csv huge quoted cell": Case(
        survey("langq.csv", 'id,antwoord\nX1,"' + HUGE_TEXT.strip() + '"\n'),
        may_succeed=True,
        check=imported("X1", length=BIG),
    ),
    "csv 200 KB answer without quotes": Case(
        survey("lang_antwoord.csv", "id,antwoord\nX1," + "woorden " * 25_000 + "\n"),
        may_succeed=True,
        wrong=("quote",),
        check=imported("X1", length=190_000),
    ),
    "csv quote inside a field": Case(
        survey("aanhalingsteken.csv", 'id,antwoord\nX1,zo"n antwoord\n'), may_succeed=True
    ),
    "csv nul bytes": Case(survey("nul.csv", b"id,antwoord\nX1,a\x00b\n"), may_succeed=True),
    "xls extension": Case(
        survey("oud.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)), (".xls",)
    ),
    "tsv ragged": Case(survey("tab.tsv", "id\tantwoord\nX1\ta\tb\tc\n"), ("line 2",)),
    "survey unsupported extension": Case(survey("export.json", '{"id": 1}'), ("unsupported",)),
    # ---------------------------------------------------------------- import-survey: .xlsx
    "xlsx empty": Case(survey("leeg.xlsx", b"")),
    "xlsx truncated": Case(survey("half.xlsx", lambda t: truncated(xlsx_bytes()))),
    "xlsx is a png": Case(survey("foto.xlsx", png_bytes())),
    "xlsx is a docx": Case(survey("woord.xlsx", lambda t: docx_bytes())),
    "xlsx only a header": Case(survey("kop.xlsx", lambda t: xlsx_bytes([["id", "antwoord"]]))),
    "xlsx empty sheet": Case(survey("blanco.xlsx", lambda t: xlsx_bytes([])), ("empty",)),
    "xlsx duplicate ids": Case(
        survey("dubbel.xlsx", lambda t: xlsx_bytes([["id", "antwoord"], ["X1", "a"], ["X1", "b"]])),
        ("X1", "row 3"),
    ),
    "xlsx missing column": Case(
        lambda t: [
            "import-survey",
            put(t, "kolom.xlsx", xlsx_bytes()),
            "--id-col",
            "id",
            "--text-col",
            "Q9",
        ],
        ("Q9",),
    ),
    "xlsx zip bomb": Case(
        survey("bom.xlsx", lambda t: bomb_zip(["[Content_Types].xml"], "xl/sharedStrings.xml"))
    ),
    "xlsx zip bomb with a lying header": Case(
        survey(
            "leugen.xlsx",
            lambda t: bomb_zip(
                ["[Content_Types].xml", "xl/workbook.xml"], "xl/sharedStrings.xml", claimed=1000
            ),
        )
    ),
    "xlsx needs a newer zip version": Case(
        survey("nieuw.xlsx", lambda t: zip_needs_version(xlsx_bytes()))
    ),
    "xlsx unsupported compression": Case(survey("aes.xlsx", lambda t: zip_method(xlsx_bytes()))),
    "xlsx billion laughs": Case(
        survey(
            "lachen.xlsx",
            lambda t: replace_member(
                xlsx_bytes(),
                "xl/worksheets/sheet1.xml",
                (
                    BILLION_LAUGHS
                    + _without_declaration(
                        member(xlsx_bytes(), "xl/worksheets/sheet1.xml")
                    ).replace("<sheetData>", "<sheetData><!-- &lol9; -->", 1)
                ).encode(),
            ),
        ),
        may_succeed=True,
        check=no_secrets,
    ),
    # ---------------------------------------------------------------- import-codings
    "codings empty": Case(codings(b""), ("empty",)),
    "codings only a header": Case(codings("document,code\n"), may_succeed=True),
    "codings missing code column": Case(
        codings("document,thema\ninterview_01_lindewaard,Leiderschap\n"), ("line 1",)
    ),
    "codings start not a number": Case(
        codings("document,code,start,end\ninterview_01_lindewaard,Leiderschap,begin,10\n"),
        ("line 2",),
    ),
    "codings end before start": Case(
        codings("document,code,start,end\ninterview_01_lindewaard,Leiderschap,50,10\n"), ("line 2",)
    ),
    "codings negative start": Case(
        codings("document,code,start,end\ninterview_01_lindewaard,Leiderschap,-5,10\n"), ("line 2",)
    ),
    "codings fewer fields": Case(
        codings("document,code,start,end\ninterview_01_lindewaard,Leiderschap,0\n"), ("line 2",)
    ),
    "codings unterminated quote": Case(
        codings(
            'document,code\ninterview_01_lindewaard,"Leiderschap\ninterview_01_lindewaard,Integriteit\ninterview_01_lindewaard,Samenwerken\n'
        ),
        ("line 2",),
    ),
    "codings binary": Case(codings(binary_bytes())),
    "codings huge line": Case(
        codings("document,code\n" + "x" * BIG + ",Leiderschap\n"), ("line 2",)
    ),
    "codings empty code": Case(codings("document,code\ninterview_01_lindewaard,\n"), ("line 2",)),
    "codings bad row after good rows": Case(
        codings(
            "document,code\ninterview_01_lindewaard,Leiderschap\ninterview_01_lindewaard,Onbekend\n"
        ),
        ("line 3",),
    ),
    # ---------------------------------------------------------------- codebook import: .csv
    "codebook empty": Case(codebook("leeg.csv", b""), ("empty",)),
    "codebook only a header": Case(
        codebook("kop.csv", "name,parent,description,keywords\n"), ("no codes",)
    ),
    "codebook parent cycle": Case(
        codebook("cyclus.csv", "name,parent,description,keywords\nA,B,,\nB,A,,\n"), ("cycle",)
    ),
    "codebook own parent": Case(codebook("zelf.csv", "name,parent,description,keywords\nA,A,,\n")),
    "codebook slash in a name": Case(
        codebook("slash.csv", "name,parent,description,keywords\nA/B,,,\n"), ("line 2",)
    ),
    "codebook empty name": Case(
        codebook("leegnaam.csv", "name,parent,description,keywords\n,,iets,\n"), ("line 2",)
    ),
    "codebook ragged row": Case(
        codebook("rafel.csv", "name,parent,description,keywords\nA,,x,y,z\n"), ("line 2",)
    ),
    "codebook unterminated quote": Case(
        codebook("quote.csv", 'name,parent,description,keywords\nA,,"open\n'), ("line 2",)
    ),
    "codebook binary": Case(codebook("data.csv", binary_bytes())),
    "codebook huge description": Case(
        codebook(
            "lang.csv", "name,parent,description,keywords\nA,," + "heel lang " * (BIG // 10) + ",\n"
        ),
        may_succeed=True,
    ),
    "codebook name too long": Case(
        codebook("naam.csv", "name,parent,description,keywords\n" + "A" * 1000 + ",,,\n"),
        ("line 2",),
    ),
    "codebook duplicate sibling rows": Case(
        codebook("dubbel.csv", "name,parent,description,keywords\nNieuw,,,a\nnieuw,,,b\n"),
        ("line 3",),
        may_succeed=True,
    ),
    "codebook wrong extension": Case(codebook("codes.txt", "name\nA\n"), (".csv",)),
    "codebook is an xlsx": Case(
        codebook("codes.xlsx", lambda t: xlsx_bytes([["name"], ["A"]])), (".csv",)
    ),
    # ---------------------------------------------------------------- codebook import: .qdc
    "qdc empty": Case(codebook("leeg.qdc", b""), needs="qdc"),
    "qdc binary": Case(codebook("data.qdc", binary_bytes()), needs="qdc"),
    "qdc not xml": Case(codebook("tekst.qdc", "name,parent\nA,\n"), needs="qdc"),
    "qdc truncated": Case(codebook("half.qdc", lambda t: truncated(qdc_bytes(t))), needs="qdc"),
    "qdc with a dtd": Case(
        codebook(
            "dtd.qdc",
            lambda t: with_doctype(
                qdc_bytes(t), '<!DOCTYPE CodeBook [ <!ENTITY x "y"> ]>\n', "&x;"
            ),
        ),
        ("dtd",),
        needs="qdc",
    ),
    "qdc external entity": Case(
        codebook("xxe.qdc", lambda t: with_doctype(qdc_bytes(t), xxe_header("CodeBook"), "&xxe;")),
        needs="qdc",
    ),
    "qdc billion laughs": Case(
        codebook("lachen.qdc", lambda t: with_doctype(qdc_bytes(t), BILLION_LAUGHS, "&lol9;")),
        needs="qdc",
    ),
    "qdc wrong root": Case(
        codebook("html.qdc", "<?xml version='1.0'?><html><body>hallo</body></html>"), needs="qdc"
    ),
    "qdc no codes": Case(
        codebook(
            "geen.qdc",
            "<?xml version='1.0'?><CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes/></CodeBook>",
        ),
        needs="qdc",
    ),
    "qdc utf-16 without bom": Case(
        codebook(
            "utf16.qdc",
            lambda t: qdc_bytes(t).decode().replace("utf-8", "utf-16").encode("utf-16-le"),
        ),
        may_succeed=True,
        needs="qdc",
    ),
    # ---------------------------------------------------------------- import-qdpx
    "qdpx empty": Case(qdpx("leeg.qdpx", lambda t: b""), needs="import-qdpx"),
    "qdpx text": Case(qdpx("tekst.qdpx", lambda t: b"dit is geen zip\n"), needs="import-qdpx"),
    "qdpx is a png": Case(qdpx("foto.qdpx", lambda t: png_bytes()), needs="import-qdpx"),
    "qdpx truncated": Case(
        qdpx("half.qdpx", lambda t: truncated(qdpx_bytes(t))), needs="import-qdpx"
    ),
    "qdpx zip slip": Case(
        qdpx(
            "slip.qdpx",
            lambda t: zip_bytes(
                {"project.qde": member(qdpx_bytes(t), "project.qde"), "../../buiten.txt": b"x"}
            ),
        ),
        ("..",),
        needs="import-qdpx",
    ),
    "qdpx absolute member": Case(
        qdpx(
            "abs.qdpx",
            lambda t: zip_bytes(
                {"project.qde": member(qdpx_bytes(t), "project.qde"), "/tmp/lo_evil.txt": b"x"}
            ),
        ),
        ("absolute",),
        needs="import-qdpx",
    ),
    "qdpx zip bomb": Case(
        qdpx("bom.qdpx", lambda t: bomb_zip([], "project.qde", 8 * 1024**2, claimed=3 * 1024**3)),
        ("zip bomb",),
        needs="import-qdpx",
    ),
    "qdpx needs a newer zip version": Case(
        qdpx("nieuw.qdpx", lambda t: zip_needs_version(qdpx_bytes(t))), needs="import-qdpx"
    ),
    "qdpx unsupported compression": Case(
        qdpx("aes.qdpx", lambda t: zip_method(qdpx_bytes(t))), needs="import-qdpx"
    ),
    "qdpx without project.qde": Case(
        qdpx("leeg_archief.qdpx", lambda t: zip_bytes({"sources/a.txt": b"x"})), needs="import-qdpx"
    ),
    "qdpx dtd in project.qde": Case(
        qdpx(
            "dtd.qdpx",
            lambda t: replace_member(
                qdpx_bytes(t),
                "project.qde",
                with_doctype(
                    member(qdpx_bytes(t), "project.qde"),
                    '<!DOCTYPE Project [ <!ENTITY x "y"> ]>\n',
                    "&x;",
                ),
            ),
        ),
        ("dtd",),
        needs="import-qdpx",
    ),
    "qdpx external entity": Case(
        qdpx(
            "xxe.qdpx",
            lambda t: replace_member(
                qdpx_bytes(t),
                "project.qde",
                with_doctype(member(qdpx_bytes(t), "project.qde"), xxe_header("Project"), "&xxe;"),
            ),
        ),
        needs="import-qdpx",
    ),
    "qdpx billion laughs": Case(
        qdpx(
            "lachen.qdpx",
            lambda t: replace_member(
                qdpx_bytes(t),
                "project.qde",
                with_doctype(member(qdpx_bytes(t), "project.qde"), BILLION_LAUGHS, "&lol9;"),
            ),
        ),
        needs="import-qdpx",
    ),
    "qdpx project.qde not xml": Case(
        qdpx(
            "kapot.qdpx",
            lambda t: replace_member(qdpx_bytes(t), "project.qde", b"<Project><Sources>"),
        ),
        needs="import-qdpx",
    ),
    "qdpx source text missing": Case(
        qdpx(
            "bron.qdpx", lambda t: zip_bytes({"project.qde": member(qdpx_bytes(t), "project.qde")})
        ),
        may_succeed=True,
        needs="import-qdpx",
    ),
    # ---------------------------------------------------------------- merges
    "merge-project text file": Case(
        lambda t: ["merge-project", put(t, "bram.db", "geen database\n" * 50)],
        needs="merge-project",
    ),
    "merge-project missing": Case(
        lambda t: ["merge-project", t / "bestaat_niet.db"], needs="merge-project"
    ),
    "merge-project other application": Case(
        lambda t: ["merge-project", _other_app_db(t)], needs="merge-project"
    ),
    "merge-project truncated": Case(
        lambda t: ["merge-project", put(t, "half.db", truncated(_project_bytes(t)))],
        needs="merge-project",
    ),
    "merge-project png": Case(
        lambda t: ["merge-project", put(t, "foto.db", png_bytes())], needs="merge-project"
    ),
    "merge-codebook binary csv": Case(
        lambda t: ["merge-codebook", put(t, "codes.csv", binary_bytes())], needs="merge-codebook"
    ),
    "merge-codebook empty qdc": Case(
        lambda t: ["merge-codebook", put(t, "codes.qdc", b"")], needs="merge-codebook"
    ),
    "merge-codebook qdc with a dtd": Case(
        lambda t: [
            "merge-codebook",
            put(
                t,
                "dtd.qdc",
                with_doctype(qdc_bytes(t), '<!DOCTYPE CodeBook [ <!ENTITY x "y"> ]>\n', "&x;"),
            ),
        ],
        ("dtd",),
        needs="merge-codebook",
    ),
    "merge-codebook --auto 500": Case(
        lambda t: ["merge-codebook", SAMPLE / "codebook.csv", "--auto", "500"],
        ("--auto", "500"),
        needs="merge-codebook",
        option=True,
    ),
    # ---------------------------------------------------------------- names import (pseudonyms)
    "names empty": Case(names_csv(b""), ("empty",)),
    "names only a header": Case(names_csv("name,pseudonym\n"), ("only a header",)),
    "names without a name column": Case(names_csv("persoon,alias\nMarieke,A\n"), ("line 1",)),
    "names listed twice": Case(
        names_csv("name,pseudonym\nMarieke de Vries,A\nmarieke de vries,B\n"), ("line 3",)
    ),
    "names binary": Case(names_csv(binary_bytes())),
    "names unterminated quote": Case(names_csv('name,pseudonym\n"Marieke,A\n'), ("line 2",)),
    "names too long": Case(names_csv("name,pseudonym\n" + "M" * BIG + ",A\n"), ("line 2",)),
    "names ragged": Case(names_csv("name,pseudonym\nMarieke,A,extra\n"), ("line 2",)),
    "names pseudonym is a listed name": Case(
        names_csv("name,pseudonym\nMarieke de Vries,Jan Bakker\nJan Bakker,B\n"), ("line 2",)
    ),
    # ---------------------------------------------------------------- --db that is not a project
    "db is a png": Case(lambda t: ["--db", put(t, "foto.db", png_bytes()), "status"], ("foto.db",)),
    "db truncated project": Case(
        lambda t: ["--db", put(t, "half.db", truncated(_project_bytes(t))), "status"], ("half.db",)
    ),
    "db in a missing folder": Case(
        lambda t: ["--db", t / "nergens" / "p.db", "status"], ("nergens",)
    ),
    # ---------------------------------------------------------------- nonsense options
    "themes --above -1": Case(opt("themes", "--above", "-1"), ("--above",), option=True),
    "themes --above 1.5": Case(opt("themes", "--above", "1.5"), ("--above",), option=True),
    "themes --unit banana": Case(
        opt("themes", "--unit", "banana"), ("--unit", "banana"), option=True
    ),
    "themes --format xml": Case(opt("themes", "--format", "xml"), ("--format", "xml"), option=True),
    "themes --level banana": Case(opt("themes", "--level", "banana"), ("--level",), option=True),
    "themes --coder nobody": Case(opt("themes", "--coder", "nobody"), ("nobody",), option=True),
    "themes --by unknown attribute": Case(
        opt("themes", "--by", "schoenmaat"), ("schoenmaat",), option=True
    ),
    "themes --format xlsx without -o": Case(
        opt("themes", "--format", "xlsx"), ("xlsx",), option=True
    ),
    "themes --chart gif": Case(
        lambda t: ["themes", "--chart", t / "grafiek.gif"], ("grafiek.gif",)
    ),
    "themes -o in a missing folder": Case(
        lambda t: ["themes", "--format", "csv", "-o", t / "nergens" / "t.csv"], ("nergens",)
    ),
    "suggest --min-score 500": Case(
        opt("suggest", "--min-score", "500"), ("--min-score", "500"), option=True
    ),
    "suggest --min-score minus-one": Case(
        opt("suggest", "--min-score", "minus-one"), ("--min-score",), option=True
    ),
    "suggest --span banana": Case(opt("suggest", "--span", "banana"), ("--span",), option=True),
    "suggest --document unknown": Case(
        opt("suggest", "--document", "bestaat-niet"), ("bestaat-niet",), option=True
    ),
    "suggestions --status maybe": Case(
        opt("suggestions", "--status", "maybe"), ("--status",), option=True
    ),
    "suggestions --code unknown": Case(
        opt("suggestions", "--code", "Onbekend"), ("Onbekend",), option=True
    ),
    "suggestions --min-score -1": Case(
        opt("suggestions", "--min-score", "-1"), ("--min-score",), option=True
    ),
    "accept --min-score 101": Case(
        opt("accept", "--min-score", "101"), ("--min-score",), option=True
    ),
    "accept --code unknown": Case(opt("accept", "--code", "Onbekend"), ("Onbekend",), option=True),
    "reject --code unknown": Case(opt("reject", "--code", "Onbekend"), ("Onbekend",), option=True),
    "log --limit 0": Case(opt("log", "--limit", "0"), ("--limit",), option=True),
    "log --limit many": Case(opt("log", "--limit", "veel"), ("--limit",), option=True),
    "undo --entry abc": Case(opt("undo", "--entry", "abc"), ("--entry",), option=True),
    "undo --entry unknown": Case(opt("undo", "--entry", "99999"), ("99999",), option=True),
    "documents --format xml": Case(opt("documents", "--format", "xml"), ("--format",), option=True),
    "status --format yaml": Case(opt("status", "--format", "yaml"), ("--format",), option=True),
    "codebook export .docx": Case(
        lambda t: ["codebook", "export", t / "codes.docx"], ("codes.docx",)
    ),
    "codebook export missing folder": Case(
        lambda t: ["codebook", "export", t / "nergens" / "codes.csv"], ("nergens",)
    ),
    "import --attr without key": Case(
        lambda t: ["import", put(t, "a.txt", TURNS), "--attr", "=waarde"],
        ("KEY=VALUE",),
        option=True,
    ),
    "import-survey --attr-col without name": Case(
        survey("attrnaam.csv", "id,antwoord,Q2\nX1,a,b\n", "--attr-col", "Q2="),
        ("Q2=",),
        option=True,
    ),
    "import-survey without --text-col": Case(
        lambda t: ["import-survey", put(t, "s.csv", "id,antwoord\nX1,a\n"), "--id-col", "id"],
        ("--text-col",),
        option=True,
    ),
    "import-codings without --coder": Case(
        lambda t: ["import-codings", put(t, "c.csv", "document,code\n")], ("--coder",), option=True
    ),
    "agreement --coders a,b": Case(
        opt("agreement", "--coders", "a,b"), ("'a'",), needs="agreement", option=True
    ),
    "agreement --coders one": Case(
        opt("agreement", "--coders", "anna"), ("--coders",), needs="agreement", option=True
    ),
    "agreement --coders same twice": Case(
        opt("agreement", "--coders", "tester,tester"), ("--coders",), needs="agreement", option=True
    ),
    "agreement --unit banana": Case(
        opt("agreement", "--coders", "a,b", "--unit", "banana"),
        ("--unit",),
        needs="agreement",
        option=True,
    ),
    "export-quotes .pdf": Case(lambda t: ["export-quotes", t / "citaten.pdf"], ("citaten.pdf",)),
    "export-quotes --code unknown": Case(
        lambda t: ["export-quotes", t / "c.csv", "--code", "Onbekend"], ("Onbekend",), option=True
    ),
    "export-quotes --coder nobody": Case(
        lambda t: ["export-quotes", t / "c.csv", "--coder", "nobody"], ("nobody",), option=True
    ),
    "export-quotes --pseudonymise with no names": Case(
        lambda t: ["export-quotes", t / "c.csv", "--pseudonymise"], ("--pseudonymise",), option=True
    ),
    "names add empty": Case(opt("names", "add", "  "), ("empty",), option=True),
    "names remove unknown": Case(
        opt("names", "remove", "Niemand Anders"), ("Niemand Anders",), option=True
    ),
    "unknown command": Case(opt("frobnicate"), ("frobnicate",), option=True),
    "unknown global option": Case(opt("--verbose", "status"), ("--verbose",), option=True),
}


def _other_app_db(tmp: Path) -> Path:
    path = tmp / "klanten.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE klanten (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    return path


_PROJECT_BYTES: dict[str, bytes] = {}


def _project_bytes(tmp: Path) -> bytes:
    """The seeded project as one standalone file (no -wal), made once."""
    if "seed" not in _PROJECT_BYTES:
        raise RuntimeError("seed not built")
    return _PROJECT_BYTES["seed"]


# ============================================================================ running a case


def tree(root: Path) -> set[str]:
    """Every path under `root`, minus the live project's -wal/-shm companions."""
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if not (p.name.startswith("cli.db") and p.name != "cli.db")
    }


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def on_alarm(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"hung for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded project (codebook, survey, interview, a coding) copied for every case."""
    folder = tmp_path_factory.mktemp("seed")
    env = {"LO_CODEBOOK_DB": str(folder / "seed.db"), "LO_CODEBOOK_CODER": "tester"}
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env).code == 0
    assert (
        run_cli(
            "import-survey",
            SURVEY,
            "--id-col",
            "ResponseId",
            "--text-col",
            "Q4",
            "--attr-col",
            "Q2=size_class",
            env=env,
        ).code
        == 0
    )
    assert run_cli("import", INTERVIEW, env=env).code == 0
    path = folder / "codings.csv"
    path.write_text(
        "document,code,start,end\ninterview_01_lindewaard,Leiderschap,0,40\n", encoding="utf-8"
    )
    assert run_cli("import-codings", path, "--coder", "tester", env=env).code == 0
    standalone = folder / "standalone.db"
    source = sqlite3.connect(env["LO_CODEBOOK_DB"])
    target = sqlite3.connect(standalone)
    source.backup(target)
    target.execute("PRAGMA journal_mode=DELETE")
    source.close()
    target.close()
    _PROJECT_BYTES["seed"] = standalone.read_bytes()
    return standalone


def _available(needs: str | None) -> str | None:
    """Why a case cannot run yet, or None."""
    if needs is None:
        return None
    if needs == "qdc":
        try:
            import lo_codebook.core.refi_mapping  # noqa: F401
        except ModuleNotFoundError:
            return "`codebook import FILE.qdc` needs lo_codebook.core.refi_mapping, which is not there yet"
        return None
    import click

    from lo_codebook.cli import cli

    if cli.get_command(click.Context(cli), needs) is None:
        return f"`lo-codebook {needs}` is not there yet"
    return None


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(
    name: str,
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    case = CASES[name]
    reason = _available(case.needs)
    if reason:
        pytest.skip(reason)
    project = tmp_path / "cli.db"
    project.write_bytes(template.read_bytes())
    env = {"LO_CODEBOOK_DB": str(project), "LO_CODEBOOK_CODER": "tester"}
    inputs = tmp_path / "input"
    inputs.mkdir()
    args = case.make(inputs)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    before_dump, before_tree = dump(project), tree(tmp_path)

    with time_limit(CASE_SECONDS):
        result = run_cli(*args, env=env)

    assert "Traceback" not in result.err, result.err[-3000:]
    assert "internal error" not in result.err, result.err
    if case.may_succeed and result.code == 0:
        if case.check is not None:
            case.check(project)
        return
    assert result.code == 1, (
        f"exit {result.code}; out={result.out[-500:]!r} err={result.err[-500:]!r}"
    )
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    line = lines[0]
    assert line.startswith("lo-codebook: error: "), line
    assert len(line) < 2000, "the message repeats the input"
    files = [a for a in args if isinstance(a, Path)]
    if files and not case.option:
        named = files[-1] if args[0] == "--db" else files[0]
        assert named.name in line, f"the message does not name {named.name}: {line}"
    for needle in case.needles:
        assert needle.lower() in line.lower(), f"expected {needle!r} in: {line}"
    for needle in case.wrong:
        assert needle.lower() not in line.lower(), f"misleading {needle!r} in: {line}"
    assert dump(project) == before_dump, "the project changed"
    assert tree(tmp_path) == before_tree, (
        f"files appeared or vanished: {tree(tmp_path) ^ before_tree}"
    )
    assert list(cwd.iterdir()) == []


def test_opening_another_applications_database_leaves_it_byte_for_byte(tmp_path: Path) -> None:
    other = _other_app_db(tmp_path)
    before = other.read_bytes()
    result = run_cli("--db", other, "status")
    assert result.code == 1 and "not a lo-codebook project" in result.err
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["klanten.db"]


@pytest.mark.slow
def test_suggest_on_a_document_over_a_million_characters(tmp_path: Path) -> None:
    env = {"LO_CODEBOOK_DB": str(tmp_path / "lang.db"), "LO_CODEBOOK_CODER": "tester"}
    turns = "\n\n".join(
        f"{'Interviewer' if i % 2 == 0 else 'Respondent'}: We werken aan vitaliteit, leiderschap en digitalisering. "
        * 3
        for i in range(5_000)
    )
    assert len(turns) > 1_000_000
    path = put(tmp_path, "lang.txt", turns)
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env).code == 0
    assert run_cli("import", path, env=env).code == 0
    result = run_cli("suggest", env=env)
    assert result.code == 0, result.err


def test_corpus_size() -> None:
    """The report quotes this number: keep it honest."""
    assert len(CASES) >= 150


# ============================================================================ fuzzing

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

_ALPHABET = list("IRAnaBrm: \n\n\t-–>.,0123456789WEBVTT<v/>&;\"'\r\ufeff\x00é\u0301") + [
    "-->",
    "00:00:01.000",
    "00:00:02,500",
    "<v Anna>",
    "</v>",
    "Interviewer:",
    "R:",
    "\n\n",
]
fuzz_text = st.lists(
    st.one_of(st.sampled_from(_ALPHABET), st.characters(exclude_categories=["Cs"])), max_size=120
).map("".join)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"])


@pytest.fixture(scope="module")
def fuzz_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def _assert_document(document) -> None:  # type: ignore[no-untyped-def]
    text = document.text
    assert text.strip(), "an empty document was accepted"
    assert "\r" not in text and "\x00" not in text
    last = 0
    for segment in document.segments:
        assert 0 <= segment.start < segment.end <= len(text), (segment, len(text))
        assert segment.start >= last, "segments overlap or go backwards"
        last = segment.end
        if segment.timestamp is not None and segment.end_timestamp is not None:
            assert segment.end_timestamp >= segment.timestamp


@FUZZ
@given(
    body=st.one_of(fuzz_text, st.binary(max_size=400)),
    encoding=encodings,
    suffix=st.sampled_from([".txt", ".md", ".vtt", ".srt"]),
    header=st.sampled_from(
        [
            "",
            "WEBVTT\n\n",
            "1\n00:00:01,000 --> 00:00:02,000\n",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n",
        ]
    ),
)
def test_fuzz_parse_file_only_raises_user_error(
    fuzz_dir: Path, body: str | bytes, encoding: str, suffix: str, header: str
) -> None:
    from lo_codebook.ingest.registry import parse_file

    if isinstance(body, str):
        data = (header + body).encode(encoding, "replace")
    else:
        data = header.encode() + body
    path = fuzz_dir / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        document = parse_file(path)
    except UserError as exc:
        assert "\n" not in str(exc)
        return
    _assert_document(document)


@FUZZ
@given(body=fuzz_text)
def test_fuzz_turns_on_arbitrary_text(body: str) -> None:
    import unicodedata

    from lo_codebook.ingest.textio import normalise_text
    from lo_codebook.ingest.turns import document_from_text

    text = normalise_text(body)
    if not text.strip():
        return
    for markdown in (False, True):
        document = document_from_text("fuzz", text, "md" if markdown else "txt", markdown=markdown)
        assert unicodedata.is_normalized("NFC", document.text)
        _assert_document(document)


_cells = st.one_of(
    st.text(alphabet=st.sampled_from(list('ab ,;\t|"\n\r{}é\x00')), max_size=10),
    st.sampled_from(['{"ImportId":"QID1"}', "", " ", "X1", "X1 ", "n.v.t.", "=1+1"]),
)
_survey_rows = st.lists(st.lists(_cells, min_size=0, max_size=5), max_size=8)


@FUZZ
@given(
    header=st.sampled_from(
        [
            "id,antwoord,grootte",
            "id;antwoord;grootte",
            "id\tantwoord",
            "ID,Antwoord",
            "antwoord",
            "",
        ]
    ),
    rows=_survey_rows,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=encodings,
    qualtrics=st.sampled_from([None, True, False]),
    suffix=st.sampled_from([".csv", ".tsv"]),
)
def test_fuzz_read_survey_only_raises_user_error(
    fuzz_dir: Path,
    header: str,
    rows: list[list[str]],
    delimiter: str,
    encoding: str,
    qualtrics: bool | None,
    suffix: str,
) -> None:
    from lo_codebook.ingest.survey import read_survey

    text = header + "\n" + "\n".join(delimiter.join(row) for row in rows)
    path = fuzz_dir / f"survey{suffix}"
    path.write_bytes(text.encode(encoding, "replace"))
    try:
        result = read_survey(path, "id", ["antwoord"], ["grootte=size"], qualtrics=qualtrics)
    except UserError as exc:
        assert "\n" not in str(exc)
        assert str(path) in str(exc) or path.name in str(exc)
        return
    names = [case.name for case in result.cases]
    assert all(names) and len(names) == len(set(names))
    for document in result.documents:
        assert document.text == document.text.strip() and document.text
        for segment in document.segments:
            assert 0 <= segment.start < segment.end <= len(document.text)


@FUZZ
@given(data=st.binary(min_size=1, max_size=2000), cut=st.floats(0.05, 0.95))
def test_fuzz_damaged_office_files_only_raise_user_error(
    fuzz_dir: Path, data: bytes, cut: float
) -> None:
    """Valid .docx/.xlsx/.pdf with random bytes written over a slice of them."""
    from lo_codebook.ingest.registry import parse_file
    from lo_codebook.ingest.survey import read_survey

    for suffix, original in (("docx", _DOCX), ("xlsx", _XLSX), ("pdf", _PDF)):
        start = int(len(original) * cut)
        damaged = original[:start] + data + original[start + len(data) :]
        path = fuzz_dir / f"kapot.{suffix}"
        path.write_bytes(damaged)
        try:
            if suffix == "xlsx":
                read_survey(path, "id", ["antwoord"])
            else:
                _assert_document(parse_file(path))
        except UserError as exc:
            assert "\n" not in str(exc)


_DOCX = docx_bytes()
_XLSX = xlsx_bytes()
_PDF = pdf_bytes()
