"""Units of work, audit log and undo/redo on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from lo_codebook.core.codebook import create_code, delete_code, import_codebook, rename_code
from lo_codebook.core.coding import code_span
from lo_codebook.core.importing import import_files
from lo_codebook.core.project import Project
from lo_codebook.core.queries import status_counts
from lo_codebook.db.models import AuditEntry, Code, Coding, Document
from lo_codebook.errors import UserError

from .conftest import SAMPLE


def _counts(project: Project) -> dict[str, int]:
    with project.read() as session:
        return status_counts(session)


def test_write_rolls_back_everything_on_error(project: Project) -> None:
    with pytest.raises(UserError), project.write("test") as unit:
        unit.session.add(Code(name="half", keywords=[]))
        unit.session.flush()
        raise UserError("boom")
    assert _counts(project)["codes"] == 0
    with project.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_undo_and_redo_a_codebook_import(project: Project) -> None:
    import_codebook(project, SAMPLE / "codebook.csv")
    codes = _counts(project)["codes"]
    assert codes >= 18
    project.undo()
    assert _counts(project)["codes"] == 0
    project.undo(redo=True)
    assert _counts(project)["codes"] == codes


def test_undo_delete_code_restores_its_codings(project: Project, tmp_path: Path) -> None:
    doc = tmp_path / "int.txt"
    doc.write_text(
        "Interviewer: Wat speelt er?\n\nRespondent: De Omgevingswet vraagt veel.\n",
        encoding="utf-8",
    )
    import_files(project, [doc])
    code_id = create_code(project, "Omgevingswet", keywords=["omgevingswet"])
    with project.read() as session:
        document = session.scalars(select(Document)).one()
    start = document.text.index("Omgevingswet")
    code_span(project, document.id, start, start + len("Omgevingswet"), code_id)
    delete_code(project, code_id)
    assert _counts(project)["codings"] == 0 and _counts(project)["codes"] == 0
    project.undo()
    counts = _counts(project)
    assert counts["codes"] == 1 and counts["codings"] == 1
    with project.read() as session:
        coding = session.scalars(select(Coding)).one()
        assert document.text[coding.start : coding.end] == "Omgevingswet"


def test_sibling_names_are_unique_case_insensitively(project: Project) -> None:
    create_code(project, "Leiderschap")
    with pytest.raises(UserError, match="already exists"):
        create_code(project, "leiderschap")
    parent = create_code(project, "Organisatie")
    child = create_code(project, "Hybride werken", parent="Organisatie")
    create_code(project, "Hybride werken")  # same name under another parent is fine
    with pytest.raises(UserError, match="already exists"):
        create_code(project, "hybride WERKEN", parent="Organisatie")
    sibling = create_code(project, "Leiderschap", parent="Organisatie")
    with pytest.raises(UserError, match="already exists"):
        rename_code(project, sibling, "Hybride Werken")
    assert parent and child


def test_undo_with_nothing_to_undo_is_a_user_error(project: Project) -> None:
    with pytest.raises(UserError, match="nothing to undo"):
        project.undo()


def test_undo_and_redo_a_survey_import(project: Project) -> None:
    from lo_codebook.core.importing import import_survey
    from lo_codebook.db.models import Segment

    import_survey(
        project,
        SAMPLE / "survey" / "lo_enquete_qualtrics.csv",
        id_col="ResponseId",
        text_cols=["Q4"],
        attr_cols=["Q2=size_class"],
    )
    after = _counts(project)
    with project.read() as session:
        segments = session.scalar(select(func.count()).select_from(Segment))
    assert after["cases"] == 133 and after["documents"] >= 128 and segments == after["documents"]
    project.undo()
    assert _counts(project)["documents"] == 0 and _counts(project)["cases"] == 0
    with project.read() as session:
        assert session.scalar(select(func.count()).select_from(Segment)) == 0
    project.undo(redo=True)
    assert _counts(project) == after
    with project.read() as session:
        assert session.scalar(select(func.count()).select_from(Segment)) == segments
