"""Validation sample statistics: draw the sample, score the engine, estimate the true counts.

A coder who reviews suggestions sees the engine's false positives but never its misses, so a
count built from reviewed suggestions can be far too low. A random sample of documents coded
fully by hand measures both. This module is pure arithmetic on arrays (no database), so the
simulation test calls exactly what `lo-codebook validate --report` and `themes` use.

The estimator (docs/VALIDATION.md): the documents are split into cells, by design stratum
(`--by`) and by whether the engine flagged the theme in the document. The share of documents
that mention the theme is estimated per cell from the sample; the total is
`sum(N_cell * share_cell)`. Each share gets a Wilson interval with the finite population
correction; the cells' intervals are combined into one for the total with MOVER (the method
of variance estimates recovery, Zou & Donner 2008), which keeps Wilson's good coverage for
small samples and for shares near 0 or 1.

Every function takes arrays whose last axis is the cells; leading axes broadcast, so 1,000
simulated projects are one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054  # the normal quantile of a 95% two-sided interval
MIN_POSITIVES = 5  # fewer documents mentioning a theme in the sample: the estimate is shaky


@dataclass(frozen=True)
class Interval:
    """A point value with its 95% interval (None when there is nothing to estimate from)."""

    value: float | None
    low: float | None
    high: float | None


def wilson(
    successes: np.ndarray | float, n: np.ndarray | float, z: float = Z95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share, low, high: the Wilson score interval (no finite population). n=0 gives 0, 0, 1."""
    y = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    return _wilson(y, n, np.ones_like(n * y), z)


def wilson_fpc(
    successes: np.ndarray | float,
    n: np.ndarray | float,
    population: np.ndarray | float,
    z: float = Z95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share, low, high of a share in a finite population of `population`, from `n` drawn
    without replacement: Wilson with the variance times (N - n) / (N - 1), so that a sample
    of the whole cell has no uncertainty left."""
    y = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    size = np.asarray(population, dtype=float)
    fpc = np.where(size > 1, (size - n) / np.maximum(size - 1, 1), 0.0)
    return _wilson(y, n, np.clip(fpc, 0.0, 1.0), z)


def _wilson(
    y: np.ndarray, n: np.ndarray, fpc: np.ndarray, z: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    drawn = n > 0
    safe_n = np.where(drawn, n, 1.0)
    share = np.where(drawn, y / safe_n, 0.0)
    k = z * z * fpc / safe_n  # z^2 / n', n' the effective sample size
    centre = (share + k / 2) / (1 + k)
    half = np.sqrt(np.maximum(k * share * (1 - share) + k * k / 4, 0.0)) / (1 + k)
    low = np.where(drawn, np.clip(centre - half, 0.0, 1.0), 0.0)
    high = np.where(drawn, np.clip(centre + half, 0.0, 1.0), 1.0)
    # rounding must never put the share outside its own interval
    return share, np.minimum(low, share), np.maximum(high, share)


def total_interval(
    population: np.ndarray, sampled: np.ndarray, positives: np.ndarray, z: float = Z95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimate, low, high of the number of documents that mention the theme.

    Per cell (last axis): `population` documents, `sampled` of them in the sample (coded by
    hand), `positives` of those mention the theme. Estimate = sum(N * share); interval:
    each cell's Wilson-with-FPC interval, combined by MOVER. Cells with documents but no
    sampled document must be merged first (`collapse_empty`): they carry no information.
    The bounds are clipped to what is possible: at least the positives found, at most the
    documents that were not found to be negative.
    """
    size = np.asarray(population, dtype=float)
    n = np.asarray(sampled, dtype=float)
    y = np.asarray(positives, dtype=float)
    share, low, high = wilson_fpc(y, n, size, z)
    estimate = (size * share).sum(axis=-1)
    down = np.sqrt(((size * (share - low)) ** 2).sum(axis=-1))
    up = np.sqrt(((size * (high - share)) ** 2).sum(axis=-1))
    floor = y.sum(axis=-1)
    ceiling = size.sum(axis=-1) - (n - y).sum(axis=-1)
    return (
        estimate,
        np.clip(estimate - down, floor, ceiling),
        np.clip(estimate + up, floor, ceiling),
    )


def collapse_empty(
    population: np.ndarray, sampled: np.ndarray, positives: np.ndarray, flagged: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Merge cells when one has documents but none in the sample: it carries no information.

    Cells are (design stratum x engine flag); `flagged` says which cells hold the documents
    the engine flagged (last axis, shared by all leading axes). First the strata are merged,
    keeping the flag (the flag says much more about a document than its stratum, and a
    proportional sample is close to self-weighting); when a flag group has no sampled
    document either, everything is one cell (the plain sample share). Merged cells become
    empty; the arrays keep their shape.
    """
    size = np.asarray(population, dtype=float)
    n = np.asarray(sampled, dtype=float)
    y = np.asarray(positives, dtype=float)
    flags = np.asarray(flagged, dtype=bool)
    groups = [np.flatnonzero(flags == value) for value in (False, True)]
    groups = [g for g in groups if len(g)]

    def merged(arrays: tuple[np.ndarray, ...], parts: list[np.ndarray]) -> list[np.ndarray]:
        out = []
        for arr in arrays:
            new = np.zeros_like(arr)
            for cells in parts:
                new[..., cells[0]] = arr[..., cells].sum(axis=-1)
            out.append(new)
        return out

    def has_empty(s: np.ndarray, m: np.ndarray) -> np.ndarray:
        return ((m == 0) & (s > 0)).any(axis=-1)

    by_flag = merged((size, n, y), groups)
    one = merged((size, n, y), [np.concatenate(groups)] if groups else [])
    use_flag = has_empty(size, n)
    use_one = use_flag & has_empty(by_flag[0], by_flag[1])
    result = []
    for original, flag_level, single in zip((size, n, y), by_flag, one, strict=True):
        chosen = np.where(use_flag[..., None], flag_level, original)
        result.append(np.where(use_one[..., None], single, chosen))
    return result[0], result[1], result[2]


def allocate(sizes: Sequence[int], total: int) -> list[int]:
    """Proportional allocation of `total` sampled documents over strata of `sizes`, at least
    one per (non-empty) stratum, never more than a stratum has; largest remainders first.

    Raises ValueError when it cannot be done (more strata than `total`, or `total` more than
    the documents)."""
    counts = np.asarray(sizes, dtype=np.int64)
    if (counts < 1).any():
        raise ValueError("every stratum needs at least one document")
    if total > counts.sum():
        raise ValueError(f"{total} is more than the {int(counts.sum())} documents")
    if total < len(counts):
        raise ValueError(f"{len(counts)} groups need a sample of at least {len(counts)}")
    exact = counts * total / counts.sum()
    alloc = np.clip(np.floor(exact).astype(np.int64), 1, counts)
    remainder = exact - np.floor(exact)
    while alloc.sum() < total:  # the largest remainders (then the largest strata) get one more
        room = alloc < counts
        key = np.where(room, remainder + counts * 1e-12, -np.inf)
        pick = int(np.argmax(key))
        alloc[pick] += 1
        remainder[pick] = -1.0
    while alloc.sum() > total:  # the minimum of one overshot: take from the best served
        over = np.where(alloc > 1, alloc - exact, -np.inf)
        alloc[int(np.argmax(over))] -= 1
    return [int(a) for a in alloc]


def draw(document_ids: Sequence[int], strata: Sequence[int], size: int, seed: int) -> list[int]:
    """The sampled document ids, in the order the coder should code them.

    Simple random sampling without replacement within each stratum (`strata`: a stratum
    number per document), proportional allocation (`allocate`). The same ids, strata, size
    and seed always give the same sample (numpy's PCG64 generator)."""
    ids = np.asarray(document_ids, dtype=np.int64)
    groups = np.asarray(strata, dtype=np.int64)
    order = np.lexsort((ids, groups))  # independent of the order the database returned
    ids, groups = ids[order], groups[order]
    labels, sizes = np.unique(groups, return_counts=True)
    counts = allocate(sizes.tolist(), size)
    rng = np.random.default_rng(seed)
    chosen: list[np.ndarray] = []
    for label, n in zip(labels, counts, strict=True):
        members = ids[groups == label]
        chosen.append(rng.choice(members, size=n, replace=False))
    picked = np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)
    return [int(i) for i in rng.permutation(picked)]  # coding order: strata mixed


def rate(successes: int, n: int) -> Interval:
    """A share with its Wilson interval; None when there is nothing to divide by."""
    if n <= 0:
        return Interval(None, None, None)
    share, low, high = wilson(successes, n)
    return Interval(float(share), float(low), float(high))


@dataclass(frozen=True)
class ThemeEstimate:
    """The engine's quality on the sample and the estimated count for one theme."""

    positives: int  # sampled documents the coder coded with the theme
    flagged_in_sample: int  # sampled documents the engine flagged
    true_positives: int
    precision: Interval
    recall: Interval
    total: Interval  # documents in the whole frame that mention the theme

    @property
    def reliable(self) -> bool:
        return self.positives >= MIN_POSITIVES


def estimate_theme(
    population: np.ndarray,
    sampled: np.ndarray,
    positives: np.ndarray,
    cell_flagged: np.ndarray,
) -> ThemeEstimate:
    """One theme: cells (stratum x engine flag, `cell_flagged` says which are flagged) with
    their population, sampled documents and sampled positives; the positives in flagged
    cells are the engine's true positives."""
    size = np.asarray(population, dtype=float)
    n = np.asarray(sampled, dtype=float)
    y = np.asarray(positives, dtype=float)
    flags = np.asarray(cell_flagged, dtype=bool)
    true_pos = int(y[flags].sum())
    flagged_n = int(n[flags].sum())
    found = int(y.sum())
    merged = collapse_empty(size, n, y, flags)
    estimate, low, high = total_interval(*merged)
    return ThemeEstimate(
        positives=found,
        flagged_in_sample=flagged_n,
        true_positives=true_pos,
        precision=rate(true_pos, flagged_n),
        recall=rate(true_pos, found),
        total=Interval(float(estimate), float(low), float(high)),
    )
