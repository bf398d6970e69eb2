"""Defaults the command line and the UI share, in a module that is cheap to import."""

from __future__ import annotations

#: `discover` (command and screen) starts at candidates in MORE than this many documents: a
#: phrase one or two documents use is no theme yet ("more than 1" lists what "more than 0"
#: does, since a candidate needs two documents anyway).
DISCOVER_ABOVE = 2
