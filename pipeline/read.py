"""Read the articles: files -> SourceDoc (doc_id, exact text, publication date, warnings).

The text is kept exactly as decoded (no stripping, no newline rewriting), so every offset
the pipeline writes indexes this string.
"""
from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .config import INPUT_SUFFIX

HEADER_DATE = re.compile(r"\A\s*date\s+(?P<value>\d{4}-\d{2}(?:-\d{2})?)\b")
ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass
class SourceDoc:
    """One input article, as read from disk."""

    doc_id: str
    path: str
    text: str
    sha256: str
    dct_value: str | None = None
    dct_source: str | None = None
    warnings: list[str] = field(default_factory=list)


class InputError(Exception):
    """Raised when the input cannot be used at all (no file, unreadable metadata)."""


def list_input_files(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders (recursively) into a sorted list of `.txt` files."""
    files: set[Path] = set()
    for path in paths:
        if path.is_dir():
            files.update(p for p in path.rglob(f"*{INPUT_SUFFIX}") if p.is_file())
        elif path.is_file():
            files.add(path)
        else:
            raise InputError(f"no such file or folder: {path}")
    return sorted(files, key=lambda p: (p.stem, str(p)))


def read_metadata(path: Path | None) -> dict[str, str]:
    """Read a `doc_id,published` CSV into a dict; bad dates are skipped with a message."""
    if path is None:
        return {}
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise InputError(f"cannot read metadata file {path}: {error}") from error
    dates: dict[str, str] = {}
    for row in rows:
        doc_id = (row.get("doc_id") or "").strip()
        published = (row.get("published") or "").strip()
        if doc_id and ISO_DATE.match(published):
            dates[doc_id] = published
    return dates


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8, falling back to Windows-1252 with a warning."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), ["not UTF-8: decoded as Windows-1252"]


def header_date(text: str) -> str | None:
    """The publication date of a ` date YYYY-MM` header line, if the text opens with one."""
    match = HEADER_DATE.match(text)
    return match.group("value") if match else None


def read_document(path: Path, metadata: dict[str, str], root: Path | None = None) -> SourceDoc:
    """Read one file into a SourceDoc, with its DCT from metadata or header when known."""
    data = path.read_bytes()
    text, warnings = decode(data)
    if not text.strip():
        warnings.append("empty text")
    doc = SourceDoc(
        doc_id=path.stem,
        path=_relative(path, root),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        warnings=warnings,
    )
    if doc.doc_id in metadata:
        doc.dct_value, doc.dct_source = metadata[doc.doc_id], "metadata"
    elif (value := header_date(text)) is not None:
        doc.dct_value, doc.dct_source = value, "header"
    return doc


def iter_documents(paths: Iterable[Path], metadata: dict[str, str]) -> Iterator[SourceDoc]:
    """Read the documents lazily, in a stable order."""
    for path in list_input_files(paths):
        yield read_document(path, metadata)


def _relative(path: Path, root: Path | None) -> str:
    root = root or Path.cwd()
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
