"""The analysis layer is pure pandas/numpy/matplotlib: it must work without a database or UI."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "lo_codebook.analysis.frames",
    "lo_codebook.analysis.themes",
    "lo_codebook.analysis.render",
    "lo_codebook.analysis.charts",
    "lo_codebook.analysis.agreement",
    "lo_codebook.analysis.cooccurrence",
    "lo_codebook.analysis.report_model",
    "lo_codebook.analysis.report_words",
    "lo_codebook.analysis.report_render",
]


def test_analysis_imports_without_sqlalchemy_or_textual():
    blocked = ["sqlalchemy", "textual", "alembic", "spacy"]
    code = "\n".join(
        [
            "import sys",
            *[f"sys.modules[{name!r}] = None" for name in blocked],
            *[f"import {module}" for module in MODULES],
        ]
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
