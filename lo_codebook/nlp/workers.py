"""Forked worker processes for a large corpus (Linux): same suggestions for any number of workers."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading

from .engine_types import DocumentInput, Suggestion

# --------------------------------------------------------------------------- workers

#: Below this many characters (~100k words) forking costs more than it saves.
PARALLEL_MIN_CHARS = 600_000
#: (engine, parts, min_score), set by the engine just before it forks: the children inherit it
forked: tuple | None = None
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def fork_is_safe() -> bool:
    """Forking copies this process as it is: only on Linux, only with no other thread."""
    return (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def default_workers(total_chars: int) -> int:
    """Workers for a corpus of `total_chars`: the cores (at most 4) when it is large."""
    if total_chars < PARALLEL_MIN_CHARS or not fork_is_safe():
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _split_for_workers(docs: list[DocumentInput], workers: int) -> list[list[DocumentInput]]:
    """Consecutive parts of about equal text length (never an empty part)."""
    total = sum(len(d.text) for d in docs)
    workers = min(workers, len(docs))
    if workers <= 1 or not total:
        return [docs]
    parts: list[list[DocumentInput]] = [[]]
    size = 0
    for doc in docs:
        if size >= total * len(parts) / workers and len(parts) < workers:
            parts.append([])
        parts[-1].append(doc)
        size += len(doc.text)
    return [p for p in parts if p]


def _worker_setup(parent: int) -> None:
    """A forked worker lives only as long as the process that forked it: Ctrl+C reaches the
    whole process group, so the parent reports it, once, and the child (born ignoring it)
    finishes its part quietly; if the parent is killed outright, the kernel kills the child
    too (Linux's parent-death signal) instead of leaving it waiting for work forever."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: fork_is_safe() kept us from here anyway
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    # born with Ctrl+C blocked (see suggest_parts): ignore it for good, then unblock (a
    # Ctrl+C pending from the fork window is dropped here; the parent reports it)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _suggest_part(index: int) -> list[Suggestion]:
    engine, parts, min_score = forked  # inherited from the parent at fork time
    return engine._suggest_serial(parts[index], min_score, None, 0)
