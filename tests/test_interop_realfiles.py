"""Exports as real tools write them, rebuilt in their shapes with our own text.

qc (the `qualitative-coding` command-line tool) 1.3.x writes a .qdpx with ElementTree: no
XML declaration, `xmlns` set as a plain attribute, TextSources without a `name` whose
`plainTextPath` is the corpus-relative file name with no `internal://` (`board_2017.txt`),
the corpus copied to `sources/`, one PlainTextSelection per coded line (offsets of the line,
its newline included), one Coding per code and coder, and a code that appears at two places
in the tree written twice with codings pointing at the first.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

import pytest
from sqlalchemy import func, select

from lo_codebook.core.project import Project
from lo_codebook.core.refi_mapping import import_qdpx
from lo_codebook.db.models import Code, Coding, Document
from lo_codebook.interop import read_qdpx

from .conftest import run_cli

BOARD = [
    "The board met on the second Tuesday of March.\n",
    "Members agreed that the training budget had been spent too slowly.\n",
    "Several members said new staff felt lost in their first weeks.\n",
    "A mentoring scheme was proposed by the chair.\n",
    "Concerns were raised about workload in the planning department.\n",
    "The director promised a report on sick leave before summer.\n",
    "Some members doubted that e-learning reaches older employees.\n",
    "It was agreed to ask employees what they need before buying courses.\n",
    "The meeting closed with thanks to the secretary.\n",
]
STAFF = [
    "Interviewer: What helped you most when you started here?\n",
    "Employee: Honestly, a colleague who showed me the ropes.\n",
    "Employee: The official introduction day was mostly slides.\n",
    "Interviewer: And training since then?\n",
    "Employee: I asked for a course twice, but there was never time.\n",
    "Employee: My team lead says the workload is simply too high.\n",
    "Employee: Online modules are fine, but I learn more from people.\n",
]
#: qc codebook: a tree in which "workload" appears under two parents.
TREE = {
    "learning": {"training": {}, "e-learning": {}, "mentoring": {}},
    "onboarding": {"introduction": {}, "mentoring": {}},
    "wellbeing": {"workload": {}, "sick leave": {}},
    "management": {"workload": {}},
}
#: (file, line number) -> codes, per coder
CODED = {
    "chris": {
        ("board_2017.txt", 1): ["training"],
        ("board_2017.txt", 2): ["onboarding", "introduction"],
        ("board_2017.txt", 3): ["mentoring"],
        ("board_2017.txt", 4): ["workload"],
        ("board_2017.txt", 5): ["sick leave"],
        ("board_2017.txt", 6): ["e-learning"],
        ("board_2017.txt", 7): ["training", "learning"],
        ("staff_2018.txt", 1): ["mentoring", "onboarding"],
        ("staff_2018.txt", 2): ["introduction"],
        ("staff_2018.txt", 4): ["training"],
        ("staff_2018.txt", 5): ["workload"],
        ("staff_2018.txt", 6): ["e-learning", "mentoring"],
    },
    "dana": {
        ("board_2017.txt", 1): ["training"],
        ("board_2017.txt", 2): ["onboarding"],
        ("board_2017.txt", 4): ["workload", "management"],
        ("board_2017.txt", 7): ["learning"],
        ("staff_2018.txt", 1): ["mentoring"],
        ("staff_2018.txt", 4): ["training"],
        ("staff_2018.txt", 5): ["workload", "wellbeing"],
    },
}
N_CODINGS = sum(len(codes) for coder in CODED.values() for codes in coder.values())


def _guid(text: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "qc:" + text))


def qc_export(
    path: Path, files: dict[str, list[str]] | None = None, *, internal: bool = False
) -> Path:
    """A .qdpx in the shape qc 1.3.x writes (see the module docstring)."""
    files = files or {"board_2017.txt": BOARD, "staff_2018.txt": STAFF}
    root = Element("Project")
    root.set("xmlns", "urn:QDA-XML:project:1.0")
    root.set("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root.set("origin", "qc 1.3.2")
    root.set("name", "qc project")
    users = SubElement(root, "Users")
    for coder in CODED:
        SubElement(users, "User", name=coder, guid=_guid(coder))
    codes = SubElement(SubElement(root, "CodeBook"), "Codes")
    first_guid: dict[str, str] = {}

    def add(parent: Element, name: str, children: dict, trail: str) -> None:
        guid = _guid(f"{trail}:{name}")
        first_guid.setdefault(name, guid)
        node = SubElement(parent, "Code", name=name, guid=guid, isCodable="true")
        for child, grandchildren in children.items():
            add(node, child, grandchildren, f"{trail}:{name}")

    for name, children in TREE.items():
        add(codes, name, children, "")
    sources = SubElement(root, "Sources")
    for file_name, lines in files.items():
        text_path = f"internal://{file_name}" if internal else file_name
        source = SubElement(sources, "TextSource", plainTextPath=text_path, guid=_guid(file_name))
        offsets, at = [], 0
        for line in lines:
            offsets.append((at, at + len(line)))
            at += len(line)
        for number, (start, end) in enumerate(offsets):
            applied = [
                (coder, code)
                for coder, lines_coded in CODED.items()
                for code in lines_coded.get((file_name, number), [])
            ]
            if not applied:
                continue
            selection = SubElement(
                source, "PlainTextSelection", guid=_guid(f"{file_name}:{number}"), name=f"line:{number}",
                startPosition=str(start), endPosition=str(end),
            )  # fmt: skip
            for coder, code in applied:
                coding = SubElement(
                    selection,
                    "Coding",
                    guid=_guid(f"{file_name}:{number}:{coder}:{code}"),
                    creatingUser=_guid(coder),
                )
                SubElement(coding, "CodeRef", targetGUID=first_guid[code])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", tostring(root, encoding="unicode"))
        for file_name, lines in files.items():
            archive.writestr(f"sources/{file_name}", "".join(lines))
    return path


def test_qc_bare_text_paths_are_read_from_sources(tmp_path: Path) -> None:
    refi = read_qdpx(qc_export(tmp_path / "qc.qdpx"))
    assert sorted(s.name for s in refi.sources) == ["board_2017", "staff_2018"]
    assert refi.skipped == {}
    board = next(s for s in refi.sources if s.name == "board_2017")
    selection = board.selections[0]  # qc writes selections for coded lines only
    assert (selection.name, board.text[selection.start : selection.end]) == ("line:1", BOARD[1])


def test_qc_export_imports_every_text_and_coding(project: Project, tmp_path: Path) -> None:
    report = import_qdpx(project, qc_export(tmp_path / "qc.qdpx"))
    print(report.to_json())
    assert sorted(report.documents_added) == ["board_2017", "staff_2018"]
    assert report.codings_added == N_CODINGS
    assert report.codings_skipped == 0 and report.skipped == {}
    assert sorted(report.coders_added) == ["chris", "dana"]
    with project.read() as session:
        assert session.scalar(select(func.count()).select_from(Coding)) == N_CODINGS
        # "workload" exists twice in the tree; its codings go to the first one, as qc means.
        workload = session.scalars(
            select(Code).where(Code.name == "workload").order_by(Code.id)
        ).first()
        assert workload.parent.name == "wellbeing"
        doc = session.scalars(select(Document).where(Document.name == "staff_2018")).one()
        texts = {doc.text[c.start : c.end] for c in doc.codings if c.code_id == workload.id}
        assert texts == {STAFF[5]}


def test_qc_subfolder_paths_and_internal_paths_also_work(project: Project, tmp_path: Path) -> None:
    nested = qc_export(tmp_path / "nested.qdpx", {"minutes/board_2017.txt": BOARD})
    refi = read_qdpx(nested)
    assert [s.name for s in refi.sources] == ["minutes/board_2017"]
    internal = read_qdpx(qc_export(tmp_path / "internal.qdpx", internal=True))
    assert len(internal.sources) == 2


@pytest.mark.parametrize(
    "path",
    [
        "../board_2017.txt",
        "sources/../../board_2017.txt",
        "/etc/hostname",
        "C:\\board_2017.txt",
        "c:board_2017.txt",
        "file:board_2017.txt",
    ],
)
def test_bare_paths_that_leave_sources_are_still_refused(tmp_path: Path, path: str) -> None:
    archive = qc_export(tmp_path / "qc.qdpx", {"board_2017.txt": BOARD})
    with zipfile.ZipFile(archive, "a") as zf:
        qde = zf.read("project.qde").decode()
    qde = qde.replace('plainTextPath="board_2017.txt"', f'plainTextPath="{path}"')
    hostile = tmp_path / "hostile.qdpx"
    with zipfile.ZipFile(hostile, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr("sources/board_2017.txt", "".join(BOARD))
    refi = read_qdpx(hostile)
    assert refi.sources == []
    n_board = sum(
        len(codes)
        for coder in CODED.values()
        for (f, _), codes in coder.items()
        if f == "board_2017.txt"
    )
    assert refi.skipped == {
        "sources": {"text outside the archive (refused)": 1},
        "codings": {"their source was not imported: text outside the archive (refused)": n_board},
    }


def test_folder_store_follows_subfolders_but_not_links(tmp_path: Path) -> None:
    folder = tmp_path / "unpacked"
    (folder / "sources" / "minutes").mkdir(parents=True)
    archive = qc_export(tmp_path / "qc.qdpx", {"minutes/board_2017.txt": BOARD, "link.txt": STAFF})
    with zipfile.ZipFile(archive) as zf:
        (folder / "project.qde").write_bytes(zf.read("project.qde"))
    (folder / "sources" / "minutes" / "board_2017.txt").write_text("".join(BOARD))
    (tmp_path / "secret.txt").write_text("".join(STAFF))
    (folder / "sources" / "link.txt").symlink_to(tmp_path / "secret.txt")
    refi = read_qdpx(folder)
    assert [s.name for s in refi.sources] == ["minutes/board_2017"]
    assert refi.skipped["sources"] == {"text file missing from the archive": 1}


def test_report_counts_everything_skipped_with_its_reason(project: Project, tmp_path: Path) -> None:
    """A missing text file, a picture source, an unknown code and an empty selection: each
    dropped coding is counted under its reason, and the total is `codings_skipped`."""
    ns = "urn:QDA-XML:project:1.0"
    code = "aaaaaaaa-0000-0000-0000-00000000000a"

    def coding(n: int, target: str = code) -> str:
        return f'<Coding guid="{_guid(f"c{n}")}"><CodeRef targetGUID="{target}"/></Coding>'

    qde = f"""<Project xmlns="{ns}" name="p" origin="qc 1.3.2">
<CodeBook><Codes><Code guid="{code}" name="training" isCodable="true"/></Codes></CodeBook>
<Sources>
<TextSource guid="{_guid("s1")}" plainTextPath="board_2017.txt">
 <PlainTextSelection guid="{_guid("p1")}" startPosition="0" endPosition="9">{coding(1)}{coding(2, _guid("nope"))}</PlainTextSelection>
 <PlainTextSelection guid="{_guid("p2")}" startPosition="4" endPosition="4">{coding(3)}</PlainTextSelection>
</TextSource>
<TextSource guid="{_guid("s2")}" plainTextPath="gone_2019.txt">
 <PlainTextSelection guid="{_guid("p3")}" startPosition="0" endPosition="3">{coding(4)}{coding(5)}</PlainTextSelection>
</TextSource>
<PictureSource guid="{_guid("s3")}" path="internal://chart.png">
 <PictureSelection guid="{_guid("p4")}" firstX="0" firstY="0" secondX="5" secondY="5">{coding(6)}</PictureSelection>
</PictureSource>
</Sources></Project>"""
    path = tmp_path / "mixed.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr("sources/board_2017.txt", "".join(BOARD))
    report = import_qdpx(project, path)
    print(report.summary())
    assert report.codings_added == 1
    assert report.skipped == {
        "sources": {
            "text file missing from the archive": 1,
            "PictureSource (only text sources are imported)": 1,
        },
        "codings": {
            "their source was not imported: text file missing from the archive": 2,
            "on a PictureSource (only text sources are imported)": 1,
            "its code is not in the codebook": 1,
            "empty selection (no text between start and end)": 1,
        },
    }
    assert report.codings_skipped == 5 and report.to_json()["sources_skipped"] == 2
    assert "5 codings skipped (" in report.summary()
    result = run_cli("--db", project.url, "import-qdpx", path, "--format", "json")
    assert result.code == 0, result.err
    assert '"codings_skipped": 5' in result.out
