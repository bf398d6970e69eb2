"""One rule for "the same code found again" (core/code_absorb.py), whichever way codes come in.

The same codebook reaches a project that already holds some of its codes (other case,
other keyword spelling, own descriptions) as a .csv, a .qdc, through `merge-codebook`, through
`merge-project` and inside a .qdpx: every way gives the same tree, keywords and descriptions,
the ones the rule says, and a second time changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from lo_codebook.core.code_absorb import union_description, union_keywords
from lo_codebook.core.codebook import (
    code_path,
    create_code,
    export_codebook,
    find_code,
    import_codebook,
    rename_code,
)
from lo_codebook.core.merge import merge_codebook, merge_project
from lo_codebook.core.project import Project
from lo_codebook.core.refi_mapping import export_qdpx, import_qdpx
from lo_codebook.db.models import Code

SOURCE_CSV = """name,parent,description,keywords
Werkdruk,,Te veel werk in te weinig tijd.,stress;Uren;overwerk
Mensen,,,
Vitaliteit,Mensen,Fit en gezond blijven.,energie;Sport
Opleiding,Mensen,Cursussen en scholing.,cursus;training
Financiën,,Geld en budget.,budget;kosten
"""

#: What every way of bringing SOURCE_CSV into the seeded project must give (see `seed`).
EXPECTED = {
    "Financiën": (["budget", "kosten"], "Geld en budget."),
    "Mensen": ([], ""),
    "Mensen/Opleiding": (["cursus", "training"], "Cursussen en scholing."),
    # found again by name in another case; keeps its own name, description first
    "Mensen/vitaliteit": (
        ["Energie", "beweging", "Sport"],
        "Gezondheid van medewerkers.\n\nFit en gezond blijven.",
    ),
    # same description: kept once; `stress` = `STRESS` (casefold): the first spelling stays
    "Werkdruk": (["STRESS", "Uren", "overwerk"], "Te veel werk in te weinig tijd."),
}

Snapshot = dict[str, tuple[list[str], str]]


def snapshot(project: Project) -> Snapshot:
    with project.read() as session:
        return {
            code_path(code): (list(code.keywords or []), code.description or "")
            for code in session.scalars(select(Code))
        }


def seed(project: Project) -> None:
    """Codes already here: the same as the file's in other spellings, with their own text."""
    create_code(
        project, "Werkdruk", description="Te veel werk in te weinig tijd.", keywords=["STRESS"]
    )
    create_code(project, "MENSEN")
    with project.read() as session:
        mensen = find_code(session, "MENSEN")
        assert mensen is not None
    rename_code(project, mensen.id, "Mensen")
    create_code(
        project,
        "vitaliteit",
        parent="Mensen",
        description="Gezondheid van medewerkers.",
        keywords=["Energie", "beweging"],
    )


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Project]:
    """The codebook in a project of its own (for merge-project and the exports)."""
    book = tmp_path / "book.csv"
    book.write_text(SOURCE_CSV, encoding="utf-8")
    project = Project.open(tmp_path / "source.db", "bram")
    import_codebook(project, book)
    yield project
    project.close()


def _via_csv(source: Project, target: Project, folder: Path) -> None:
    path = folder / "export.csv"
    export_codebook(source, path)
    import_codebook(target, path)


def _via_qdc(source: Project, target: Project, folder: Path) -> None:
    path = folder / "export.qdc"
    export_codebook(source, path)
    import_codebook(target, path)


def _via_merge_codebook(source: Project, target: Project, folder: Path) -> None:
    path = folder / "export.qdc"
    export_codebook(source, path)
    merge_codebook(target, path)


def _via_merge_project(source: Project, target: Project, folder: Path) -> None:
    merge_project(target, source.url, backup=False)


def _via_qdpx(source: Project, target: Project, folder: Path) -> None:
    path = folder / "export.qdpx"
    export_qdpx(source, path)
    import_qdpx(target, path)


WAYS: dict[str, Callable[[Project, Project, Path], None]] = {
    "csv": _via_csv,
    "qdc": _via_qdc,
    "merge-codebook": _via_merge_codebook,
    "merge-project": _via_merge_project,
    "qdpx": _via_qdpx,
}


@pytest.mark.parametrize("way", sorted(WAYS))
def test_every_way_in_gives_the_same_codebook(way: str, source: Project, tmp_path: Path) -> None:
    target = Project.open(tmp_path / f"{way}.db", "anna")
    try:
        seed(target)
        WAYS[way](source, target, tmp_path)
        assert snapshot(target) == EXPECTED
        WAYS[way](source, target, tmp_path)  # again: found again, nothing grows
        assert snapshot(target) == EXPECTED
    finally:
        target.close()


@pytest.mark.parametrize("way", ["qdc", "merge-codebook", "qdpx"])
def test_a_code_renamed_here_is_found_again_by_its_guid(
    way: str, source: Project, tmp_path: Path
) -> None:
    """GUID first, then name: a code from the other tool that a coder renamed here since
    absorbs the file's code instead of getting a twin under the old name."""
    target = Project.open(tmp_path / f"{way}.db", "anna")
    try:
        WAYS[way](source, target, tmp_path)
        with target.read() as session:
            werkdruk = find_code(session, "Werkdruk")
            assert werkdruk is not None and werkdruk.guid
        rename_code(target, werkdruk.id, "Werkbelasting")
        WAYS[way](source, target, tmp_path)
        paths = set(snapshot(target))
        assert "Werkbelasting" in paths and "Werkdruk" not in paths
        assert len(paths) == len(EXPECTED)
    finally:
        target.close()


def test_keywords_union_by_casefold_first_spelling_stays() -> None:
    assert union_keywords(["Stress", "uren"], ["stress", " Overwerk ", "UREN", "", "overwerk"]) == [
        "Stress",
        "uren",
        "Overwerk",
    ]


@pytest.mark.parametrize(
    ("existing", "incoming", "expected"),
    [
        ("Eigen tekst.", "", "Eigen tekst."),
        ("", "Nieuw.", "Nieuw."),
        ("Eigen tekst.", "Eigen tekst.\n", "Eigen tekst."),
        ("Eigen tekst.", "Nieuw.", "Eigen tekst.\n\nNieuw."),
        (
            "Eigen tekst.\n\nNieuw.",
            "Nieuw.",
            "Eigen tekst.\n\nNieuw.",
        ),  # appended before: kept once
        ("Werk en privé.", "Werk", "Werk en privé.\n\nWerk"),  # a paragraph, not any substring
    ],
)
def test_description_rule(existing: str, incoming: str, expected: str) -> None:
    assert union_description(existing, incoming) == expected
