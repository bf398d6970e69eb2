"""The theme table result: one DataFrame plus the metadata every export must repeat.

A frequency table without its scope and threshold cannot be reproduced, so the
numbers and the settings travel together from computation to every renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

ROW_COLUMNS: tuple[str, ...] = ("code_id", "code", "category", "documents", "mentions", "share")


@dataclass(frozen=True)
class ThemeTable:
    """Rows (in display order) and the settings that produced them.

    ``rows`` has columns ``code_id, code, category, documents, mentions, share``
    (``category`` is None for a root code). With ``by``, ``by_counts`` holds the
    documents per group and ``by_share`` the fraction of that group's documents,
    both indexed like ``rows`` with one column per group in natural order;
    ``group_sizes`` maps each group to its number of documents in scope and
    ``missing_label`` names the group of documents without a value.
    """

    rows: pd.DataFrame
    scope: int
    above: int | None = None
    unit: str = "document"
    level: str = "theme"
    by: str | None = None
    by_counts: pd.DataFrame | None = None
    by_share: pd.DataFrame | None = None
    group_sizes: dict[str, int] = field(default_factory=dict)
    missing_label: str | None = None
    coder: str | None = None
    #: The coders whose codings were counted, and every coder with codings in the project
    #: (empty when the caller did not say): every rendering names the counted ones.
    coders: tuple[str, ...] = ()
    coders_available: tuple[str, ...] = ()
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: From a validation sample (`lo-codebook validate`): per row the estimated number of
    #: documents that mention the theme, with its 95% interval (columns ``estimate, low,
    #: high``, indexed like ``rows``; NaN where there is none), and whose validation it is.
    estimates: pd.DataFrame | None = None
    estimates_source: str | None = None
    #: With ``by`` and a validation sample stratified by the same attribute: per group the
    #: estimated documents of that group that mention the theme (group -> frame with
    #: ``estimate, low, high`` indexed like ``rows``); None otherwise.
    by_estimates: dict[str, pd.DataFrame] | None = None
    #: Lines for the user about the estimates (themes left out by the coded count whose
    #: estimated interval reaches above the threshold, rough estimates).
    estimate_notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def groups(self) -> list[str]:
        """Group labels in display order (empty without ``by``)."""
        return [] if self.by_counts is None else [str(c) for c in self.by_counts.columns]

    def uncertain(self, i: int) -> bool:
        """Row ``i``'s estimated interval straddles the threshold: it may or may not be above."""
        if self.estimates is None or self.above is None:
            return False
        low, high = self.estimates.at[i, "low"], self.estimates.at[i, "high"]
        return bool(pd.notna(low) and pd.notna(high) and low <= self.above < high)

    @property
    def metric(self) -> str:
        """The column the threshold and the order use: ``documents`` or ``mentions``."""
        return "mentions" if self.unit == "mention" else "documents"
