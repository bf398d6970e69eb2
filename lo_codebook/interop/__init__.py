"""Interoperability: REFI-QDA codebooks (.qdc) and projects (.qdpx), read safely.

Pure conversion between files and the dataclasses of `model`; the core maps
those to and from the database. Nothing here touches the database or the UI.
"""

from __future__ import annotations

from lo_codebook.interop.model import (
    RefiCase,
    RefiCode,
    RefiCodebook,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
    is_guid,
    new_guid,
    normalise_guid,
)
from lo_codebook.interop.qdc import read_codebook, read_qdc, write_qdc
from lo_codebook.interop.qdpx import read_qdpx, write_qdpx

__all__ = [
    "RefiCase",
    "RefiCode",
    "RefiCodebook",
    "RefiCoding",
    "RefiNote",
    "RefiProject",
    "RefiSelection",
    "RefiSet",
    "RefiSource",
    "RefiUser",
    "RefiVariable",
    "is_guid",
    "new_guid",
    "normalise_guid",
    "read_codebook",
    "read_qdc",
    "read_qdpx",
    "write_qdc",
    "write_qdpx",
]
