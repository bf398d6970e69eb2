"""Decoding rules every text importer relies on: encodings, BOMs, newlines, NFC, empty/binary/too big."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from lo_codebook.errors import UserError
from lo_codebook.ingest import textio
from lo_codebook.ingest.textio import decode_bytes, read_text

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def test_utf8_plain() -> None:
    decoded = decode_bytes("Geïnterviewde: ja\n".encode())
    assert decoded.text == "Geïnterviewde: ja\n"
    assert decoded.encoding == "utf-8"


def test_utf8_bom_and_crlf_fixture() -> None:
    decoded = read_text(FIXTURES / "bom_crlf.txt")
    assert decoded.encoding == "utf-8-sig"
    assert not decoded.text.startswith("\ufeff")
    assert "\r" not in decoded.text
    assert decoded.text.startswith("I: Eerste vraag?\nR: Eerste antwoord.\n")


def test_lone_cr_becomes_newline() -> None:
    assert decode_bytes(b"a\rb\r\nc").text == "a\nb\nc"


def test_cp1252_fallback_fixture() -> None:
    decoded = read_text(FIXTURES / "cp1252.txt")
    assert decoded.encoding == "cp1252"
    assert "café" in decoded.text
    assert "Geïnterviewde" in decoded.text
    assert "€ 500" in decoded.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(codec: str) -> None:
    text = "Interviewer: één vraag\n"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    decoded = decode_bytes(data)
    assert decoded.text == text


def test_utf16_without_bom_is_recognised() -> None:
    decoded = decode_bytes("R: hallo daar\n".encode("utf-16-le"))
    assert decoded.text == "R: hallo daar\n"
    assert decoded.encoding == "utf-16"


def test_nfc_normalisation() -> None:
    decomposed = unicodedata.normalize("NFD", "Geïnterviewde: coördinatie")
    assert decomposed != "Geïnterviewde: coördinatie"
    text = decode_bytes(decomposed.encode()).text
    assert text == "Geïnterviewde: coördinatie"
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n"])
def test_empty(data: bytes) -> None:
    with pytest.raises(UserError, match="file is empty"):
        decode_bytes(data, file="x.txt")


def test_binary() -> None:
    with pytest.raises(UserError, match="binary file, not text"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\xff\x10\x00", file="x")


def test_mostly_utf8_with_a_stray_cp1252_byte() -> None:
    data = "Geïnterviewde: coördinatie ".encode() + b"caf\xe9 \x80 5"
    decoded = decode_bytes(data)
    assert decoded.text == "Geïnterviewde: coördinatie café € 5"
    assert decoded.encoding == "utf-8+cp1252"


def test_undecodable_names_the_byte() -> None:
    with pytest.raises(UserError, match=r"byte 0x81 at offset 7") as info:
        decode_bytes(b"abc\ndef\x81ghi")
    assert info.value.where == "line 2"


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textio, "MAX_TEXT_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_text("I: " + "x" * 20)
    with pytest.raises(UserError, match="too large") as info:
        textio.read_text(path, limit=textio.MAX_TEXT_BYTES)
    assert info.value.file == str(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="file not found"):
        read_text(tmp_path / "nope.txt")
