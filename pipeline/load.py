"""Load an output directory (documents/entities/relations.jsonl) into pandas DataFrames.

    >>> from pipeline.load import load
    >>> t = load("outputs")
    >>> t.relations.groupby(["recipient_country", "status"]).size()

`load()` flattens the nested JSON into plain, typed columns (see `Tables`); the files
themselves are described in outputs/README.md and checked by schemas/. pandas is imported only when `load()` runs, so
importing this module (or `pipeline`) stays cheap.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .config import STATUSES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FILES = ("documents", "entities", "relations")
TABLES = FILES + ("deals",)   # deals.jsonl: the deal register (pipeline/register/)

LABELS = ("PER", "ORG", "LOC", "WEAPON", "MONEY", "DATE", "DURATION", "MISC")
RELATION_TYPES = ("arms_transfer", "agreement", "meeting", "holds_role")

# Argument roles of every relation type, in display order; list-valued ones hold several ids.
ROLES = ("supplier", "recipient", "weapon", "value", "date", "parties", "signatory", "place",
         "participants", "person", "org")
LIST_ROLES = frozenset({"parties", "participants"})

DOCUMENT_COLUMNS = ("doc_id", "path", "sha256", "n_chars", "n_tokens", "n_sentences",
                    "dct_value", "dct_source", "warnings", "n_warnings")
ENTITY_COLUMNS = ("id", "doc_id", "label", "text", "start", "end", "sentence", "source",
                  "name", "variant", "type", "country", "category", "manufacturer", "amount", "amount_max",
                  "currency", "qualifier", "date_value", "date_mod", "duration_value",
                  "duration_mod", "year")
# norm keys copied as they are; DATE/DURATION `value`/`mod` get a prefix (see _flatten_norm).
NORM_KEYS = ("name", "variant", "type", "country", "category", "manufacturer", "amount", "amount_max",
             "currency", "qualifier")
RESOLVED_COLUMNS = ("supplier_name", "recipient_name", "weapon_name", "weapon_category",
                    "weapon_manufacturer", "value_amount", "value_currency", "value_qualifier",
                    "date_value", "year", "place_name", "signatory_name", "person_name",
                    "org_name")
ATTR_COLUMNS = ("supplier_country", "recipient_country", "quantity", "status", "kind", "role",
                "country", "attrs_parties", "attrs_participants")
EVIDENCE_COLUMNS = ("evidence_start", "evidence_end", "evidence_sentence", "evidence_text")

YEAR = re.compile(r"^(\d{4})")

# The declared type of each column the loader makes (see _set_dtypes; pipeline/parquet.py
# gives Parquet files the same types, so two runs' files have one schema).
DOCUMENT_DTYPES: dict[str, Any] = dict(
    ints=("n_chars", "n_tokens", "n_sentences", "n_warnings"),
    strings=("doc_id", "path", "sha256", "dct_value", "dct_source"), lists=("warnings",))
ENTITY_DTYPES: dict[str, Any] = dict(
    ints=("start", "end", "sentence"), nullable_ints=("year",), floats=("amount", "amount_max"),
    strings=("id", "doc_id", "text", "source", "name", "variant", "type", "country", "category",
             "manufacturer", "currency", "qualifier", "date_value", "date_mod",
             "duration_value", "duration_mod"),
    categories={"label": LABELS})
RELATION_DTYPES: dict[str, Any] = dict(
    ints=("evidence_start", "evidence_end", "evidence_sentence"),
    nullable_ints=("year", "quantity"), floats=("value_amount",),
    strings=("id", "doc_id", "supplier", "recipient", "weapon", "value", "date", "signatory",
             "place", "person", "org", "supplier_name", "recipient_name", "weapon_name",
             "weapon_category", "weapon_manufacturer", "value_currency", "value_qualifier",
             "date_value", "place_name", "signatory_name", "person_name", "org_name",
             "supplier_country", "recipient_country", "kind", "role", "country",
             "evidence_text"),
    lists=("attrs_parties", "attrs_participants"),
    categories={"type": RELATION_TYPES, "status": STATUSES})


@dataclass(frozen=True)
class Tables:
    """The output tables of one run.

    documents: one row per document; `dct_value`, `dct_source`, `warnings` (list), `n_warnings`.
    entities: one row per mention; `norm` flattened into `name`, `type`, `country`,
        `category`, `manufacturer`, `amount`, `amount_max`, `currency`, `qualifier`,
        `date_value`, `date_mod`, `duration_value`, `duration_mod`, `year` (+ `norm_<key>`
        for any other norm key).
    relations: one row per relation; per role the argument's text (`supplier`, ...; a list
        for `parties`/`participants`) and id (`supplier_id`, ...), the resolved norm columns
        (`supplier_name`, `weapon_category`, `value_amount`, `date_value`, `year`, ...), every
        `attrs` key as a column (an attrs key that clashes with a role, such as
        `participants` or `parties`, becomes `attrs_<key>`), and `evidence_start`,
        `evidence_end`, `evidence_sentence`, `evidence_text`.
    deals: one row per deal of the register (deals.jsonl, or built from the three files when
        an older run has none): the fields of schemas/deal.schema.json, `sources` and
        `conflicts` as lists of dicts.
    """

    documents: "pd.DataFrame"
    entities: "pd.DataFrame"
    relations: "pd.DataFrame"
    deals: "pd.DataFrame"


def iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; ValueError names file and line."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"output file not found: {path}")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: invalid JSON: {error.msg}") from error
            if not isinstance(record, dict):
                raise ValueError(f"{path}:{number}: expected a JSON object, got {type(record).__name__}")
            yield number, record


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """All objects of a JSONL file (see iter_jsonl for errors)."""
    return [record for _, record in iter_jsonl(path)]


def output_files(out_dir: str | Path) -> dict[str, Path]:
    """The three JSONL paths of an output directory; FileNotFoundError names what is missing."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise FileNotFoundError(f"output directory not found: {out_dir}")
    paths = {name: out_dir / f"{name}.jsonl" for name in FILES}
    for path in paths.values():
        if not path.is_file():
            raise FileNotFoundError(f"output file not found: {path}")
    return paths


def text_bases(out_dir: str | Path, text_base: str | Path | None = None) -> list[Path]:
    """The folders a document's relative `path` is looked up in after the current directory:
    `text_base` when given, else the outputs folder and every folder above it. `extract`
    records paths relative to where it ran, which holds its outputs folder most of the time
    (`--out outputs`, `--out outputs/dev`); the sha256 check keeps any other file out."""
    if text_base is not None:
        return [Path(text_base)]
    folder = Path(out_dir).resolve()
    return [folder, *folder.parents]


def read_document_text(document: dict[str, Any], bases: Iterable[str | Path] = ()) -> str | None:
    """The text of a document from its `path`, or None when it cannot be read or has changed.

    `path` is tried as given (absolute, or relative to the current directory), then relative
    to each of `bases` (see `text_bases`). A file whose sha256 (or, without one, length)
    differs from what documents.jsonl records is refused: its offsets would be wrong.
    """
    raw = document.get("path")
    if not raw:
        return None
    candidates = [Path(raw)]
    if not Path(raw).is_absolute():
        candidates += [Path(base) / raw for base in bases]
    from .read import decode, read_regular_file  # the pipeline's own reading, so offsets agree
    for candidate in candidates:
        try:
            data = read_regular_file(candidate)
        except OSError:
            continue
        sha = document.get("sha256")
        if sha and hashlib.sha256(data).hexdigest() != sha:
            continue
        text, _ = decode(data)
        n_chars = document.get("n_chars")
        if not sha and isinstance(n_chars, int) and len(text) != n_chars:
            continue
        return text
    return None


def span_text(text: str | None, start: Any, end: Any) -> str | None:
    """`text[start:end]` when the text is known and the offsets fit it, else None."""
    if text is None or not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(text):
        return None
    return text[start:end]


def year_of(value: Any) -> int | None:
    """The year of a TIMEX3 value that starts with four digits (`2021-11` -> 2021)."""
    if isinstance(value, str) and (match := YEAR.match(value)):
        return int(match.group(1))
    return None


def load(out_dir: str | Path = "outputs", text_base: str | Path | None = None) -> Tables:
    """Read `out_dir`/{documents,entities,relations}.jsonl into three DataFrames.

    Document texts (for `evidence_text`) are read from each document's `path`: as written
    (relative to where `extract` ran), from the current directory, else from `text_base`, by
    default from `out_dir` or a folder above it (see `text_bases`). A warning names the
    documents with relations whose text is not found: their `evidence_text` is None.
    """
    paths = output_files(out_dir)
    documents = read_jsonl(paths["documents"])
    entities = read_jsonl(paths["entities"])
    relations = read_jsonl(paths["relations"])
    bases = text_bases(out_dir, text_base)
    texts = {d.get("doc_id"): read_document_text(d, bases) for d in documents}
    warn_missing_texts(texts, relations)
    from .register import run_deals  # (the register reads this module: imported here, not above)
    deals = run_deals(out_dir, entities, relations, texts)
    return Tables(
        documents=documents_frame(documents),
        entities=entities_frame(entities),
        relations=relations_frame(relations, entities, texts),
        deals=deals_frame(deals),
    )


def warn_missing_texts(texts: dict[Any, str | None], relations: list[dict[str, Any]]) -> None:
    """Warn (UserWarning) when documents with relations have no text to take evidence from."""
    missing = sorted({str(r.get("doc_id")) for r in relations if texts.get(r.get("doc_id")) is None})
    if missing:
        import warnings
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        warnings.warn(f"text not found for {len(missing)} document(s) with relations ({shown}): their "
                      "evidence_text is None. Their `path` in documents.jsonl is relative to where "
                      "extract ran: run from there, or pass load(..., text_base=that folder).",
                      stacklevel=3)


# --------------------------------------------------------------------------- frames

def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> "pd.DataFrame":
    import pandas as pd

    extra = sorted({key for row in rows for key in row} - set(columns))
    ordered = list(columns) + extra
    return pd.DataFrame([[row.get(c) for c in ordered] for row in rows], columns=ordered, dtype=object)


def _set_dtypes(frame: "pd.DataFrame", ints: tuple[str, ...] = (), nullable_ints: tuple[str, ...] = (),
                floats: tuple[str, ...] = (), strings: tuple[str, ...] = (),
                categories: dict[str, tuple[str, ...]] | None = None,
                lists: tuple[str, ...] = ()) -> "pd.DataFrame":
    """Give known columns their dtype; a column holding unexpected values stays `object`
    (`lists` columns stay `object` cells holding lists)."""
    import pandas as pd

    def present(column: str) -> list[Any]:
        return [v for v in frame[column] if v is not None and v == v]

    for column in ints:
        values = present(column)
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            full = len(values) == len(frame)
            frame[column] = pd.array(list(frame[column]) if full else [_int_or_none(v) for v in frame[column]],
                                     dtype="int64" if full else "Int64")
    for column in nullable_ints:
        frame[column] = pd.array([_int_or_none(v) for v in frame[column]], dtype="Int64")
    for column in floats:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in strings:
        if all(isinstance(v, str) for v in present(column)):
            frame[column] = frame[column].astype("str")  # pandas' default string dtype; missing = NaN
    for column, known in (categories or {}).items():
        values = [v for v in present(column) if v not in known]
        if all(isinstance(v, str) for v in values):
            frame[column] = pd.Categorical(frame[column], categories=list(known) + sorted(set(values)))
    return frame


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value and value.is_integer():
        return int(value)
    return None


def documents_frame(documents: list[dict[str, Any]]) -> "pd.DataFrame":
    rows = []
    for document in documents:
        row = {k: v for k, v in document.items() if k != "dct"}
        dct = document.get("dct") or {}
        row["dct_value"] = dct.get("value")
        row["dct_source"] = dct.get("source")
        warnings = document.get("warnings") or []
        row["warnings"] = list(warnings)
        row["n_warnings"] = len(warnings)
        rows.append(row)
    frame = _frame(rows, DOCUMENT_COLUMNS)
    return _set_dtypes(frame, **DOCUMENT_DTYPES)


def _flatten_norm(label: str | None, norm: dict[str, Any] | None) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in (norm or {}).items():
        if key in ("value", "mod") and label in ("DATE", "DURATION"):
            flat[f"{label.lower()}_{key}"] = value
        elif key in NORM_KEYS:
            flat[key] = value
        else:
            flat[f"norm_{key}"] = value
    flat["year"] = year_of(flat.get("date_value"))
    return flat


def entities_frame(entities: list[dict[str, Any]]) -> "pd.DataFrame":
    rows = []
    for entity in entities:
        row = {k: v for k, v in entity.items() if k != "norm"}
        row.update(_flatten_norm(entity.get("label"), entity.get("norm")))
        rows.append(row)
    frame = _frame(rows, ENTITY_COLUMNS)
    return _set_dtypes(frame, **ENTITY_DTYPES)


def relations_frame(relations: list[dict[str, Any]], entities: list[dict[str, Any]],
                    texts: dict[str, str | None] | None = None) -> "pd.DataFrame":
    by_id = {e.get("id"): e for e in entities}
    texts = texts or {}
    roles = list(ROLES) + sorted({r for rel in relations for r in (rel.get("args") or {})} - set(ROLES))
    list_roles = LIST_ROLES | {role for rel in relations for role, value in (rel.get("args") or {}).items()
                               if isinstance(value, list)}
    rows = []
    for relation in relations:
        args = relation.get("args") or {}
        row: dict[str, Any] = {"id": relation.get("id"), "doc_id": relation.get("doc_id"),
                               "type": relation.get("type")}
        for role in roles:
            value = args.get(role)
            if isinstance(value, list):
                row[role] = [by_id.get(i, {}).get("text") for i in value]
                row[f"{role}_id"] = list(value)
            elif value is not None:
                row[role] = by_id.get(value, {}).get("text")
                row[f"{role}_id"] = value
            else:
                row[role] = [] if role in list_roles else None
                row[f"{role}_id"] = [] if role in list_roles else None
        row.update(_resolve(args, by_id))
        for key, value in (relation.get("attrs") or {}).items():
            row[f"attrs_{key}" if key in roles or key in row else key] = value
        evidence = relation.get("evidence") or {}
        start, end = evidence.get("start"), evidence.get("end")
        row["evidence_start"], row["evidence_end"] = start, end
        row["evidence_sentence"] = evidence.get("sentence")
        row["evidence_text"] = span_text(texts.get(relation.get("doc_id")), start, end)
        for key in relation:
            if key not in ("id", "doc_id", "type", "args", "attrs", "evidence"):
                row[key] = relation[key]
        rows.append(row)
    columns = ("id", "doc_id", "type") + tuple(
        c for role in roles for c in (role, f"{role}_id")) + RESOLVED_COLUMNS + ATTR_COLUMNS + EVIDENCE_COLUMNS
    frame = _frame(rows, columns)
    for role in list_roles:
        for column in (role, f"{role}_id"):
            frame[column] = [v if isinstance(v, list) else [] if v is None else [v] for v in frame[column]]
    return _set_dtypes(frame, **{**RELATION_DTYPES, "strings": RELATION_DTYPES["strings"] + tuple(
        f"{role}_id" for role in roles if role not in list_roles)})


def _resolve(args: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Normalised values of the single-id arguments."""
    def norm(role: str) -> dict[str, Any]:
        value = args.get(role)
        return (by_id.get(value, {}).get("norm") or {}) if isinstance(value, str) else {}

    weapon, money, date = norm("weapon"), norm("value"), norm("date")
    return {
        "supplier_name": norm("supplier").get("name"),
        "recipient_name": norm("recipient").get("name"),
        "weapon_name": weapon.get("name"),
        "weapon_category": weapon.get("category"),
        "weapon_manufacturer": weapon.get("manufacturer"),
        "value_amount": money.get("amount"),
        "value_currency": money.get("currency"),
        "value_qualifier": money.get("qualifier"),
        "date_value": date.get("value"),
        "year": year_of(date.get("value")),
        "place_name": norm("place").get("name"),
        "signatory_name": norm("signatory").get("name"),
        "person_name": norm("person").get("name"),
        "org_name": norm("org").get("name"),
    }


def schema_dtypes(properties: dict[str, Any]) -> dict[str, Any]:
    """`_set_dtypes` arguments from a JSON Schema's top-level properties (integer -> Int64,
    number -> float, string or enum -> string, array -> a list cell)."""
    spec: dict[str, list[str]] = {"nullable_ints": [], "floats": [], "strings": [], "lists": []}
    for name, fragment in properties.items():
        kinds = fragment.get("type")
        kinds = set(kinds if isinstance(kinds, list) else [kinds]) - {"null", None}
        if kinds == {"integer"}:
            spec["nullable_ints"].append(name)
        elif kinds == {"number"}:
            spec["floats"].append(name)
        elif kinds == {"string"} or (not kinds and "enum" in fragment):
            spec["strings"].append(name)
        elif kinds == {"array"}:
            spec["lists"].append(name)
    return {key: tuple(values) for key, values in spec.items()}


def deals_frame(deals: list[dict[str, Any]]) -> "pd.DataFrame":
    from .schemas import load_schema

    properties = load_schema("deal")["properties"]
    frame = _frame(deals, tuple(properties))
    dtypes = schema_dtypes(properties)
    for column in dtypes["lists"]:
        frame[column] = [v if isinstance(v, list) else [] for v in frame[column]]
    return _set_dtypes(frame, **dtypes)
