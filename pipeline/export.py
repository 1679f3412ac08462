"""Export the three output tables (see pipeline.load) as CSV or Parquet files.

    >>> from pipeline.export import export
    >>> export("outputs", "csv")          # into outputs/csv/
    [PosixPath('outputs/csv/documents.csv'), PosixPath('outputs/csv/entities.csv'), ...]

CSV: UTF-8, comma-separated, header row, missing values as empty fields; list and dict
cells (`warnings`, `parties`, `participants_id`, ...) as JSON strings; a text cell that a
spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) is written
after a single quote (OWASP). Parquet (pyarrow):
lists of strings stay lists, other nested cells are JSON strings, categories stay
dictionary-encoded. Every file is written to a temporary file in `dest` and then moved into
place, so a reader never sees half a file.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .load import FILES, load

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FORMATS = ("csv", "parquet")


def export(out_dir: str | Path, fmt: str, dest: str | Path | None = None) -> list[Path]:
    """Write documents/entities/relations of `out_dir` as `fmt` files into `dest`.

    `dest` defaults to `out_dir`/`fmt` (outputs/csv/, outputs/parquet/). Returns the paths
    written, in the order of FILES.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    tables = load(out_dir)
    dest = Path(dest) if dest is not None else Path(out_dir) / fmt
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        frame = getattr(tables, name)
        path = dest / f"{name}.{fmt}"
        if fmt == "csv":
            frame = _for_csv(frame)
            atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n"))
        else:
            table = _for_parquet(frame)
            atomic_write(path, lambda tmp: _write_parquet(table, tmp))
        written.append(path)
    return written


def atomic_write(path: Path, write: Callable[[Path], Any]) -> None:
    """Call write(temporary path in the same folder), then move it onto `path`."""
    path = Path(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _json(value: Any) -> Any:
    if isinstance(value, (list, dict, tuple)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _nested_columns(frame: "pd.DataFrame") -> list[str]:
    return [c for c in frame.columns if frame[c].dtype == object
            and any(isinstance(v, (list, dict, tuple)) for v in frame[c])]


# OWASP's CSV injection advice: a cell a spreadsheet would run as a formula (it starts with
# one of these) is written after a single quote, which the spreadsheet shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """`=cmd|' -C calc'!A0` -> `'=cmd|' -C calc'!A0`; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _for_csv(frame: "pd.DataFrame") -> "pd.DataFrame":
    frame = frame.copy()
    for column in _nested_columns(frame):
        frame[column] = [_json(v) for v in frame[column]]
    for column in frame.columns:
        values = list(frame[column])
        if any(isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in values):
            frame[column] = [neutralise_formula(v) for v in values]
    return frame


def _for_parquet(frame: "pd.DataFrame"):
    import pyarrow as pa

    frame = frame.copy()
    for column in _nested_columns(frame):
        values = list(frame[column])
        if all(v is None or (isinstance(v, list) and all(isinstance(x, str) or x is None for x in v))
               for v in values):
            continue  # list<string>
        frame[column] = [_json(v) for v in values]
    return pa.Table.from_pandas(frame, preserve_index=False)


def _write_parquet(table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, path)
