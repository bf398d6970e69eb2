"""The wheel must carry every package, the migrations and the sample data; CI runs the README."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from setuptools import find_packages

REPO = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {p for p in find_packages(str(REPO), include=["lo_codebook*"])}
    assert found <= listed, f"add to pyproject [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["package-dir"] == {
        "lo_codebook.migrations": "migrations",
        "lo_codebook.sample_data": "transcripts",
    }


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text()
    ci = (REPO / ".ci" / "run").read_text()
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", readme, re.S)
    test_command = next(line for block in blocks for line in block.splitlines() if "pytest" in line)
    assert test_command.strip() in ci
    demo_command = next(
        line for block in blocks for line in block.splitlines() if "lo-codebook demo" in line
    )
    assert demo_command.startswith("python3 -m venv .venv")


def test_top_level_layout() -> None:
    for name in (
        "pyproject.toml",
        "lo_codebook",
        "migrations",
        "transcripts",
        "tests",
        "README.md",
        ".ci",
        "bench",
    ):
        assert (REPO / name).exists(), name


def test_the_code_is_ruff_clean_and_ruff_formatted() -> None:
    """`ruff check` and `ruff format --check` hold in CI, not only on a developer's machine."""
    import shutil
    import subprocess
    import sys

    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is a test dependency (pyproject [test]); install the project with .[test]"
    root = Path(__file__).resolve().parents[1]
    folders = ["lo_codebook", "tests", "bench", "migrations"]
    lint = subprocess.run([ruff, "check", *folders], cwd=root, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout[-3000:]
    form = subprocess.run(
        [ruff, "format", "--check", *folders], cwd=root, capture_output=True, text=True
    )
    assert form.returncode == 0, form.stdout[-3000:]
