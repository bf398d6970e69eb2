"""Hostile REFI-QDA input: every attack ends in one clear UserError and nothing is written.

All inputs are generated in tmp_path. Each refusal must be one line, name the
file, and leave the folder exactly as it was (no extraction, no temp files).
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from lo_codebook.errors import UserError
from lo_codebook.interop import read_qdc, read_qdpx
from lo_codebook.interop.safe_zip import SafeZip

NS = "urn:QDA-XML:project:1.0"
MINIMAL_QDE = f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name="p"/>'


def snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def refused(path: Path, call: Callable[[], object], match: str) -> UserError:
    """Run `call`, expect a one-line UserError naming `path`, and no new files anywhere near."""
    folder = path.parent
    before, parent_before = snapshot(folder), set(os.listdir(folder.parent))
    with pytest.raises(UserError, match=match) as info:
        call()
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert snapshot(folder) == before
    assert set(os.listdir(folder.parent)) == parent_before
    return info.value


# -- hand-made zip archives (names and sizes zipfile would not let us write) ------------


def raw_zip(path: Path, entries: list[dict]) -> Path:
    """Write a zip byte by byte. Entry keys: name, data (stored as is), method, crc,
    size (claimed uncompressed size), external_attr, create_system."""
    local = bytearray()
    central = bytearray()
    for entry in entries:
        name = entry["name"].encode("utf-8")
        data = entry["data"]
        method = entry.get("method", 0)
        crc = entry.get("crc", zlib.crc32(data) if method == 0 else 0)
        size = entry.get("size", len(data))
        offset = len(local)
        local += struct.pack(
            "<4s5H3L2H",
            b"PK\x03\x04",
            20,
            0x800,
            method,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(name),
            0,
        )
        local += name + data
        made_by = (entry.get("create_system", 0) << 8) | 20
        central += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            made_by,
            20,
            0x800,
            method,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(name),
            0,
            0,
            0,
            0,
            entry.get("external_attr", 0),
            offset,
        )
        central += name
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(local), 0
    )
    path.write_bytes(bytes(local + central + end))
    return path


def zero_bomb(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes (size a multiple of 16 MiB), and its CRC.

    The block for 16 MiB of zeros is compressed once from a fresh state and
    ends byte-aligned (full flush), so repeating it is a valid stream.
    """
    chunk = bytes(16 * 1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = size // len(chunk)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    return block * count + final, crc


@pytest.fixture(scope="module")
def bomb_3gb() -> tuple[bytes, int, int]:
    """3 GB of zeros in about 3 MB: (deflate stream, crc, size)."""
    size = 3 * 1024**3
    data, crc = zero_bomb(size)
    return data, crc, size


def test_zero_bomb_helper_is_a_real_stream():
    data, crc = zero_bomb(32 * 1024 * 1024)
    out = zlib.decompress(data, -15)
    assert len(out) == 32 * 1024 * 1024 and not any(out[::4096])
    assert zlib.crc32(out) == crc


# -- XML attacks ---------------------------------------------------------------------

XXE = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file://{secret}">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>"""


def qdpx(tmp_path: Path, members: dict[str, bytes | str], name: str = "in.qdpx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET")
    return path


@pytest.mark.parametrize("container", ["qdpx", "qde", "qdc"])
def test_external_entity_is_refused(tmp_path, secret, container):
    xml = XXE.format(secret=secret)
    if container == "qdpx":
        path = qdpx(tmp_path, {"project.qde": xml})
        error = refused(path, lambda: read_qdpx(path), "DTD/entity declarations is refused")
        assert "project.qde" in str(error)
    elif container == "qde":
        path = tmp_path / "project.qde"
        path.write_text(xml)
        error = refused(path, lambda: read_qdpx(path), "DTD/entity declarations is refused")
    else:
        path = tmp_path / "codebook.qdc"
        path.write_text(xml.replace("Project", "CodeBook"))
        error = refused(path, lambda: read_qdc(path), "DTD/entity declarations is refused")
    assert "TOP-SECRET" not in str(error)


def test_billion_laughs_is_refused(tmp_path):
    path = qdpx(tmp_path, {"project.qde": BILLION_LAUGHS})
    refused(path, lambda: read_qdpx(path), "DTD/entity declarations is refused")
    qdc = tmp_path / "lol.qdc"
    qdc.write_text(BILLION_LAUGHS.replace("Project", "CodeBook"))
    refused(qdc, lambda: read_qdc(qdc), "DTD/entity declarations is refused")


def test_doctype_in_utf16_is_refused(tmp_path, secret):
    xml = XXE.format(secret=secret).replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'
    )
    for data in (xml.encode("utf-16"), xml.encode("utf-16-le")):
        path = qdpx(tmp_path, {"project.qde": data})
        refused(path, lambda p=path: read_qdpx(p), "refused")
        path.unlink()


def test_undeclared_entity_is_malformed(tmp_path):
    path = qdpx(tmp_path, {"project.qde": f'<Project xmlns="{NS}" name="&xxe;"/>'})
    refused(path, lambda: read_qdpx(path), "malformed XML")


def test_malformed_xml_reports_line_and_column(tmp_path):
    xml = f'<?xml version="1.0"?>\n<Project xmlns="{NS}" name="p">\n  <Users>\n</Project>\n'
    path = qdpx(tmp_path, {"project.qde": xml})
    error = refused(path, lambda: read_qdpx(path), "malformed XML")
    assert error.where is not None
    assert error.where.startswith("project.qde, line 4, column ")
    qdc = tmp_path / "bad.qdc"
    qdc.write_text("<CodeBook>\n<Codes>\n<Code name='a' guid='x' isCodable='true'>\n</CodeBook>")
    error = refused(qdc, lambda: read_qdc(qdc), "malformed XML")
    assert error.where is not None and error.where.startswith("line 4, column ")


def test_excessive_depth_is_malformed(tmp_path):
    xml = f'<Project xmlns="{NS}" name="p">' + "<a>" * 300 + "</a>" * 300 + "</Project>"
    path = qdpx(tmp_path, {"project.qde": xml})
    refused(path, lambda: read_qdpx(path), "malformed XML")


# -- zip attacks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "why"),
    [
        ("../evil.txt", r"leaves the archive"),
        ("sources/../../evil.txt", r"leaves the archive"),
        ("..\\evil.txt", r"leaves the archive"),
        ("/tmp/evil.txt", r"absolute path"),
        ("\\evil.txt", r"absolute path"),
        ("C:/evil.txt", r"drive letter"),
        ("C:\\Windows\\evil.txt", r"drive letter"),
    ],
)
def test_zip_slip_members_are_refused(tmp_path, member, why):
    path = raw_zip(
        tmp_path / "slip.qdpx",
        [{"name": "project.qde", "data": MINIMAL_QDE.encode()}, {"name": member, "data": b"owned"}],
    )
    outside = [tmp_path.parent / "evil.txt", Path("/tmp/evil.txt")]
    existed = [p.exists() for p in outside]
    error = refused(path, lambda: read_qdpx(path), why)
    assert repr(member) in str(error)
    assert [p.exists() for p in outside] == existed


def test_symlink_member_is_refused(tmp_path):
    path = raw_zip(
        tmp_path / "link.qdpx",
        [
            {"name": "project.qde", "data": MINIMAL_QDE.encode()},
            {
                "name": "sources/a.txt",
                "data": b"/etc/passwd",
                "create_system": 3,
                "external_attr": (0o120777 << 16),
            },
        ],
    )
    refused(path, lambda: read_qdpx(path), "symbolic link")


def test_duplicate_member_is_refused(tmp_path):
    path = raw_zip(
        tmp_path / "dup.qdpx",
        [
            {"name": "project.qde", "data": MINIMAL_QDE.encode()},
            {"name": "PROJECT.qde", "data": b"<x/>"},
        ],
    )
    refused(path, lambda: read_qdpx(path), "twice")


def test_zip_bomb_with_honest_headers_is_refused_before_reading(tmp_path, bomb_3gb):
    data, crc, size = bomb_3gb
    path = raw_zip(
        tmp_path / "bomb.qdpx",
        [
            {"name": "project.qde", "data": MINIMAL_QDE.encode()},
            {"name": "sources/zeros.txt", "data": data, "method": 8, "crc": crc, "size": size},
        ],
    )
    assert path.stat().st_size < 8 * 1024**2
    refused(path, lambda: read_qdpx(path), "zip bomb")


def test_zip_bomb_with_lying_headers_is_refused(tmp_path, bomb_3gb):
    data, crc, _ = bomb_3gb
    qde = f"""<Project xmlns="{NS}" name="p"><Sources>
<TextSource guid="bbbbbbbb-0000-0000-0000-00000000000b" name="d" plainTextPath="internal://zeros.txt"/>
</Sources></Project>"""
    path = raw_zip(
        tmp_path / "liar.qdpx",
        [
            {"name": "project.qde", "data": qde.encode()},
            # claims 1000 bytes; the stream holds 3 GB
            {"name": "sources/zeros.txt", "data": data, "method": 8, "crc": crc, "size": 1000},
        ],
    )
    refused(path, lambda: read_qdpx(path), "damaged archive member")


def test_lowered_bound_catches_a_small_bomb(tmp_path):
    qde = f"""<Project xmlns="{NS}" name="p"><Sources>
<TextSource guid="bbbbbbbb-0000-0000-0000-00000000000b" name="d" plainTextPath="internal://zeros.txt"/>
</Sources></Project>"""
    path = qdpx(tmp_path, {"project.qde": qde, "sources/zeros.txt": bytes(5 * 1024 * 1024)})
    assert path.stat().st_size < 64 * 1024
    refused(path, lambda: read_qdpx(path, max_bytes=1024 * 1024), "more than 1 MB")
    assert read_qdpx(path).sources[0].text == "\x00" * (5 * 1024 * 1024)


def test_budget_counts_bytes_actually_read(tmp_path):
    path = qdpx(tmp_path, {"project.qde": MINIMAL_QDE, "sources/a.txt": bytes(3 * 1024 * 1024)})
    with SafeZip(path, max_bytes=10 * 1024 * 1024) as archive:
        archive.budget = 2 * 1024 * 1024  # as if the headers had under-reported
        archive.read("project.qde")
        with pytest.raises(UserError, match="zip bomb"):
            archive.read("sources/a.txt")


def test_too_many_members_is_refused(tmp_path):
    members = {"project.qde": MINIMAL_QDE} | {f"sources/{i}.txt": b"x" for i in range(20)}
    path = qdpx(tmp_path, members)
    refused(path, lambda: read_qdpx(path, max_members=10), "more than the 10 allowed")


@pytest.mark.parametrize(
    "content",
    [b"", b"not a zip at all", b"PK\x03\x04 truncated", MINIMAL_QDE.encode()],
    ids=["empty", "text", "truncated", "bare-xml"],
)
def test_non_zip_qdpx_is_refused(tmp_path, content):
    path = tmp_path / "fake.qdpx"
    path.write_bytes(content)
    refused(path, lambda: read_qdpx(path), "not a .qdpx file")


def test_qdpx_without_qde_is_refused(tmp_path):
    path = qdpx(tmp_path, {"sources/a.txt": b"hello", "readme.txt": b"x"})
    refused(path, lambda: read_qdpx(path), "no project.qde")


def test_missing_file_is_a_user_error(tmp_path):
    path = tmp_path / "nope.qdpx"
    refused(path, lambda: read_qdpx(path), "file not found")


def test_unpacked_folder_refuses_symlinked_sources(tmp_path, secret):
    project = tmp_path / "proj"
    (project / "sources").mkdir(parents=True)
    (project / "sources" / "a.txt").symlink_to(secret)
    (project / "project.qde").write_text(
        f"""<Project xmlns="{NS}" name="p"><Sources>
<TextSource guid="bbbbbbbb-0000-0000-0000-00000000000b" name="d" plainTextPath="internal://a.txt"/>
</Sources></Project>"""
    )
    result = read_qdpx(project / "project.qde")
    assert result.sources == []
    assert any("not in the archive" in w for w in result.warnings)


def test_doctype_after_comments_and_declaration_is_refused(tmp_path):
    xml = '<?xml version="1.0"?>\n<!-- <Project> -->\n<?pi x?>\n<!DOCTYPE p [<!ENTITY a "b">]>\n<Project/>'
    path = qdpx(tmp_path, {"project.qde": xml})
    refused(path, lambda: read_qdpx(path), "DTD/entity declarations is refused")


def test_doctype_text_inside_cdata_is_fine(tmp_path):
    qde = f"""<Project xmlns="{NS}" name="p"><Sources>
<TextSource guid="bbbbbbbb-0000-0000-0000-00000000000b" name="d">
<PlainTextContent><![CDATA[HTML begins with <!DOCTYPE html>]]></PlainTextContent></TextSource>
</Sources></Project>"""
    project = read_qdpx(qdpx(tmp_path, {"project.qde": qde}))
    assert project.sources[0].text == "HTML begins with <!DOCTYPE html>"
