"""One extraction run at a time per output folder.

Two runs writing to the same folder would each rename their three files into place, and
the folder would end with a mixed set. `output_lock(out_dir)` takes an exclusive `flock` on
`out_dir/.extract.lock` for the whole run; a second run finds it taken and stops with
`OutputBusy` (the command line says so and exits 2) before it writes anything. The kernel
drops the lock when the process ends, however it ends, so a killed run leaves no stale lock.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Iterator

LOCK_NAME = ".extract.lock"


class OutputBusy(Exception):
    """Another run holds the output folder."""


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[Path]:
    """Hold the output folder's lock for the duration of the block (the folder must exist)."""
    path = Path(out_dir) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise OutputBusy(f"another run (pid {holder}) is writing to {out_dir}; wait for it to "
                             "finish or choose another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield path
    finally:
        os.close(fd)   # releases the lock
