"""Explicit, stable Arrow schemas for the exported tables, so that the Parquet files of two
runs have one schema and concatenate (`pyarrow.concat_tables`), whatever values a run has.

Without them, pyarrow infers a column's type from its values: `warnings` is `list<null>` in a
run without warnings and `list<string>` in another. Here every declared column always exists,
in a fixed order, with its declared type:
- deals: derived from schemas/deal.schema.json (string, integer -> int64, number -> float64,
  array -> list, object -> struct; a value of any type, such as a conflict's `value`, as JSON);
- documents, entities, relations: the loader's declared column types (pipeline/load.py
  `*_DTYPES`; the JSON Schemas' types, flattened), a category as dictionary<int32, string>,
  a list column as list<string>; a column no run declares (a new attrs key) as JSON text.
"""
from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from .load import DOCUMENT_COLUMNS, DOCUMENT_DTYPES, ENTITY_COLUMNS, ENTITY_DTYPES, RELATION_DTYPES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa


def arrow_type(fragment: dict[str, Any]) -> "pa.DataType":
    """The Arrow type of a JSON Schema fragment."""
    import pyarrow as pa

    for option in fragment.get("oneOf") or fragment.get("anyOf") or []:
        if option.get("type") != "null":
            return arrow_type(option)
    kinds = fragment.get("type")
    kinds = set(kinds if isinstance(kinds, list) else [kinds]) - {"null", None}
    if kinds == {"integer"}:
        return pa.int64()
    if kinds == {"number"}:
        return pa.float64()
    if kinds == {"boolean"}:
        return pa.bool_()
    if kinds == {"array"}:
        return pa.list_(arrow_type(fragment.get("items") or {}))
    if kinds == {"object"} and "properties" in fragment:
        return pa.struct([pa.field(name, arrow_type(sub)) for name, sub in fragment["properties"].items()])
    return pa.string()   # strings, enums, and values of any type (as JSON)


def _declared(spec: dict[str, Any]) -> dict[str, "pa.DataType"]:
    import pyarrow as pa

    types: dict[str, pa.DataType] = {}
    for column in spec.get("strings", ()):
        types[column] = pa.string()
    for column in (*spec.get("ints", ()), *spec.get("nullable_ints", ())):
        types[column] = pa.int64()
    for column in spec.get("floats", ()):
        types[column] = pa.float64()
    for column in spec.get("lists", ()):
        types[column] = pa.list_(pa.string())
    for column in spec.get("categories", {}):
        types[column] = pa.dictionary(pa.int32(), pa.string())
    return types


def _relation_types() -> dict[str, "pa.DataType"]:
    import pyarrow as pa

    from .load import ATTR_COLUMNS, EVIDENCE_COLUMNS, LIST_ROLES, RESOLVED_COLUMNS, ROLES

    declared = _declared(RELATION_DTYPES)
    columns = ["id", "doc_id", "type"] + [c for role in ROLES for c in (role, f"{role}_id")] \
        + list(RESOLVED_COLUMNS + ATTR_COLUMNS + EVIDENCE_COLUMNS)
    return {c: pa.list_(pa.string()) if c.removesuffix("_id") in LIST_ROLES
            else declared.get(c, pa.string()) for c in columns}


def declared_types(name: str) -> dict[str, "pa.DataType"]:
    """Column -> Arrow type of one exported table, in column order."""
    if name == "deals":
        from .schemas import load_schema
        return {c: arrow_type(f) for c, f in load_schema("deal")["properties"].items()}
    if name == "relations":
        return _relation_types()
    columns, spec = {"documents": (DOCUMENT_COLUMNS, DOCUMENT_DTYPES),
                     "entities": (ENTITY_COLUMNS, ENTITY_DTYPES)}[name]
    import pyarrow as pa

    declared = _declared(spec)
    return {c: declared.get(c, pa.string()) for c in columns}


def _cell(value: Any, kind: "pa.DataType") -> Any:
    """A pandas cell as the Python value `kind` takes (missing -> None, nested -> JSON text
    where the type is a string)."""
    import pandas as pd
    import pyarrow as pa

    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if pa.types.is_list(kind):
        return [_cell(v, kind.value_type) for v in value] if isinstance(value, (list, tuple)) else None
    if pa.types.is_struct(kind):
        return {field.name: _cell(value.get(field.name), field.type) for field in kind} if isinstance(value, dict) else None
    if pa.types.is_string(kind) or pa.types.is_dictionary(kind):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if pa.types.is_integer(kind):
        return int(value)
    if pa.types.is_floating(kind):
        return float(value)
    return value


def arrow_table(name: str, frame: "pd.DataFrame") -> "pa.Table":
    """The table `name` (documents, entities, relations, deals) with its declared schema:
    declared columns first (null when the run has none), then any other column as text."""
    import pyarrow as pa

    import pandas as pd

    types = declared_types(name)
    types.update({c: pa.string() for c in frame.columns if c not in types})
    columns = {}
    for column, kind in types.items():
        values = frame[column] if column in frame.columns else pd.Series([None] * len(frame), dtype=object)
        flat = pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_dictionary(kind)
        # numbers and categories keep their pandas dtype (Int64, category) for the round trip
        columns[column] = values if flat and values.dtype != object else [_cell(v, kind) for v in values]
    prepared = pd.DataFrame(columns, index=range(len(frame)))
    schema = pa.schema([pa.field(c, t) for c, t in types.items()])
    return pa.Table.from_pandas(prepared, schema=schema, preserve_index=False)
