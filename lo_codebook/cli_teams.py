"""Commands for teams and interoperability (agreement, merges, REFI-QDA), registered on `cli`."""

from __future__ import annotations
