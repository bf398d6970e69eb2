"""The one bring-in: where import-qdpx and merge-project used to disagree, the rule they share.

merge-project reads the other project into the REFI model and brings it in with import-qdpx's
importer (`core/refi_mapping._Importer`); these tests pin the rules that changed for one of
the two when they became one (docs/ARCHITECTURE.md, "Where each rule lives").
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from lo_codebook.core.bring_in import BringInReport
from lo_codebook.core.codebook import create_code
from lo_codebook.core.coding import add_memo, code_span
from lo_codebook.core.importing import content_hash
from lo_codebook.core.merge import merge_project
from lo_codebook.core.project import Project
from lo_codebook.core.refi_mapping import import_refi_project
from lo_codebook.db.models import Coder, Coding, Document, Memo
from lo_codebook.interop import RefiNote, RefiProject, RefiUser
from lo_codebook.interop.model import derived_guid

from .conftest import sibling_project


def _add_document(project: Project, name: str, text: str) -> int:
    with project.write("test") as unit:
        doc = Document(
            name=name,
            kind="text",
            source_format="txt",
            text=text,
            content_hash=content_hash(text),
            words=len(text.split()),
        )
        unit.session.add(doc)
        unit.session.flush()
        return doc.id


def _memos(project: Project) -> list[tuple[str, str, str | None]]:
    with project.read() as session:
        rows = session.execute(
            select(Memo.text, Memo.title, Coder.name).outerjoin(Coder, Coder.id == Memo.coder_id)
        )
        return sorted(tuple(row) for row in rows)


def test_import_keeps_the_same_words_of_another_coder_as_their_own_memo(
    project: Project,
) -> None:
    """The memo rule (`bring_in.memo_key`): the coder is part of 'the same memo'. Before, an
    import dropped Bram's memo when tester had written the same words about the same thing."""
    add_memo(project, "Zelfde woorden", title="Let op")
    bram = RefiUser(guid=derived_guid("test", "bram"), name="Bram")
    tester = RefiUser(guid=derived_guid("test", "tester"), name="tester")
    refi = RefiProject(
        name="other",
        users=[bram, tester],
        notes=[
            RefiNote(derived_guid("test", "n1"), "Let op", "Zelfde woorden", user_guid=bram.guid),
            # tester's own memo, come back without its GUID: found again, not added twice
            RefiNote(derived_guid("test", "n2"), "Let op", "Zelfde woorden", user_guid=tester.guid),
        ],
    )
    report = import_refi_project(project, refi, "other.qdpx")
    assert report.memos_added == 1
    assert _memos(project) == [
        ("Zelfde woorden", "Let op", "Bram"),
        ("Zelfde woorden", "Let op", "tester"),
    ]
    again = import_refi_project(project, refi, "other.qdpx")
    assert again.memos_added == 0 and len(_memos(project)) == 2


def test_merge_project_matches_documents_one_to_one(project: Project, tmp_path: Path) -> None:
    """The document rule: a text here is the match of one document there at most. Before,
    merge-project mapped both of the other's copies of one text onto our one document."""
    _add_document(project, "sjabloon", "Leeg sjabloon voor een interview.")
    with sibling_project(project, tmp_path, "bram") as bram_db:
        _add_document(bram_db, "sjabloon", "Leeg sjabloon voor een interview.")
        _add_document(bram_db, "sjabloon kopie", "Leeg sjabloon voor een interview.")
        report = merge_project(project, bram_db.url, backup=False)
        assert report.documents_matched == 1 and report.documents_added == ["sjabloon kopie"]
        again = merge_project(project, bram_db.url, backup=False)
        assert again.documents_matched == 2 and again.documents_added == []
    with project.read() as session:
        assert sorted(session.scalars(select(Document.name))) == ["sjabloon", "sjabloon kopie"]


def test_merge_project_keeps_both_memos_of_a_coding_already_here(
    project: Project, tmp_path: Path
) -> None:
    """The coding memo rule: a coding found again takes the other's memo text when it lacks
    it (as import-qdpx always did). Before, merge-project left the other's memo behind."""
    text = "Werkdruk is hoog hier."
    doc = _add_document(project, "interview", text)
    code = create_code(project, "Werkdruk")
    code_span(project, doc, 0, 8, code, memo="mijn memo")
    with sibling_project(project, tmp_path, "bram") as bram_db:
        other_doc = _add_document(bram_db, "interview", text)
        other_code = create_code(bram_db, "Werkdruk")
        same_coder = Project(bram_db.engine, "tester", bram_db.url)
        code_span(same_coder, other_doc, 0, 8, other_code, memo="memo van elders")
        report = merge_project(project, bram_db.url, backup=False)
        assert report.codings_present == 1 and report.codings_added == 0
        merge_project(project, bram_db.url, backup=False)  # again: nothing more
    with project.read() as session:
        assert list(session.scalars(select(Coding.memo))) == ["mijn memo\nmemo van elders"]


def test_one_report_type_speaks_as_each_command() -> None:
    """One `BringInReport`: import-qdpx counts codes in its JSON, a merge lists them."""
    report = BringInReport(source="x.qdpx", codes_added=["A", "B/C"], codes_merged=[("d", "D")])
    assert report.to_json()["codes_added"] == 2 and report.to_json()["codes_matched"] == 1
    assert "2 codes added (1 matched)" in report.summary()
    merged = BringInReport(source="other", action="merge-project", codes_added=["A"])
    assert merged.to_json()["codes_added"] == ["A"] and merged.to_json()["action"] == (
        "merge-project"
    )
