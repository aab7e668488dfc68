"""Pausing Python's cyclic garbage collector while building many small objects (internal).

Building a graph or checking one allocates hundreds of thousands of small objects that
all stay alive, none in a reference cycle worth collecting early; the collector's full
passes over a growing heap then cost more than the work itself (about three quarters of
graph build time at 100,000 flows). Pausing it for the duration keeps that work linear.

The collector's switch (:func:`gc.disable`) is process-wide: while any thread is inside a
pause, no thread's cycles are collected (memory use may grow a little meanwhile; nothing is
lost, and the next collection after the pause finds them). Pauses in several threads at once
share one count: the first to enter disables the collector if it was enabled, and the last
to leave enables it again only if it was enabled when the first entered. So overlapping
calls from two threads do not re-enable it while the other still runs, and a caller who had
disabled it before finds it still disabled afterwards. A thread that switches the collector
itself *during* someone else's pause may find its change undone when the pause ends: the
switch has only one state for the whole process.
"""

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["paused_gc"]

_lock = threading.Lock()
_depth = 0
"""How many pauses are under way, in all threads."""
_was_enabled = False
"""Whether the collector was enabled when the first of them began."""


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block, if it was enabled, until the
    last block under way in any thread ends."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            if _was_enabled:
                gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
