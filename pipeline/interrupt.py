"""SIGTERM and SIGINT end an extraction run promptly, whatever the engine or `--workers`.

Inside `interruptible()`, either signal stops the worker processes this process started
(spaCy's `n_process` workers, a local Dask cluster's), then raises KeyboardInterrupt in the
main thread: `OutputWriter` drops its temporary files and the previous outputs stay. The
workers are stopped first because spaCy, on its way out of `nlp.pipe`, waits for them, and a
worker blocked sending results that nobody reads any more never ends. Later signals are
ignored while the run cleans up, so that a second Ctrl-C cannot cut the cleanup short.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import warnings
from typing import Iterator

SIGNALS = (signal.SIGTERM, signal.SIGINT)


_OWNER = {"pid": None}   # the process that installed the handlers (forked workers inherit them)


def _stop(signum, frame) -> None:
    if os.getpid() != _OWNER["pid"]:   # a forked worker: die of the signal, quietly
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    for number in SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    warnings.filterwarnings("ignore", message=r"\[W127\]")  # spaCy: "not all workers completed"
    for child in multiprocessing.active_children():
        child.terminate()
    raise KeyboardInterrupt


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Handle SIGTERM and SIGINT as above during the block (main thread only, else as is)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _OWNER["pid"] = os.getpid()
    previous = {number: signal.signal(number, _stop) for number in SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
