"""Column contracts for the DataFrames the core hands to the analysis layer.

The core aggregates in SQL; analysis only sees these three frames, so the contract
lives in one place and is checked once at the boundary instead of failing deep
inside a groupby.

``codes``
    The codebook tree. ``id: int`` (unique), ``name: str``, ``parent_id: int | NA``
    (NA for a root code). A code without children is a *theme*; a code with
    children is a *category*.

``pairs``
    One row per (code, document) that has at least one coding, already aggregated
    in SQL and optionally filtered to one coder. ``code_id: int``,
    ``document_id: int``, ``mentions: int`` (number of codings, >= 1). An optional
    ``coder: str`` column lets co-occurrence split by coder.

``documents``
    The documents in scope: every row counts in the share denominator, whether
    coded or not. ``id: int`` (unique), ``name: str``, ``case: str | NA``, plus
    one column per case attribute that may be used for ``--by``
    (e.g. ``size_class``). Pairs whose document is not in this frame are out of
    scope and ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

CODES_COLUMNS: tuple[str, ...] = ("id", "name", "parent_id")
PAIRS_COLUMNS: tuple[str, ...] = ("code_id", "document_id", "mentions")
DOCUMENTS_COLUMNS: tuple[str, ...] = ("id", "name", "case")


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Fail at the boundary with the missing column names, not later with a KeyError."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} frame lacks column(s) {missing}; has {list(frame.columns)}")


def check_codes(codes: pd.DataFrame) -> pd.DataFrame:
    """Validate the codebook frame (unique ids, parents that exist) and return it."""
    _require(codes, CODES_COLUMNS, "codes")
    if codes["id"].duplicated().any():
        raise ValueError("codes frame has duplicate ids")
    parents = codes["parent_id"].dropna()
    unknown = set(parents.astype("int64")) - set(codes["id"].astype("int64"))
    if unknown:
        raise ValueError(f"codes frame has parent_id(s) that are not codes: {sorted(unknown)}")
    return codes


def check_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """Validate the (code, document, mentions) frame and return it."""
    _require(pairs, PAIRS_COLUMNS, "pairs")
    return pairs


def check_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """Validate the documents-in-scope frame (unique ids) and return it."""
    _require(documents, DOCUMENTS_COLUMNS, "documents")
    if documents["id"].duplicated().any():
        raise ValueError("documents frame has duplicate ids")
    return documents


def attribute_columns(documents: pd.DataFrame) -> list[str]:
    """The case attributes a user may pass to ``--by`` (every non-contract column)."""
    return [c for c in documents.columns if c not in DOCUMENTS_COLUMNS]


def make_codes(rows: Iterable[tuple[int, str, int | None]] = ()) -> pd.DataFrame:
    """Build a ``codes`` frame from (id, name, parent_id) tuples with contract dtypes."""
    frame = pd.DataFrame(list(rows), columns=list(CODES_COLUMNS))
    return frame.astype({"id": "int64", "name": "object", "parent_id": "Int64"})


def make_pairs(rows: Iterable[tuple[int, int, int]] = ()) -> pd.DataFrame:
    """Build a ``pairs`` frame from (code_id, document_id, mentions) tuples."""
    frame = pd.DataFrame(list(rows), columns=list(PAIRS_COLUMNS))
    return frame.astype("int64")


def make_documents(
    rows: Iterable[tuple[int, str, str | None]] = (),
    **attributes: Sequence[object],
) -> pd.DataFrame:
    """Build a ``documents`` frame from (id, name, case) tuples plus attribute columns."""
    frame = pd.DataFrame(list(rows), columns=list(DOCUMENTS_COLUMNS))
    frame = frame.astype({"id": "int64", "name": "object", "case": "object"})
    for key, values in attributes.items():
        frame[key] = pd.Series(list(values), index=frame.index, dtype="object")
    return frame
