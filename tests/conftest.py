"""Shared fixtures: projects on real SQLite files and on the PostgreSQL server (own schema per test)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lo_codebook.core.project import Project

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "transcripts"
# The REFI-QDA reference samples live in the team's shared/ folder beside the checkout (CI
# clones the repository with shared/ next to it); they are not copied into this repository.
REFI_SAMPLES = Path(
    os.environ.get("LO_CODEBOOK_REFI_SAMPLES", REPO.parent / "shared" / "refi-qda" / "samples")
)
PG_SERVER = os.environ.get(
    "LO_CODEBOOK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_unavailable_reason() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install 'lo-codebook[postgres]')"
    dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(dsn, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        return f"no PostgreSQL server answers at {dsn} ({exc.__class__.__name__})"


_PG_REASON = _pg_unavailable_reason()


@contextlib.contextmanager
def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped afterwards (the server keeps state)."""
    import psycopg

    if _PG_REASON:
        pytest.skip(_PG_REASON)
    schema = f"lo_test_{uuid.uuid4().hex[:12]}"
    dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@contextlib.contextmanager
def sibling_project(project: Project, tmp_path: Path, name: str = "fresh") -> Iterator[Project]:
    """Another, empty project on the same kind of database as `project`."""
    if project.url.startswith("sqlite"):
        other = Project.open(tmp_path / f"{name}.db", "importer")
        try:
            yield other
        finally:
            other.close()
    else:
        with pg_schema_url() as url:
            other = Project.open(url, "importer")
            try:
                yield other
            finally:
                other.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test runs on a SQLite file and on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'project.db'}"
    else:
        with pg_schema_url() as url:
            yield url


@pytest.fixture
def project(db_url: str) -> Iterator[Project]:
    proj = Project.open(db_url, "tester")
    yield proj
    proj.close()


@pytest.fixture
def sqlite_project(tmp_path: Path) -> Iterator[Project]:
    proj = Project.open(tmp_path / "project.db", "tester")
    yield proj
    proj.close()


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled sample data (tests may write next to it)."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target)
    return target


@pytest.fixture
def english_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests written against the English lines of the CLI: their projects' texts are
    Dutch, so the output would follow them into Dutch (tests/test_output_language.py checks
    the Dutch lines). `LO_CODEBOOK_LANG` in a test's own env still wins."""
    monkeypatch.setenv("LO_CODEBOOK_LANG", "en")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> CliResult:
    """Run `lo-codebook ARGS` in-process through the real entry point (exit codes included)."""
    from click.testing import CliRunner

    from lo_codebook.cli import main

    runner = CliRunner()
    code = 0
    with runner.isolation(env=env) as streams:
        out_stream, err_stream = streams[0], streams[1]
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0) if not isinstance(exc.code, str) else 1
        out = out_stream.getvalue().decode("utf-8", "replace")
        err = err_stream.getvalue().decode("utf-8", "replace")
    return CliResult(code, out, err)


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    return {"LO_CODEBOOK_DB": str(tmp_path / "cli.db"), "LO_CODEBOOK_CODER": "tester"}


__all__ = ["CliResult", "run_cli", "io"]
