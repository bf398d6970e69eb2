"""Inter-coder agreement against textbook arithmetic and the krippendorff package."""

from __future__ import annotations

import json
from fractions import Fraction

import krippendorff
import numpy as np
import pytest

from lo_codebook.analysis.agreement import (
    NO_CODES,
    NO_UNITS,
    NO_VARIATION,
    agreement,
    binary_alpha,
    cohen_kappa,
)


def textbook_kappa(both: int, only_a: int, only_b: int, neither: int) -> float:
    """kappa = (p_o - p_e) / (1 - p_e), p_e = p_a1 * p_b1 + p_a0 * p_b0 (Cohen 1960)."""
    n = both + only_a + only_b + neither
    p_o = (both + neither) / n
    p_a1, p_b1 = (both + only_a) / n, (both + only_b) / n
    p_e = p_a1 * p_b1 + (1 - p_a1) * (1 - p_b1)
    return (p_o - p_e) / (1 - p_e)


def test_kappa_table_20_5_10_15():
    # n = 50; p_o = 35/50 = 0.7; p_a1 = 25/50 = 0.5; p_b1 = 30/50 = 0.6
    # p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    kappa, note = cohen_kappa(20, 5, 10, 15)
    assert note is None
    assert kappa == pytest.approx(0.4, abs=1e-9)
    assert kappa == pytest.approx(textbook_kappa(20, 5, 10, 15), abs=1e-9)


def test_kappa_table_45_15_25_15():
    # n = 100; p_o = 0.60; p_a1 = 0.60; p_b1 = 0.70
    # p_e = 0.6 * 0.7 + 0.4 * 0.3 = 0.42 + 0.12 = 0.54; kappa = 0.06 / 0.46 = 3/23
    kappa, _ = cohen_kappa(45, 15, 25, 15)
    assert kappa == pytest.approx(3 / 23, abs=1e-9)


def test_kappa_perfect_and_opposite():
    # 3 both, 7 neither: p_o = 1, p_e = 0.3 * 0.3 + 0.7 * 0.7 = 0.58 -> kappa 1
    assert cohen_kappa(3, 0, 0, 7) == (pytest.approx(1.0, abs=1e-9), None)
    # always disagree, balanced: p_o = 0, p_e = 0.5 -> kappa = -0.5 / 0.5 = -1
    assert cohen_kappa(0, 5, 5, 0)[0] == pytest.approx(-1.0, abs=1e-9)


def test_kappa_one_coder_constant_is_defined_zero():
    # A applies the code everywhere, B nowhere: p_o = 0, p_e = 1*0 + 0*1 = 0 -> kappa 0
    assert cohen_kappa(0, 10, 0, 0) == (0.0, None)
    # A never, B once in 4: p_o = 3/4, p_e = 0 * 1/4 + 1 * 3/4 = 3/4 -> kappa 0
    assert cohen_kappa(0, 0, 1, 3)[0] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("table", [(0, 0, 0, 10), (10, 0, 0, 0), (0, 0, 0, 1)])
def test_kappa_undefined_without_variation(table):
    assert cohen_kappa(*table) == (None, NO_VARIATION)


def test_kappa_undefined_without_units():
    assert cohen_kappa(0, 0, 0, 0) == (None, NO_UNITS)


UNITS = [1, 2, 3, 4, 5]
CODES = ["Werkdruk", "Leiderschap", "Nooit", "Altijd"]
CODER_A = {(1, "Werkdruk"), (2, "Werkdruk"), (3, "Leiderschap")} | {(u, "Altijd") for u in UNITS}
CODER_B = {(1, "Werkdruk"), (3, "Werkdruk"), (3, "Leiderschap"), (4, "Leiderschap")} | {
    (u, "Altijd") for u in UNITS
}


@pytest.fixture()
def result():
    extra_a = CODER_A | {(99, "Werkdruk"), (1, "Onbekend")}  # outside units/codes: ignored
    return agreement(UNITS, CODES, extra_a, CODER_B, coders=("anna", "bram"))


def test_per_code_counts_agreement_and_kappa(result):
    werkdruk = result.per_code["Werkdruk"]
    # units 1..5: A = {1,2}, B = {1,3} -> both 1, only A 1, only B 1, neither 2
    assert (werkdruk.both, werkdruk.only_a, werkdruk.only_b, werkdruk.neither) == (1, 1, 1, 2)
    assert werkdruk.agreement == pytest.approx(3 / 5)
    # p_e = 2/5 * 2/5 + 3/5 * 3/5 = 13/25; kappa = (15/25 - 13/25) / (12/25) = 1/6
    assert werkdruk.kappa == pytest.approx(1 / 6, abs=1e-9)
    leiderschap = result.per_code["Leiderschap"]
    # A = {3}, B = {3,4}: p_o = 4/5; p_e = 1/5*2/5 + 4/5*3/5 = 14/25; kappa = 6/25 / 11/25
    assert leiderschap.kappa == pytest.approx(6 / 11, abs=1e-9)
    assert result.n_units == 5
    assert all(ca.n == 5 for ca in result.per_code.values())


def test_undefined_kappas_are_none_with_reason(result):
    for code in ("Nooit", "Altijd"):
        ca = result.per_code[code]
        assert ca.kappa is None
        assert ca.kappa_note == "undefined: no variation"
        assert ca.agreement == 1.0


def reliability_data(codes: list[str] = CODES) -> np.ndarray:
    """2 coders x (units * codes) presence, built independently of the module."""
    a = [[1 if (u, c) in CODER_A else 0 for c in codes] for u in UNITS]
    b = [[1 if (u, c) in CODER_B else 0 for c in codes] for u in UNITS]
    return np.array([np.ravel(a), np.ravel(b)], dtype=float)


USED = [c for c in CODES if any(code == c for _, code in CODER_A | CODER_B)]


def test_alpha_equals_krippendorff_package(result):
    assert USED == ["Werkdruk", "Leiderschap", "Altijd"]  # "Nooit": nobody applied it
    used = krippendorff.alpha(
        reliability_data=reliability_data(USED), level_of_measurement="nominal"
    )
    everything = krippendorff.alpha(
        reliability_data=reliability_data(), level_of_measurement="nominal"
    )
    assert result.alpha == pytest.approx(used, abs=1e-9)
    assert result.alpha_all_codes == pytest.approx(everything, abs=1e-9)
    assert result.codes_used == tuple(USED) and result.n_codes == 4
    print(
        f"alpha over codes used {result.alpha:.6f} (package {used:.6f}); "
        f"all codes {result.alpha_all_codes:.6f} (package {everything:.6f})"
    )


def test_unused_codes_change_only_alpha_all_codes(result):
    """A bigger codebook adds "absent, absent" units: alpha_all_codes rises, alpha stays."""
    bigger = agreement(
        UNITS, [*CODES, "Extra 1", "Extra 2", "Extra 3"], CODER_A, CODER_B, coders=("anna", "bram")
    )
    assert bigger.alpha == pytest.approx(result.alpha, abs=1e-12)
    assert bigger.alpha_all_codes > result.alpha_all_codes
    assert bigger.codes_used == result.codes_used and bigger.n_codes == 7
    assert bigger.describe_unit() == "unit: document x code, 5 documents, 3 codes used of 7"


def coincidence_alpha(data: np.ndarray) -> float:
    """Nominal alpha from the coincidence matrix (Krippendorff 2011, section C).

    o_ck = sum over units of (number of c-k pairs) / (m_u - 1); n_c = row sums;
    alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k.
    """
    values = sorted({int(v) for v in data.ravel()})
    o = {(c, k): Fraction(0) for c in values for k in values}
    for unit in data.T:
        m = len(unit)
        for i in range(m):
            for j in range(m):
                if i != j:
                    o[int(unit[i]), int(unit[j])] += Fraction(1, m - 1)
    n_c = {c: sum(o[c, k] for k in values) for c in values}
    n = sum(n_c.values())
    observed = sum(o[c, k] for c in values for k in values if c != k)
    expected = sum(n_c[c] * n_c[k] for c in values for k in values if c != k)
    return float(1 - (n - 1) * observed / expected)


def test_alpha_equals_hand_computation_from_coincidences(result):
    # All codes: 20 items, 3 disagreeing -> o_01 = o_10 = 3; n_1 = 8 + 9 = 17, n_0 = 23, n = 40
    # alpha = 1 - 39 * 6 / (2 * 23 * 17) = 1 - 117/391 = 274/391
    assert coincidence_alpha(reliability_data()) == pytest.approx(274 / 391, abs=1e-12)
    assert result.alpha_all_codes == pytest.approx(274 / 391, abs=1e-9)
    # Codes used (without "Nooit"): 15 items, n_1 = 17, n_0 = 13, n = 30
    # alpha = 1 - 29 * 6 / (2 * 13 * 17) = 1 - 174/442 = 134/221
    assert coincidence_alpha(reliability_data(USED)) == pytest.approx(134 / 221, abs=1e-12)
    assert result.alpha == pytest.approx(134 / 221, abs=1e-9)


def test_alpha_textbook_binary_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha", binary data, 2 observers, 10 units:
    # o_00 = 10, o_01 = o_10 = 4, o_11 = 2; alpha = 1 - 19 * 4 / (14 * 6) = 0.095
    data = np.array([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]])
    alpha, note = binary_alpha(data)
    assert note is None
    assert alpha == pytest.approx(1 - 19 * 4 / 84, abs=1e-9)
    assert alpha == pytest.approx(coincidence_alpha(data), abs=1e-9)
    assert round(alpha, 3) == 0.095


def test_alpha_through_agreement_matches_textbook_example():
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    units = list(range(10))
    res = agreement(
        units,
        ["X"],
        {(u, "X") for u in units if a[u]},
        {(u, "X") for u in units if b[u]},
    )
    assert res.alpha == pytest.approx(1 - 76 / 84, abs=1e-9)
    assert res.alpha_all_codes == pytest.approx(1 - 76 / 84, abs=1e-9)


def test_alpha_undefined_cases():
    nobody = agreement([1, 2], ["X", "Y"], set(), set())
    assert nobody.alpha_all_codes is None and nobody.alpha_all_codes_note == NO_VARIATION
    assert nobody.alpha is None and nobody.alpha_note == NO_CODES
    assert nobody.mean_kappa is None
    empty = agreement([], ["X"], set(), set())
    assert empty.alpha is None and empty.alpha_note == NO_UNITS
    assert empty.per_code["X"].agreement is None
    assert empty.per_code["X"].kappa_note == NO_UNITS
    assert empty.pooled_kappa is None


def test_mean_and_pooled_kappa(result):
    assert result.mean_kappa == pytest.approx((1 / 6 + 6 / 11) / 2, abs=1e-9)
    # pooled (De Vries et al. 2008): mean p_o and mean p_e over the four codes
    p_o = (3 / 5 + 4 / 5 + 1 + 1) / 4
    p_e = (13 / 25 + 14 / 25 + 1 + 1) / 4
    assert result.pooled_kappa == pytest.approx((p_o - p_e) / (1 - p_e), abs=1e-9)


def test_disagreements_name_the_coder_who_had_the_code(result):
    assert [(d.unit, d.code, d.coder) for d in result.disagreements] == [
        (2, "Werkdruk", "anna"),
        (3, "Werkdruk", "bram"),
        (4, "Leiderschap", "bram"),
    ]


def test_to_json_shape(result):
    data = result.to_json()
    assert {"alpha", "alpha_all_codes", "n_documents", "per_code"} <= set(data)
    assert data["alpha"] == pytest.approx(134 / 221) and data["alpha_all_codes"] == pytest.approx(
        274 / 391
    )
    assert data["unit_description"] == "unit: document x code, 5 documents, 3 codes used of 4"
    assert (data["n_codes"], data["n_codes_used"]) == (4, 3)
    assert data["n_documents"] == 5
    assert list(data["per_code"]) == CODES
    for entry in data["per_code"].values():
        assert {"kappa", "agreement", "n"} <= set(entry)
    assert data["per_code"]["Nooit"]["kappa"] is None
    assert data["per_code"]["Nooit"]["kappa_note"] == "undefined: no variation"
    assert data["per_code"]["Werkdruk"] == {
        "kappa": pytest.approx(1 / 6),
        "agreement": pytest.approx(0.6),
        "n": 5,
        "kappa_note": None,
    }
    assert data["disagreements"][0] == {"unit": 2, "code": "Werkdruk", "coder": "anna"}
    assert json.loads(json.dumps(data)) == data


def test_segment_units_as_tuples_serialise():
    units = [(1, 0), (1, 1), (np.int64(2), 0)]
    res = agreement(units, ["X"], {((1, 0), "X")}, {((1, 1), "X")}, unit="segment")
    data = json.loads(json.dumps(res.to_json()))
    assert data["unit"] == "segment"
    assert [d["unit"] for d in data["disagreements"]] == [[1, 0], [1, 1]]


def test_render_text(result):
    text = result.render_text()
    assert text.startswith("Overeenstemming tussen anna en bram: 5 documenten")
    assert "eenheid: document x code, 5 documenten, 3 codes gebruikt van 4" in text
    assert "Krippendorffs alfa (nominaal), gebruikte codes: 0,606" in text
    assert "Krippendorffs alfa (nominaal), alle codes: 0,701" in text
    assert "niet gedefinieerd: geen variatie" in text
    assert "verschillen: 3 (alleen anna: 1, alleen bram: 2)" in text
    english = result.render_text("en")
    assert "unit: document x code, 5 documents, 3 codes used of 4" in english
    assert "Krippendorff's alpha (nominal), codes used: 0.606" in english
    assert "Krippendorff's alpha (nominal), all codes: 0.701" in english
    assert "undefined: no variation" in english
