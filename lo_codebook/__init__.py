"""lo-codebook: code interviews and open survey answers with a codebook, in the terminal."""

from __future__ import annotations

__version__ = "0.1.0"
