"""Which coders a consensus coder stands for, and the label tables print for it.

Apart from `consensus` (which needs agreement's units) so that `themes_service` can label a
consensus coder without importing the consensus machinery: no import cycle.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from lo_codebook.db.models import Coder, Setting

DEFAULT_NAME = "consensus"
#: Setting key prefix + coder id -> the compared coders (written by `consensus.apply_consensus`).
SETTING_PREFIX = "consensus.coder."


def consensus_source(session: Session, coder: str) -> tuple[str, str] | None:
    """The two coders whose consensus `coder` holds, or None for an ordinary coder."""
    coder_id = session.scalar(select(Coder.id).where(Coder.name == coder))
    if coder_id is None:
        return None
    row = session.get(Setting, f"{SETTING_PREFIX}{coder_id}")
    if row is None:
        return None
    try:
        a, b = json.loads(row.value)["coders"]
    except (ValueError, KeyError, TypeError):
        return None
    return str(a), str(b)


def coder_label(session: Session, coder: str) -> str:
    """`consensus (anna + bram)` for a consensus coder, else the name: what tables print."""
    source = consensus_source(session, coder)
    if source is None:
        return coder
    prefix = "" if coder == DEFAULT_NAME else "consensus "
    return f"{coder} ({prefix}{source[0]} + {source[1]})"
