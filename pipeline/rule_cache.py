"""What the span finder compiles from rules/, kept on disk between runs.

Building the span finder compiles the token patterns onto lexeme flags and tokenizes some
14,000 lexicon names: seconds at every start, for a result that changes only when the
rules, our code or the model change. The result is stored (pickle) under a key that hashes
all three, so that a change to any file of rules/ is always picked up: a new key, a new
build. Where the cache folder cannot be written, the build is simply not kept.

The folder: $ARMS_PIPELINE_CACHE if set, else $XDG_CACHE_HOME/arms-pipeline, else
~/.cache/arms-pipeline. Deleting it is always safe.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TypeVar

CACHE_ENV = "ARMS_PIPELINE_CACHE"
FORMAT = b"arms-rule-cache 1"  # bump when what is stored changes shape
T = TypeVar("T")


def cache_folder() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "arms-pipeline"


def content_key(rules_dir: Path, code_files: Iterable[Path], versions: Iterable[str]) -> str:
    """A hash of every file under `rules_dir` (names and bytes), of the code files, and of
    the version strings."""
    digest = hashlib.sha256(FORMAT)
    for path in sorted(p for p in rules_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(rules_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    for path in code_files:
        digest.update(path.read_bytes() + b"\0")
    for version in versions:
        digest.update(version.encode() + b"\0")
    return digest.hexdigest()


MISSING = object()  # what `load` gives for an entry absent or unreadable


def load_or_build(name: str, key: str, build: Callable[[], T]) -> T:
    """The value stored under `name` and `key`, or `build()`, stored for the next run."""
    value = load(name, key)
    if value is MISSING:
        value = build()
        keep(name, key, value)
    return value


def load(name: str, key: str):
    """The value stored under `name` and `key`, or MISSING."""
    try:
        with entry_path(name, key).open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return MISSING  # absent, unreadable or from another version of the code: built again


def keep(name: str, key: str, value) -> None:
    """Store `value` under `name` and `key`, in place of any other key's value for `name`."""
    path = entry_path(name, key)
    store(path, value)
    for stale in path.parent.glob(f"{name}-*.pickle"):  # one entry per name: the cache stays small
        if stale != path:
            stale.unlink(missing_ok=True)


def entry_path(name: str, key: str) -> Path:
    return cache_folder() / f"{name}-{key[:32]}.pickle"


def store(path: Path, value) -> None:
    """Write `value` to `path` atomically (a reader sees the old file or the whole new one)."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=path.name, suffix=".tmp",
                                         delete=False) as handle:
            temporary = handle.name
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as error:
        print(f"note: the compiled rules are not kept ({cache_folder()}: {error.strerror or error}); "
              f"set {CACHE_ENV} to a writable folder for a faster start", file=sys.stderr)
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
