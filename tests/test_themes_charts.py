"""Theme charts: real PNG/SVG files, sized to their rows, threshold drawn, bad extension refused."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lo_codebook.analysis.charts import theme_chart, theme_figure
from lo_codebook.analysis.frames import make_codes, make_documents, make_pairs
from lo_codebook.analysis.themes import theme_table
from lo_codebook.errors import UserError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

THEMES = {
    "Ontwikkeling en leren": [
        "Leiderschapsontwikkeling",
        "Talentontwikkeling en loopbaanbegeleiding",
        "Strategische personeelsplanning",
        "Digitale vaardigheden",
    ],
    "Vitaliteit en welzijn": [
        "Werkdruk en werkstress",
        "Duurzame inzetbaarheid van oudere medewerkers",
        "Hybride werken",
    ],
    "Organisatie": [
        "Samenwerking tussen afdelingen en met ketenpartners in de regio",
        "Cultuurverandering",
        "Inwerken van nieuwe medewerkers (onboarding)",
        "Opgavegericht werken",
    ],
    "Arbeidsmarkt": [
        "Krapte op de arbeidsmarkt",
        "Werkgeversimago en employer branding",
        "Diversiteit en inclusie",
    ],
}


def study_frames(n_docs: int = 133, seed: int = 3) -> tuple[pd.DataFrame, ...]:
    """A realistic survey: 14 themes in 4 categories plus a root theme, 133 respondents."""
    rows: list[tuple[int, str, int | None]] = []
    next_id = 1
    for category, themes in THEMES.items():
        category_id = next_id
        rows.append((category_id, category, None))
        next_id += 1
        for theme in themes:
            rows.append((next_id, theme, category_id))
            next_id += 1
    rows.append((next_id, "Overig", None))
    rng = np.random.default_rng(seed)
    pairs = []
    for code_id, _, parent in rows:
        if parent is None and code_id != next_id:
            continue
        p = rng.uniform(0.03, 0.45)
        pairs += [
            (code_id, d, int(rng.integers(1, 4))) for d in range(1, n_docs + 1) if rng.random() < p
        ]
    sizes = ["<20.000", "20.000-50.000", "50.000-100.000", ">100.000", "G4"]
    documents = make_documents(
        [(d, f"R{d}", f"Gemeente {d}") for d in range(1, n_docs + 1)],
        size_class=[sizes[d % 5] for d in range(n_docs)],
    )
    return make_codes(rows), make_pairs(pairs), documents


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_chart_of_fifteen_themes(tmp_path):
    table = theme_table(*study_frames())
    assert len(table) == 15
    path = theme_chart(table, tmp_path / "themes.png", threshold=10)
    assert path == tmp_path / "themes.png"
    assert path.stat().st_size > 20_000
    width, height = png_size(path)
    assert width == 1500 and height > 900


def test_figure_height_scales_with_rows(tmp_path):
    documents = study_frames()[2]

    def chart(n: int, name: str) -> int:
        codes = make_codes([(i, f"Thema {i}", None) for i in range(1, n + 1)])
        pairs = make_pairs([(i, d, 1) for i in range(1, n + 1) for d in range(1, i + 2)])
        return png_size(theme_chart(theme_table(codes, pairs, documents), tmp_path / name))[1]

    ten, forty = chart(10, "ten.png"), chart(40, "forty.png")
    assert forty > 2.5 * ten  # the pitch per bar stays the same, only the margins are fixed


def test_bars_sorted_largest_on_top_with_labels_and_threshold_line():
    table = theme_table(*study_frames(), above=10)
    fig = theme_figure(table)
    ax = fig.axes[0]
    bars = ax.patches
    widths = [b.get_width() for b in bars]
    tops = [b.get_y() for b in bars]
    assert widths == table.rows["documents"].tolist()
    assert tops == sorted(tops)  # first (largest) bar drawn highest after axis inversion
    assert ax.yaxis_inverted()
    labels = [t.get_text() for t in ax.texts]
    assert "drempel: > 10" in labels
    assert [str(int(w)) for w in widths] == [
        t.get_text() for t in ax.texts if t.get_text().isdigit()
    ]
    dashed = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert len(dashed) == 1 and dashed[0].get_xdata()[0] == 10
    assert ax.get_xlabel() == "Aantal respondenten (documenten)"
    legend = fig.legends[0]
    assert {t.get_text() for t in legend.get_texts()} >= {"Organisatie", "Arbeidsmarkt"}


def test_threshold_defaults_to_table_above_and_title():
    table = theme_table(*study_frames(), above=12)
    fig = theme_figure(table, title="Belangrijke thema's voor het L&O-aanbod")
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Belangrijke thema's voor het L&O-aanbod"
    assert "drempel: > 12" in [t.get_text() for t in ax.texts]


def test_svg_chart(tmp_path):
    path = theme_chart(theme_table(*study_frames()), tmp_path / "themes.SVG")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<svg" in text
    assert "Leiderschapsontwikkeling" in text or "<path" in text


@pytest.mark.parametrize("name", ["themes.jpg", "themes", "themes.pdf"])
def test_unknown_extension_is_a_user_error(tmp_path, name):
    with pytest.raises(UserError, match="png or .svg") as info:
        theme_chart(theme_table(*study_frames()), tmp_path / name)
    assert info.value.file is not None and info.value.file.endswith(name)
    assert not (tmp_path / name).exists()


def test_by_chart_grouped_percentages(tmp_path):
    table = theme_table(*study_frames(), above=10, by="size_class")
    fig = theme_figure(table)
    ax = fig.axes[0]
    assert len(ax.patches) >= len(table) * len(table.groups)
    assert ax.get_xlabel() == "Percentage van de documenten in de groep"
    path = theme_chart(table, tmp_path / "by.png")
    assert path.read_bytes()[:8] == PNG_MAGIC
    total = theme_figure(table, variant="total")
    assert len(total.axes[0].patches) == len(table)


def test_by_variant_without_by_table_is_a_user_error():
    with pytest.raises(UserError, match="--by"):
        theme_figure(theme_table(*study_frames()), variant="by")


def test_empty_table_still_makes_a_chart(tmp_path):
    path = theme_chart(theme_table(*study_frames(), above=1000), tmp_path / "empty.png")
    assert path.read_bytes()[:8] == PNG_MAGIC


def test_charts_never_import_pyplot(tmp_path):
    code = (
        "from lo_codebook.analysis.frames import make_codes, make_pairs, make_documents\n"
        "from lo_codebook.analysis.themes import theme_table\n"
        "from lo_codebook.analysis.charts import theme_chart\n"
        "import sys\n"
        "t = theme_table(make_codes([(1,'a',None)]), make_pairs([(1,1,1)]),"
        " make_documents([(1,'R1',None)]))\n"
        f"theme_chart(t, {str(tmp_path / 'x.png')!r})\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
