"""Group labels for ``--by`` and the order a researcher expects them in.

Case attributes such as municipality size class are stored as text
(``<20.000``, ``20.000-50.000``, ``>100.000``, ``G4``); sorting them as strings
puts ``>100.000`` before ``20.000-50.000``. The key here reads the numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

MISSING_LABELS: dict[str, str] = {"nl": "(onbekend)", "en": "(missing)"}

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LEADING = re.compile(r"^\s*(<=|>=|≤|≥|<|>|-)?\s*(?=\d)")
_DIGITS = re.compile(r"(\d+)")


def parse_number(text: str) -> float:
    """Read ``20.000``, ``20,000``, ``1.000.000``, ``2,5``, ``1.234,5`` the way people write them."""
    if "." in text and "," in text:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        grouping = "," if decimal == "." else "."
        return float(text.replace(grouping, "").replace(decimal, "."))
    sep = "." if "." in text else ("," if "," in text else "")
    if sep and (text.count(sep) > 1 or re.fullmatch(r"\d{1,3}[.,]\d{3}", text)):
        return float(text.replace(sep, ""))
    return float(text.replace(",", "."))


def _natural(text: str) -> tuple[object, ...]:
    """Case-insensitive key that compares digit runs as numbers ("Groep 2" < "Groep 10")."""
    parts = _DIGITS.split(text.casefold())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p != "")


def group_sort_key(label: object) -> tuple[object, ...]:
    """Sort key: numeric labels by value (``<N`` just before ``N``, ``>N`` just after), then text.

    ``<20.000`` < ``20.000-50.000`` < ``50.000-100.000`` < ``>100.000`` < ``G4``: a
    label is numeric when it starts with a number, optionally after ``<``, ``>``,
    ``<=``, ``>=`` or a minus sign; everything else sorts after, naturally.
    """
    text = str(label).strip()
    lead = _LEADING.match(text)
    if lead is not None:
        numbers = [parse_number(m.group(0)) for m in _NUMBER.finditer(text[lead.end() :])]
        if numbers:
            sign = lead.group(1) or ""
            first = numbers[0]
            if sign == "-":
                first = -first
            rank = {"<": -2, "<=": -1, "≤": -1, ">=": 1, "≥": 1, ">": 2}.get(sign, 0)
            upper = numbers[1] if len(numbers) > 1 else first
            return (0, first, rank, upper, _natural(text))
    return (1, 0.0, 0, 0.0, _natural(text))


def sort_groups(labels: Iterable[str], missing_label: str | None = None) -> list[str]:
    """Distinct labels in natural order, the missing-value group always last."""
    distinct = {str(label) for label in labels}
    has_missing = missing_label is not None and missing_label in distinct
    ordered = sorted((lab for lab in distinct if lab != missing_label), key=group_sort_key)
    if has_missing:
        ordered.append(str(missing_label))
    return ordered


def _float_label(value: float) -> str | None:
    """Label of a float attribute: ``20.0`` -> ``20``, NaN -> None."""
    if math.isnan(value):
        return None
    return str(int(value)) if value.is_integer() else str(value)


def group_labels(values: pd.Series, missing_label: str) -> pd.Series:
    """Attribute values as group labels (str), missing or blank values as ``missing_label``."""
    if pd.api.types.is_float_dtype(values.dtype):
        labels = pd.Series([_float_label(float(v)) for v in values], index=values.index)
        text = labels.astype("string")
    else:
        text = values.astype("string").str.strip()
    text = text.mask(text.isna() | (text == ""), missing_label)
    return text.astype("object")


def factorize_groups(values: pd.Series, missing_label: str) -> tuple[np.ndarray, list[str]]:
    """Group number per value and the labels in natural order (missing last).

    Raw values are factorised first, so labels are computed once per distinct value.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    raw = pd.Series(list(uniques), dtype="object")
    if pd.api.types.is_float_dtype(values.dtype):
        raw = raw.astype("float64")
    labels = group_labels(raw, missing_label).tolist()
    if (codes < 0).any():
        codes = np.where(codes < 0, len(labels), codes)
        labels.append(missing_label)
    ordered = sort_groups(labels, missing_label)
    remap = np.array([ordered.index(lab) for lab in labels], dtype=np.int64)
    return remap[codes] if len(codes) else np.zeros(0, dtype=np.int64), ordered
