"""Export the output tables (see pipeline.load) as CSV or Parquet files, one DuckDB database
or a GraphML network of the deals (pipeline/export_formats.py).

    >>> from pipeline.export import export
    >>> export("outputs", "csv")          # into outputs/csv/
    [PosixPath('outputs/csv/documents.csv'), PosixPath('outputs/csv/entities.csv'), ...]

CSV: UTF-8, comma-separated, header row, missing values as empty fields; list and dict
cells (`warnings`, `parties`, `participants_id`, `sources`, ...) as JSON strings; a text cell
that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) is
written after a single quote (OWASP); with `french=True`, for a French-locale spreadsheet:
`;` separator, decimal comma and a UTF-8 byte-order mark. Parquet (pyarrow): an explicit
schema per table (pipeline/parquet.py), the same for every run, so two runs' files
concatenate. The tables are documents, entities, relations and deals. Every file is written
to a temporary file in `dest` and then moved into
place, so a reader never sees half a file.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .load import TABLES, load

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FORMATS = ("csv", "parquet", "duckdb", "graphml")
ONE_FILE = {"duckdb": "pipeline.duckdb", "graphml": "deals.graphml"}   # see pipeline/export_formats.py
PLAIN_CSV = {"encoding": "utf-8"}
# A French-locale spreadsheet splits on `;`, reads `1,5` as a number and needs the BOM to see UTF-8.
FRENCH_CSV = {"encoding": "utf-8-sig", "sep": ";", "decimal": ","}


def export(out_dir: str | Path, fmt: str, dest: str | Path | None = None, french: bool = False) -> list[Path]:
    """Write documents/entities/relations/deals of `out_dir` as `fmt` files into `dest`.

    `dest` defaults to `out_dir`/`fmt` (outputs/csv/, outputs/parquet/). Returns the paths
    written, in the order of TABLES. `french`: CSV for a French-locale spreadsheet.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    tables = load(out_dir)
    dest = Path(dest) if dest is not None else Path(out_dir) / fmt
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    if fmt in ONE_FILE:
        return [_export_one_file(tables, fmt, dest / ONE_FILE[fmt])]
    csv_options = FRENCH_CSV if french else PLAIN_CSV
    for name in TABLES:
        frame = getattr(tables, name)
        path = dest / f"{name}.{fmt}"
        if fmt == "csv":
            frame = _for_csv(frame)
            atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False, lineterminator="\n", **csv_options))
        else:
            from .parquet import arrow_table
            table = arrow_table(name, frame)
            atomic_write(path, lambda tmp: _write_parquet(table, tmp))
        written.append(path)
    return written


def _export_one_file(tables, fmt: str, path: Path) -> Path:
    from .export_formats import write_duckdb, write_graphml

    if fmt == "duckdb":
        def write(tmp: Path) -> None:
            tmp.unlink()              # DuckDB creates its own file
            write_duckdb(tables, tmp)
    else:
        deals = tables.deals.astype(object).where(tables.deals.notna(), None).to_dict("records")
        def write(tmp: Path) -> None:
            write_graphml(deals, tmp)
    atomic_write(path, write)
    return path


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


def _write_parquet(table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, path)
