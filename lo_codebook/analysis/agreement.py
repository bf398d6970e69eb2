"""Inter-coder agreement: per-code percent agreement and Cohen's kappa, overall alpha.

Two researchers code the same documents and must show how well they agree before
codebooks are merged. Each code is treated as present/absent per unit (document or
segment); kappa's undefined cases are reported as None with a reason instead of a
misleading 0 or 1.

Alpha is computed over unit x code presence values of the codes at least one coder applied
in the compared units: a code nobody used adds only "absent, absent" pairs, so counting it
would raise alpha with every code added to the codebook. The value over every compared code
is kept beside it as ``alpha_all_codes`` (comparable with tools that report that one).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lo_codebook.analysis.labels import check_lang, fmt_decimal, fmt_percent, t

NO_UNITS = "undefined: no units"
NO_VARIATION = "undefined: no variation"
NO_CODES = "undefined: no code used"
UNITS = ("document", "segment")


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement on one code: counts of the 2x2 presence table and the statistics."""

    code: str
    n: int
    both: int
    only_a: int
    only_b: int
    neither: int
    agreement: float | None
    kappa: float | None
    kappa_note: str | None = None

    @property
    def used_a(self) -> int:
        """Units where coder A applied the code."""
        return self.both + self.only_a

    @property
    def used_b(self) -> int:
        """Units where coder B applied the code."""
        return self.both + self.only_b

    @property
    def expected(self) -> float | None:
        """Chance agreement p_e from the coders' marginals (None without units)."""
        if self.n == 0:
            return None
        a0, b0 = self.n - self.used_a, self.n - self.used_b
        return (self.used_a * self.used_b + a0 * b0) / (self.n * self.n)


@dataclass(frozen=True)
class Disagreement:
    """One unit where one coder applied a code and the other did not."""

    unit: Hashable
    code: str
    coder: str


@dataclass(frozen=True)
class AgreementResult:
    """Everything the ``agreement`` command reports; ``to_json`` is the SPEC's shape."""

    coders: tuple[str, str]
    unit: str
    n_units: int
    per_code: dict[str, CodeAgreement]
    alpha: float | None
    alpha_note: str | None
    mean_kappa: float | None
    pooled_kappa: float | None
    disagreements: list[Disagreement] = field(default_factory=list)
    alpha_all_codes: float | None = None
    alpha_all_codes_note: str | None = None
    codes_used: tuple[str, ...] = ()

    @property
    def n_codes(self) -> int:
        """Codes compared (the columns of the unit x code table)."""
        return len(self.per_code)

    def describe_unit(self, n_documents: int | None = None, lang: str = "en") -> str:
        """``unit: document x code, 40 documents, 12 codes used of 20`` (segments: also
        how many documents they lie in, when ``n_documents`` is given)."""
        check_lang(lang)
        if self.unit == "document":
            units = f"{self.n_units} {t('unit_document', lang)}"
        else:
            units = f"{self.n_units} {t('unit_segment', lang)}"
            if n_documents is not None:
                units += f" {t('in', lang)} {n_documents} {t('unit_document', lang)}"
        return (
            f"{t('unit', lang)}: {t('unit_single_' + self.unit, lang)} x code, {units}, "
            f"{len(self.codes_used)} {t('codes_used_of', lang)} {self.n_codes}"
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: ``alpha``, ``alpha_all_codes``, ``n_documents``, ``per_code``
        plus extra keys."""
        return {
            "alpha": self.alpha,
            "alpha_all_codes": self.alpha_all_codes,
            "n_documents": self.n_units,
            "per_code": {
                code: {
                    "kappa": ca.kappa,
                    "agreement": ca.agreement,
                    "n": ca.n,
                    "kappa_note": ca.kappa_note,
                }
                for code, ca in self.per_code.items()
            },
            "alpha_note": self.alpha_note,
            "alpha_all_codes_note": self.alpha_all_codes_note,
            "coders": list(self.coders),
            "unit": self.unit,
            "unit_description": self.describe_unit(),
            "n_codes": self.n_codes,
            "n_codes_used": len(self.codes_used),
            "codes_used": list(self.codes_used),
            "mean_kappa": self.mean_kappa,
            "pooled_kappa": self.pooled_kappa,
            "disagreements": [
                {"unit": _json_unit(d.unit), "code": d.code, "coder": d.coder}
                for d in self.disagreements
            ],
        }

    def render_text(self, lang: str = "nl") -> str:
        """An aligned terminal report: alpha up top, one line per code, notes inline."""
        return render_text(self, lang)


def _json_unit(unit: Hashable) -> Any:
    """Unit ids as JSON values: numpy scalars to Python, tuples to lists."""
    if isinstance(unit, np.generic):
        return unit.item()
    if isinstance(unit, tuple):
        return [_json_unit(u) for u in unit]
    if isinstance(unit, (str, int, float, bool)) or unit is None:
        return unit
    return str(unit)


def cohen_kappa(
    both: int, only_a: int, only_b: int, neither: int
) -> tuple[float | None, str | None]:
    """Cohen's kappa of a 2x2 presence table, or (None, reason) when it is undefined.

    kappa = (p_o - p_e) / (1 - p_e); computed on integer counts so that p_e == 1
    (both coders constant and equal) is detected exactly, not by float luck.
    """
    n = both + only_a + only_b + neither
    if n == 0:
        return None, NO_UNITS
    a1, b1 = both + only_a, both + only_b
    expected = a1 * b1 + (n - a1) * (n - b1)  # p_e * n^2
    if expected == n * n:
        return None, NO_VARIATION
    observed = both + neither  # p_o * n
    return (n * observed - expected) / (n * n - expected), None


def binary_alpha(data: np.ndarray) -> tuple[float | None, str | None]:
    """Krippendorff's alpha (nominal) of a (coders x items) 0/1 array, or (None, reason)."""
    if data.size == 0:
        return None, NO_UNITS
    if np.all(data == data.flat[0]):
        return None, NO_VARIATION
    import krippendorff

    value = krippendorff.alpha(reliability_data=data.astype(float), level_of_measurement="nominal")
    return float(value), None


def _presence(
    pairs: Iterable[tuple[Hashable, str]],
    unit_index: dict[Hashable, int],
    code_index: dict[str, int],
) -> np.ndarray:
    """Units x codes boolean matrix of one coder's (unit, code) set; others ignored."""
    matrix = np.zeros((len(unit_index), len(code_index)), dtype=bool)
    for unit, code in pairs:
        u = unit_index.get(unit)
        c = code_index.get(code)
        if u is not None and c is not None:
            matrix[u, c] = True
    return matrix


def agreement(
    units: Sequence[Hashable],
    codes: Sequence[str],
    coder_a: Iterable[tuple[Hashable, str]],
    coder_b: Iterable[tuple[Hashable, str]],
    *,
    coders: tuple[str, str] = ("A", "B"),
    unit: str = "document",
) -> AgreementResult:
    """Compare two coders on the given units and codes.

    ``units`` are the documents (or segments) both coders coded; ``coder_a`` and
    ``coder_b`` are sets of (unit, code) that each coder applied. Pairs outside
    ``units``/``codes`` are ignored. Every code gets percent agreement and Cohen's
    kappa on presence per unit; alpha is Krippendorff's nominal alpha over the
    unit x code presence values of the codes either coder applied in ``units``
    (``alpha_all_codes``: over every code of ``codes``); ``mean_kappa`` averages the defined kappas and
    ``pooled_kappa`` is De Vries et al.'s pooled kappa (mean p_o vs mean p_e).
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, got {unit!r}")
    unit_list = list(dict.fromkeys(units))
    code_list = [str(c) for c in dict.fromkeys(codes)]
    unit_index = {u: i for i, u in enumerate(unit_list)}
    code_index = {c: i for i, c in enumerate(code_list)}
    a = _presence(coder_a, unit_index, code_index)
    b = _presence(coder_b, unit_index, code_index)
    n = len(unit_list)

    both = (a & b).sum(axis=0)
    only_a = (a & ~b).sum(axis=0)
    only_b = (~a & b).sum(axis=0)
    neither = (~a & ~b).sum(axis=0)
    per_code: dict[str, CodeAgreement] = {}
    for j, code in enumerate(code_list):
        counts = int(both[j]), int(only_a[j]), int(only_b[j]), int(neither[j])
        kappa, note = cohen_kappa(*counts)
        per_code[code] = CodeAgreement(
            code=code,
            n=n,
            both=counts[0],
            only_a=counts[1],
            only_b=counts[2],
            neither=counts[3],
            agreement=(counts[0] + counts[3]) / n if n else None,
            kappa=kappa,
            kappa_note=note,
        )

    used = (a | b).any(axis=0)
    alpha, alpha_note = binary_alpha(
        np.stack([a[:, used].ravel(), b[:, used].ravel()]).astype(np.int8)
    )
    if n and not used.any():
        alpha_note = NO_CODES
    alpha_all, alpha_all_note = binary_alpha(np.stack([a.ravel(), b.ravel()]).astype(np.int8))
    defined = [ca.kappa for ca in per_code.values() if ca.kappa is not None]
    mean_kappa = float(np.mean(defined)) if defined else None
    pooled_kappa = None
    if n and code_list:
        p_o = float(np.mean([ca.agreement for ca in per_code.values()]))
        p_e = float(np.mean([ca.expected for ca in per_code.values()]))
        pooled_kappa = None if p_e >= 1.0 else (p_o - p_e) / (1.0 - p_e)

    rows, cols = np.nonzero(a != b)
    disagreements = [
        Disagreement(unit_list[r], code_list[c], coders[0] if a[r, c] else coders[1])
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
    ]
    return AgreementResult(
        coders=(str(coders[0]), str(coders[1])),
        unit=unit,
        n_units=n,
        per_code=per_code,
        alpha=alpha,
        alpha_note=alpha_note,
        mean_kappa=mean_kappa,
        pooled_kappa=pooled_kappa,
        disagreements=disagreements,
        alpha_all_codes=alpha_all,
        alpha_all_codes_note=alpha_all_note,
        codes_used=tuple(c for c, u in zip(code_list, used.tolist(), strict=True) if u),
    )


def render_text(result: AgreementResult, lang: str = "nl") -> str:
    """Terminal report: header with alpha, aligned per-code table, summary lines."""
    check_lang(lang)
    a_name, b_name = result.coders
    unit_word = t("unit_" + result.unit, lang)

    def alpha_text(value: float | None, note: str | None) -> str:
        if value is None and note:
            return f"- ({t(note, lang)})"
        return fmt_decimal(value, lang, 3)

    lines = [
        f"{t('agreement_between', lang)} {a_name} {t('and', lang)} {b_name}: "
        f"{result.n_units} {unit_word}",
        result.describe_unit(lang=lang),
        f"{t('alpha', lang)}, {t('alpha_used', lang)}: {alpha_text(result.alpha, result.alpha_note)}",
        f"{t('alpha', lang)}, {t('alpha_all', lang)}: "
        f"{alpha_text(result.alpha_all_codes, result.alpha_all_codes_note)}",
        "",
    ]
    header = [t("code", lang), "n", t("agreement", lang), t("kappa", lang), a_name, b_name]
    header.append(t("note", lang))
    right = [False, True, True, True, True, True, False]
    body = []
    for ca in result.per_code.values():
        kappa = fmt_decimal(ca.kappa, lang, 3)
        note = t(ca.kappa_note, lang) if ca.kappa_note else ""
        agree = "-" if ca.agreement is None else fmt_percent(ca.agreement, lang)
        body.append([ca.code, str(ca.n), agree, kappa, str(ca.used_a), str(ca.used_b), note])
    widths = [max([len(header[j])] + [len(r[j]) for r in body]) for j in range(len(header))]

    def line(cells: list[str]) -> str:
        out = [
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        ]
        return "  ".join(out).rstrip()

    lines += [line(header), "  ".join("-" * w for w in widths), *[line(r) for r in body]]
    only_a = sum(ca.only_a for ca in result.per_code.values())
    only_b = sum(ca.only_b for ca in result.per_code.values())
    lines += [
        "",
        f"{t('mean_kappa', lang)}: {fmt_decimal(result.mean_kappa, lang, 3)} · "
        f"{t('pooled_kappa', lang)}: {fmt_decimal(result.pooled_kappa, lang, 3)}",
        f"{t('disagreements', lang)}: {len(result.disagreements)} "
        f"({t('only', lang)} {a_name}: {only_a}, "
        f"{t('only', lang)} {b_name}: {only_b})",
    ]
    return "\n".join(lines) + "\n"
