"""One way to write a file: `safe_output.atomic_path` (and `temp_file`, its temporary files).

Every other module writes through it (`write_text`, `write_bytes`, `atomic_output`,
`atomic_path`), so a killed or failing write never leaves half a file, and the next run
recognises and removes the temporary files a killed one left (`db.files.clean_leftovers`).
This test reads the source: the primitives that publish or create files by hand appear
nowhere else.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lo_codebook"
WRITER = PACKAGE / "safe_output.py"
#: calls that create a temporary file or give a file its final name
PRIMITIVES = {
    ("os", "replace"),
    ("os", "rename"),
    ("os", "link"),
    ("tempfile", "mkstemp"),
    ("tempfile", "NamedTemporaryFile"),
    ("tempfile", "mktemp"),
}


def _calls(tree: ast.AST) -> list[tuple[str, str, int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name):
                found.append((owner.id, node.func.attr, node.lineno))
    return found


def test_only_safe_output_publishes_files() -> None:
    assert {
        (o, a) for o, a, _ in _calls(ast.parse(WRITER.read_text()))
    } & PRIMITIVES  # guards the guard
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line} {owner}.{attr}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != WRITER
        for owner, attr, line in _calls(ast.parse(path.read_text(encoding="utf-8")))
        if (owner, attr) in PRIMITIVES
    ]
    assert not wrong, (
        "write files with safe_output.atomic_path (or write_text/write_bytes):\n" + "\n".join(wrong)
    )


def test_a_killed_writers_temporary_file_is_found_by_the_folder_cleanup(tmp_path: Path) -> None:
    """`temp_file` names are what `clean_leftovers` removes once their process is gone."""
    import subprocess
    import sys

    from lo_codebook.db.files import clean_leftovers, stale_leftovers
    from lo_codebook.safe_output import temp_file

    target = tmp_path / "project.db.bak-1"
    code = f"from lo_codebook.safe_output import temp_file; print(temp_file({str(target)!r}))"
    left = Path(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    assert left.exists() and left.name.endswith(".partial")
    mine = temp_file(tmp_path / "other.csv")  # this process still runs: not a leftover
    assert stale_leftovers(tmp_path) == [left]
    assert clean_leftovers(tmp_path) == [left] and not left.exists() and mine.exists()
