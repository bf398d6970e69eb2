"""The README's tour runs as written: every shell command in it, in order, against the
installed `lo-codebook`, in a fresh folder holding a copy of the sample data.

A bare `lo-codebook` line opens the terminal UI, where a person works; the script does that
work instead (`ui_step`): it marks the coder's validation sample done, as `V` does in the UI,
so that what the tour runs after it (`validate --report`) has the UI's work to report on.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOUR_HEADING = "## A tour of the workflow"


def tour_blocks(readme: str) -> list[str]:
    """The ```bash blocks of the tour section (up to the next `## ` heading)."""
    start = readme.index(TOUR_HEADING)
    end = readme.find("\n## ", start + len(TOUR_HEADING))
    section = readme[start : end if end != -1 else len(readme)]
    return re.findall(r"```(?:bash|sh)\n(.*?)```", section, re.S)


def opens_the_ui(line: str) -> bool:
    return line.split("#", 1)[0].strip() == "lo-codebook"


#: The UI's part, scripted: every sample document not yet done is marked done (key V).
UI_STEP = """ui_step() {
  "$TOUR_PYTHON" - <<'PY'
import json, subprocess
listed = subprocess.run(["lo-codebook", "validate", "--format", "json"], capture_output=True, text=True)
names = [d["document"] for d in json.loads(listed.stdout or "[]") if not d["done"]] if listed.returncode == 0 else []
if names:
    subprocess.run(["lo-codebook", "validate", *(a for n in names for a in ("--done", n))], check=True)
PY
}
"""


def tour_script(readme: str) -> str:
    lines = [
        "ui_step" if opens_the_ui(line) else line
        for block in tour_blocks(readme)
        for line in block.splitlines()
    ]
    return "\n".join(lines) + "\n"


def test_the_tour_names_the_commands_it_should() -> None:
    script = tour_script((REPO / "README.md").read_text(encoding="utf-8"))
    for command in (
        "memo add --project",
        "memo add --code",
        "memo add --document",
        "memos --format json",
        "cases import",
        "cases --format json",
        "cases export",
        "import-codings",
        "merge-project",
    ):
        assert f"lo-codebook {command}" in script or f" {command}" in script, command
    assert "lo-codebook" not in [line.strip() for line in script.splitlines()]
    assert "ui_step" in script.splitlines()


def test_opens_the_ui_only_matches_the_bare_command() -> None:
    assert opens_the_ui("lo-codebook                   # the terminal UI")
    assert not opens_the_ui("lo-codebook init   # or: init --language en")


def test_readme_tour_runs_as_written(tmp_path: Path) -> None:
    binary = Path(sys.executable).parent / "lo-codebook"
    if not binary.exists():
        pytest.skip(
            f"the console script is not installed next to {sys.executable} (pip install -e .)"
        )
    shutil.copytree(REPO / "transcripts", tmp_path / "transcripts")
    script = (
        "set -e\ntrap 'echo \"tour failed at: $BASH_COMMAND\" >&2' ERR\n"
        + UI_STEP
        + tour_script((REPO / "README.md").read_text(encoding="utf-8"))
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LO_CODEBOOK_")}
    env.update(
        PATH=f"{binary.parent}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(tmp_path),
        MPLBACKEND="Agg",
        TOUR_PYTHON=sys.executable,
    )
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert result.returncode == 0, (
        f"{result.stderr[-3000:]}\n--- stdout ---\n{result.stdout[-2000:]}"
    )
    for made in (
        "resultaten.html",
        "studie.db",
        "themes.xlsx",
        "themes.png",
        "cases.xlsx",
        "citaten.xlsx",
        "studie.qdpx",
        "bram.db",
    ):
        assert (tmp_path / made).exists(), made
    assert "G4-gemeente met een eigen academie" in result.stdout
