"""Taguette's codebook .csv (Export codebook → CSV), in the shapes its releases write.

Taguette 1.0–1.5.1: `tag,description,number of highlights`; 1.5.2 adds `number of documents`;
its tag-hierarchy branch writes `tag,parent,description,number of highlights`. Tags are
paths: `interesting.places` lists under `interesting` (1.5.2 also accepts `\\`). Files are
written as Taguette writes them (csv module, excel dialect); the tags and texts are ours.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lo_codebook.core.codebook import import_codebook, read_codebook_csv
from lo_codebook.core.project import Project
from lo_codebook.db.lookup import codes_named

from .conftest import run_cli

# The assertions read the English lines of the CLI (see `english_output`).
pytestmark = pytest.mark.usefixtures("english_output")

TAGS = [
    ("werkdruk", "Ervaren werkdruk en tijdgebrek", 14),
    ("werkdruk.piekbelasting", "Drukte rond deadlines", 5),
    ("leren.e-learning", "Online modules en webinars", 3),
    ("leren.coaching", "", 8),
    ("4. Waarden", "Genummerde categorie met een punt en spatie", 2),
    ("St. Jansdal", "Eigennaam met afkorting", 1),
    ("relaties/collega's", "Met een schuine streep", 4),
]


def taguette_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # Taguette: csv.writer(file), default excel dialect
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def v14(tmp_path: Path) -> Path:
    return taguette_csv(
        tmp_path / "codebook.csv",
        ["tag", "description", "number of highlights"],
        [list(t) for t in TAGS],
    )


def v152(tmp_path: Path) -> Path:
    return taguette_csv(
        tmp_path / "codebook.csv",
        ["tag", "description", "number of highlights", "number of documents"],
        [[*t, max(1, t[2] // 2)] for t in TAGS],
    )


def test_taguette_rows_nest_by_tag_path(tmp_path: Path) -> None:
    notes: list[str] = []
    rows = read_codebook_csv(v14(tmp_path), notes)
    as_paths = [(r.parent, r.name) for r in rows]
    assert as_paths == [
        (None, "werkdruk"),
        ("werkdruk", "piekbelasting"),
        (None, "leren"),  # a parent the file does not list: added
        ("leren", "e-learning"),
        ("leren", "coaching"),
        (None, "4. Waarden"),  # ". " is no separator
        (None, "St. Jansdal"),
        (None, "relaties"),
        ("relaties", "collega's"),
    ]
    assert notes == [
        "columns ignored: number of highlights",
        "hierarchy from tag paths: 4 tags nested under their parent; parent codes added: leren, relaties",
    ]


@pytest.mark.parametrize("make", [v14, v152], ids=["taguette-1.4", "taguette-1.5.2"])
def test_cli_imports_taguette_codebook(db_url: str, tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    result = run_cli("--db", db_url, "--coder", "tester", "codebook", "import", path)
    print(result.out, result.err)
    assert result.code == 0, result.err
    assert "codebook: 9 codes added, 0 updated" in result.out
    assert "note: columns ignored: number of highlights" in result.out
    if make is v152:
        assert "number of documents" in result.out
    again = run_cli("--db", db_url, "--coder", "tester", "codebook", "import", path)
    assert "codebook: 0 codes added, 0 updated" in again.out  # matched, not added twice
    project = Project.open(db_url, "tester")
    try:
        with project.read() as session:
            (piek,) = codes_named(session, "Piekbelasting")
            assert piek.parent is not None and piek.parent.name == "werkdruk"
            assert piek.description == "Drukte rond deadlines"
            (leren,) = codes_named(session, "leren")
            assert sorted(c.name for c in leren.children) == ["coaching", "e-learning"]
    finally:
        project.close()
    out = json.loads(run_cli("--db", db_url, "status", "--format", "json").out)
    assert out["codes"] == 9


def test_taguette_hierarchy_branch_with_parent_column(project: Project, tmp_path: Path) -> None:
    path = taguette_csv(
        tmp_path / "codebook.csv",
        ["tag", "parent", "description", "number of highlights"],
        [
            ["leren", "", "Alles over leren", 4],
            ["coaching", "leren", "Begeleiding", 2],
            ["v1.0", "", "Versie", 0],
        ],
    )
    notes: list[str] = []
    assert import_codebook(project, path, notes) == (3, 0)
    assert notes == ["columns ignored: number of highlights"]
    with project.read() as session:
        (coaching,) = codes_named(session, "coaching")
        assert coaching.parent.name == "leren"
        assert [c.name for c in codes_named(session, "v1.0")] == ["v1.0"]


def test_our_own_csv_still_refuses_slashes_and_notes_extra_columns(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "ours.csv"
    path.write_text("name,parent,description,keywords,owner\nWerkdruk,,,,Anna\n", encoding="utf-8")
    notes: list[str] = []
    assert import_codebook(project, path, notes) == (1, 0)
    assert notes == ["columns ignored: owner"]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,parent\nwerk/druk,\n", encoding="utf-8")
    result = run_cli("--db", project.url, "codebook", "import", bad)
    assert result.code == 1 and "cannot contain '/'" in result.err


def test_a_file_with_neither_name_nor_tag_is_refused(tmp_path: Path) -> None:
    path = taguette_csv(tmp_path / "x.csv", ["label", "description"], [["a", "b"]])
    result = run_cli("--db", str(tmp_path / "p.db"), "codebook", "import", path)
    assert result.code == 1
    assert "no column 'name' (or Taguette's 'tag'); columns are: label, description" in result.err
