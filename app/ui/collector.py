"""The garbage collector, once per process: after the first script run, everything alive (torch,
plotly, Streamlit and the app's modules, about 390,000 objects) moves out of its reach.

Python's automatic full collections walk every object the process holds, with the GIL held: with
40 tabs playing each took 300-475 ms, a stall of every session. Objects imported at start-up live
as long as the process, so walking them finds nothing; frozen, they are never walked again.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_start_up() -> None:
    """Collect once, then freeze what survives (the first call in this process; later calls do
    nothing). Never ask ``gc.get_freeze_count()`` here: it walks every frozen object."""
    global _frozen
    if _frozen:
        return
    with _lock:
        if not _frozen:
            gc.collect()
            gc.freeze()
            _frozen = True
