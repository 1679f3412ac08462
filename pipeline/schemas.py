"""Check an output directory against schemas/*.schema.json and the rules JSON Schema cannot say.

    >>> from pipeline.schemas import validate_dir
    >>> validate_dir("outputs")   # [] when every line is valid
    []

Each error is one string `file:line: where: what`. Beyond the JSON Schemas (draft 2020-12) it
checks: unique ids whose prefix is the line's `doc_id`; entity ids numbered in order of
(start, end, label); every `doc_id` listed in documents.jsonl; offsets inside the text and
`text == doc_text[start:end]` when the document is readable from its `path`; relation
arguments that exist, belong to the same document and carry a label the role allows; sorted
`parties`/`participants`; ISO 3166-1 alpha-3 and ISO 4217 codes known to pycountry.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .config import SCHEMAS_DIR
from .load import FILES, read_document_text, text_bases

ROLE_LABELS = {
    "supplier": {"LOC", "ORG"}, "recipient": {"LOC", "ORG"}, "weapon": {"WEAPON"},
    "value": {"MONEY"}, "date": {"DATE"}, "parties": {"LOC", "ORG"}, "signatory": {"PER"},
    "place": {"LOC"}, "participants": {"PER"}, "person": {"PER"}, "org": {"ORG", "LOC"},
}
# ISO 4217 codes withdrawn since (pycountry lists current ones only); older articles quote them.
HISTORIC_CURRENCIES = frozenset({
    "FRF", "DEM", "ITL", "ESP", "BEF", "NLG", "PTE", "ATS", "FIM", "GRD", "IEP", "LUF",
    "SUR", "YUF", "CSK", "DDM", "ZRZ", "XEU", "TRL", "RUR", "ZWD", "VEF", "MRO", "STD",
})
ALPHA3 = re.compile(r"^[A-Z]{3}$")
ENTITY_NUMBER = re.compile(r":E(\d+)$")


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one output file (`documents`, `entities`, `relations`, `deal`)."""
    return json.loads((SCHEMAS_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(name: str):
    from jsonschema import Draft202012Validator

    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@lru_cache(maxsize=None)
def _countries() -> frozenset[str]:
    import pycountry

    codes = {c.alpha_3 for c in pycountry.countries}
    codes.update(c.alpha_3 for c in pycountry.historic_countries)
    return frozenset(codes)


@lru_cache(maxsize=None)
def _currencies() -> frozenset[str]:
    import pycountry

    return frozenset({c.alpha_3 for c in pycountry.currencies} | HISTORIC_CURRENCIES)


def known_country(code: str) -> bool:
    """ISO 3166-1 alpha-3 (current or withdrawn), or a user-assigned X.. code such as XKX."""
    return code in _countries() or bool(ALPHA3.match(code) and code.startswith("X"))


def known_currency(code: str) -> bool:
    return code in _currencies()


def _read_lines(path: Path, errors: list[str]) -> list[tuple[int, dict[str, Any]]]:
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                errors.append(f"{path.name}:{number}: blank line")
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                errors.append(f"{path.name}:{number}: invalid JSON: {error.msg}")
                continue
            if not isinstance(record, dict):
                errors.append(f"{path.name}:{number}: not a JSON object")
                continue
            records.append((number, record))
    return records


def _where(error) -> str:
    return "/".join(str(p) for p in error.absolute_path) or "(line)"


def validate_records(name: str, records: list[tuple[int, dict[str, Any]]], filename: str | None = None) -> list[str]:
    """JSON Schema errors of (line number, object) pairs of one output file."""
    validator = _validator(name)
    filename = filename or f"{name}.jsonl"
    errors = []
    for number, record in records:
        for error in sorted(validator.iter_errors(record), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
            errors.append(f"{filename}:{number}: {_where(error)}: {error.message}")
    return errors


def validate_dir(path: str | Path, require_text: bool = False, text_base: str | Path | None = None) -> list[str]:
    """Every problem found in an output directory, as `file:line: where: what` strings.

    Document texts are looked up from `path` in documents.jsonl (as given, then relative to
    `text_base`, default the output directory or a folder above it); with `require_text`, a document
    whose text cannot be read (or whose sha256 differs) is an error, otherwise its offsets
    are simply not compared with the text.
    """
    out_dir = Path(path)
    if not out_dir.is_dir():
        return [f"{out_dir}: output directory not found"]
    errors: list[str] = []
    records: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for name in FILES:
        file = out_dir / f"{name}.jsonl"
        if not file.is_file():
            errors.append(f"{file}: file not found")
            records[name] = []
            continue
        records[name] = _read_lines(file, errors)
        errors.extend(validate_records(name, records[name]))
    bases = text_bases(out_dir, text_base)
    documents = _check_documents(records["documents"], bases, require_text, errors)
    entities = _check_entities(records["entities"], documents, errors)
    _check_relations(records["relations"], documents, entities, errors)
    deals = out_dir / "deals.jsonl"
    if deals.is_file():
        _check_deals(_read_lines(deals, errors), records["relations"], errors)
    return errors


def _check_deals(records, relations, errors: list[str]) -> None:
    """deals.jsonl against schemas/deal.schema.json; unique deal ids; every source an
    arms_transfer relation of relations.jsonl, in one deal only."""
    errors.extend(validate_records("deal", records, "deals.jsonl"))
    transfers = {r.get("id") for _, r in relations if r.get("type") == "arms_transfer"}
    seen_deals: set[Any] = set()
    seen_sources: set[Any] = set()
    for number, deal in records:
        where = f"deals.jsonl:{number}"
        if deal.get("deal_id") in seen_deals:
            errors.append(f"{where}: deal_id: duplicate {deal.get('deal_id')!r}")
        seen_deals.add(deal.get("deal_id"))
        for source in deal.get("sources") or []:
            rid = source.get("relation_id") if isinstance(source, dict) else None
            if rid not in transfers:
                errors.append(f"{where}: sources: {rid!r} is not an arms_transfer of relations.jsonl")
            elif rid in seen_sources:
                errors.append(f"{where}: sources: {rid!r} is in another deal too")
            seen_sources.add(rid)
    missing = transfers - seen_sources
    if records and missing:
        errors.append(f"deals.jsonl: {len(missing)} arms_transfer relation(s) in no deal, e.g. {sorted(missing)[0]!r}")


def _check_documents(records, bases: list[Path], require_text: bool, errors: list[str]) -> dict[str, dict[str, Any]]:
    documents: dict[str, dict[str, Any]] = {}
    for number, doc in records:
        where = f"documents.jsonl:{number}"
        doc_id = doc.get("doc_id")
        if not isinstance(doc_id, str):
            continue
        if doc_id in documents:
            errors.append(f"{where}: doc_id: duplicate {doc_id!r}")
            continue
        warnings = doc.get("warnings") or []
        if any(w == "binary file: skipped" or str(w).startswith("unreadable:") for w in warnings):
            documents[doc_id] = {**doc, "_text": None}  # nothing was processed: no text to check
            continue
        text = read_document_text(doc, bases)
        if text is None and require_text:
            errors.append(f"{where}: path: cannot read {doc.get('path')!r} (missing, or sha256 differs)")
        if text is not None and isinstance(doc.get("n_chars"), int) and len(text) != doc["n_chars"]:
            errors.append(f"{where}: n_chars: {doc['n_chars']} but the text has {len(text)}")
        documents[doc_id] = {**doc, "_text": text}
    return documents


def _check_span(where: str, start: Any, end: Any, doc: dict[str, Any] | None, errors: list[str]) -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        return
    if end <= start:
        errors.append(f"{where}: end {end} is not after start {start}")
    n_chars = doc.get("n_chars") if doc else None
    if isinstance(n_chars, int) and end > n_chars:
        errors.append(f"{where}: end {end} beyond the document's {n_chars} characters")


def _check_sentence(where: str, sentence: Any, doc: dict[str, Any] | None, errors: list[str]) -> None:
    n = doc.get("n_sentences") if doc else None
    if isinstance(sentence, int) and isinstance(n, int) and sentence >= n:
        errors.append(f"{where}: sentence {sentence} but the document has {n} sentences")


def _check_id(where: str, record: dict[str, Any], kind: str, seen: set[str], errors: list[str]) -> bool:
    rid, doc_id = record.get("id"), record.get("doc_id")
    if not isinstance(rid, str) or not isinstance(doc_id, str):
        return False
    if rid in seen:
        errors.append(f"{where}: id: duplicate {rid!r}")
        return False
    seen.add(rid)
    if not re.fullmatch(re.escape(doc_id) + f":{kind}\\d+", rid):
        errors.append(f"{where}: id: {rid!r} does not start with its doc_id {doc_id!r}")
    return True


def _check_codes(where: str, record: dict[str, Any], keys: tuple[str, ...], errors: list[str]) -> None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and ALPHA3.match(value) and not known_country(value):
            errors.append(f"{where}/{key}: {value!r} is not an ISO 3166-1 alpha-3 code")


def _check_entities(records, documents, errors: list[str]) -> dict[str, dict[str, Any]]:
    entities: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    per_doc: dict[str, list[tuple[int, tuple, str]]] = {}
    for number, entity in records:
        where = f"entities.jsonl:{number}"
        if not _check_id(where, entity, "E", seen, errors):
            continue
        entities[entity["id"]] = entity
        doc_id = entity["doc_id"]
        doc = documents.get(doc_id)
        if doc is None:
            errors.append(f"{where}: doc_id: {doc_id!r} is not in documents.jsonl")
        start, end = entity.get("start"), entity.get("end")
        _check_span(where, start, end, doc, errors)
        _check_sentence(where, entity.get("sentence"), doc, errors)
        text = doc.get("_text") if doc else None
        if text is not None and isinstance(start, int) and isinstance(end, int) and text[start:end] != entity.get("text"):
            errors.append(f"{where}: text: {entity.get('text')!r} but the document has {text[start:end]!r} at {start}:{end}")
        norm = entity.get("norm") if isinstance(entity.get("norm"), dict) else {}
        _check_codes(f"{where}: norm", norm, ("country",), errors)
        currency = norm.get("currency")
        if entity.get("label") == "MONEY" and isinstance(currency, str) and ALPHA3.match(currency) and not known_currency(currency):
            errors.append(f"{where}: norm/currency: {currency!r} is not an ISO 4217 code")
        match = ENTITY_NUMBER.search(entity["id"])
        if match and isinstance(start, int) and isinstance(end, int):
            per_doc.setdefault(doc_id, []).append((int(match.group(1)), (start, end, str(entity.get("label"))), where))
    for items in per_doc.values():
        items.sort()
        for (_, before, _), (n, key, where) in zip(items, items[1:]):
            if key < before:
                errors.append(f"{where}: id: E{n} is numbered out of order of (start, end, label)")
    return entities


def _check_relations(records, documents, entities, errors: list[str]) -> None:
    seen: set[str] = set()
    for number, relation in records:
        where = f"relations.jsonl:{number}"
        if not _check_id(where, relation, "R", seen, errors):
            continue
        doc_id = relation["doc_id"]
        doc = documents.get(doc_id)
        if doc is None:
            errors.append(f"{where}: doc_id: {doc_id!r} is not in documents.jsonl")
        args = relation.get("args") if isinstance(relation.get("args"), dict) else {}
        for role, value in args.items():
            for arg in value if isinstance(value, list) else [value]:
                if not isinstance(arg, str):
                    continue
                entity = entities.get(arg)
                if entity is None:
                    errors.append(f"{where}: args/{role}: {arg!r} is not an entity id")
                elif entity.get("doc_id") != doc_id:
                    errors.append(f"{where}: args/{role}: {arg!r} belongs to another document")
                elif role in ROLE_LABELS and entity.get("label") not in ROLE_LABELS[role]:
                    errors.append(f"{where}: args/{role}: {arg!r} is a {entity.get('label')}, "
                                  f"expected {' or '.join(sorted(ROLE_LABELS[role]))}")
        evidence = relation.get("evidence") if isinstance(relation.get("evidence"), dict) else {}
        _check_span(f"{where}: evidence", evidence.get("start"), evidence.get("end"), doc, errors)
        _check_sentence(f"{where}: evidence", evidence.get("sentence"), doc, errors)
        attrs = relation.get("attrs") if isinstance(relation.get("attrs"), dict) else {}
        _check_codes(f"{where}: attrs", attrs, ("supplier_country", "recipient_country", "country"), errors)
        for key in ("parties", "participants"):
            value = attrs.get(key)
            if isinstance(value, list) and all(isinstance(v, str) for v in value) and value != sorted(value):
                errors.append(f"{where}: attrs/{key}: not sorted: {value}")
