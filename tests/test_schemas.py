"""schemas/*.schema.json and pipeline.schemas.validate_dir, on the fixture and on outputs/."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from pipeline.schemas import load_schema, validate_dir, validate_records

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "outputs"
OUTPUTS = ROOT / "outputs"


def lines(name: str) -> list[dict]:
    return [json.loads(l) for l in (FIXTURE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]


def first(name: str, **where) -> dict:
    return copy.deepcopy(next(r for r in lines(name) if all(r.get(k) == v for k, v in where.items())))


def errors_of(name: str, record: dict) -> list[str]:
    return validate_records(name, [(1, record)])


@pytest.mark.parametrize("name", ["documents", "entities", "relations"])
def test_schema_is_valid_draft_2020_12(name):
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_fixture_is_valid(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert validate_dir(FIXTURE, require_text=True) == []


def test_fixture_covers_every_label_and_relation_type():
    assert {e["label"] for e in lines("entities")} >= {"PER", "ORG", "LOC", "WEAPON", "MONEY", "DATE", "DURATION"}
    assert {r["type"] for r in lines("relations")} == {"arms_transfer", "agreement", "meeting", "holds_role"}
    assert len({d["doc_id"] for d in lines("documents")}) >= 2


@pytest.mark.gold
def test_pipeline_outputs_are_valid(monkeypatch):
    """After `make extract`: every line of outputs/*.jsonl follows the contract."""
    if not all((OUTPUTS / f"{n}.jsonl").is_file() for n in ("documents", "entities", "relations")):
        pytest.skip("outputs/ not there: run the extraction first")
    monkeypatch.chdir(ROOT)
    errors = validate_dir(OUTPUTS, require_text=True)
    assert errors == [], "\n".join(errors[:50])


# ------------------------------------------------------------------ entities: per-label norms

@pytest.mark.parametrize("label, change, fragment", [
    ("WEAPON", {"category": "drone"}, "category"),
    ("WEAPON", {"country": "IL"}, "country"),
    ("ORG", {"type": "company_x"}, "type"),
    ("LOC", {"type": "state"}, "type"),
    ("LOC", {"country": "mar"}, "country"),
    ("MONEY", {"currency": "usd"}, "currency"),
    ("MONEY", {"currency": "$"}, "currency"),
    ("MONEY", {"qualifier": "about"}, "qualifier"),
    ("MONEY", {"amount": "50 millions"}, "amount"),
    ("MONEY", {"qualifier": "range"}, "amount_max"),
    ("DATE", {"value": "18 juillet 2022"}, "value"),
    ("DATE", {"value": "2022-13"}, "value"),
    ("DATE", {"mod": "EARLY"}, "mod"),
    ("DURATION", {"value": "20 ans"}, "value"),
    ("DURATION", {"value": "P"}, "value"),
    ("DURATION", {"value": "P1YT"}, "value"),
    ("DURATION", {"mod": "START"}, "mod"),
    ("PER", {"nickname": "Bibi"}, "nickname"),
])
def test_bad_norm_is_rejected(label, change, fragment):
    entity = first("entities", label=label)
    entity["norm"].update(change)
    errors = errors_of("entities", entity)
    assert errors and any(fragment in e for e in errors), errors


def test_norm_keys_are_required():
    entity = first("entities", label="WEAPON")
    del entity["norm"]["manufacturer"]
    assert errors_of("entities", entity)


@pytest.mark.parametrize("change", [
    {"label": "GPE"}, {"id": "000_812a8e56a1f28302-E1"}, {"id": "000_812a8e56a1f28302:R1"},
    {"start": -1}, {"text": ""}, {"source": "NER stage"}, {"score": 0.9},
])
def test_bad_entity_fields_are_rejected(change):
    entity = first("entities", label="LOC")
    entity.update(change)
    assert errors_of("entities", entity)


def test_missing_entity_field_is_rejected():
    entity = first("entities", label="LOC")
    del entity["sentence"]
    assert any("sentence" in e for e in errors_of("entities", entity))


@pytest.mark.parametrize("value", ["2022-07-18", "2021-11", "2014", "197X", "19XX", "XXXX-08-13", "XXXX-XX-XX",
                                   "2022-SU", "2022-W03", "XXXX-WXX", "2022-W03-WE", "2022-Q1", "2022-H2",
                                   "2022-07-18T10:30", "2022-07-18TEV", "PAST_REF", "PRESENT_REF", "FUTURE_REF"])
def test_timex_values_accepted(value):
    entity = first("entities", label="DATE")
    entity["norm"]["value"] = value
    assert errors_of("entities", entity) == []


@pytest.mark.parametrize("value", ["P20Y", "PXY", "PXM", "P3D", "P1Y6M", "P2W", "PT3H", "PT90M", "P1.5Y", "P1DT12H"])
def test_durations_accepted(value):
    entity = first("entities", label="DURATION")
    entity["norm"]["value"] = value
    assert errors_of("entities", entity) == []


def test_money_range_with_amount_max_is_valid():
    entity = first("entities", label="MONEY")
    entity["norm"].update({"qualifier": "range", "amount_max": 2e9, "currency": "EUR"})
    assert errors_of("entities", entity) == []


def test_misc_norm_is_free():
    entity = first("entities", label="LOC")
    entity.update({"label": "MISC", "norm": {"anything": [1, 2]}})
    assert errors_of("entities", entity) == []


# ------------------------------------------------------------------ relations and documents

@pytest.mark.parametrize("rtype, part, change, fragment", [
    ("arms_transfer", "attrs", {"status": "sold"}, "status"),
    ("arms_transfer", "attrs", {"quantity": "trois"}, "quantity"),
    ("arms_transfer", "attrs", {"quantity": 0}, "quantity"),
    ("arms_transfer", "attrs", {"recipient_country": "Maroc"}, "recipient_country"),
    ("arms_transfer", "args", {"buyer": "000_812a8e56a1f28302:E1"}, "buyer"),
    ("arms_transfer", "args", {"weapon": "E31"}, "weapon"),
    ("agreement", "args", {"parties": "000_812a8e56a1f28302:E1"}, "parties"),
    ("agreement", "attrs", {"parties": "ISR,MAR"}, "parties"),
    ("meeting", "attrs", {"participants": ["Aviv Kochavi"]}, "participants"),
    ("holds_role", "attrs", {"role": ""}, "role"),
    ("holds_role", "attrs", {"country": "israel"}, "country"),
])
def test_bad_relation_is_rejected(rtype, part, change, fragment):
    relation = first("relations", type=rtype)
    relation[part].update(change)
    errors = errors_of("relations", relation)
    assert errors and any(fragment in e for e in errors), errors


def test_relation_required_arguments():
    meeting = first("relations", type="meeting")
    meeting["args"]["participants"] = meeting["args"]["participants"][:1]
    assert errors_of("relations", meeting)
    role = first("relations", type="holds_role")
    del role["args"]["person"]
    assert errors_of("relations", role)
    transfer = first("relations", type="arms_transfer")
    transfer["args"] = {}
    assert errors_of("relations", transfer)
    del transfer["evidence"]["sentence"]
    assert any("sentence" in e for e in errors_of("relations", transfer))


@pytest.mark.parametrize("change", [
    {"sha256": "abc"}, {"n_tokens": -1}, {"dct": {"value": "2022-07", "source": "guess"}},
    {"dct": {"value": "juillet 2022", "source": "header"}}, {"dct": {"value": None, "source": "header"}},
    {"warnings": "none"}, {"language": "fr"},
])
def test_bad_document_is_rejected(change):
    document = first("documents")
    document.update(change)
    assert errors_of("documents", document)


# ------------------------------------------------------------------ validate_dir: cross-file rules

@pytest.fixture
def copy_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    shutil.copytree(FIXTURE, out)
    return out


def rewrite(path: Path, edit) -> None:
    rows = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]
    rows = edit(rows) or rows
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_offsets_must_match_the_text(copy_dir):
    def edit(rows):
        rows[0]["start"] += 1
    rewrite(copy_dir / "entities.jsonl", edit)
    errors = validate_dir(copy_dir, require_text=True)
    assert any(e.startswith("entities.jsonl:1: text") for e in errors), errors


def test_arguments_must_exist_and_have_the_right_label(copy_dir):
    entities = lines("entities")
    loc = next(e["id"] for e in entities if e["label"] == "LOC" and e["doc_id"] == "000_812a8e56a1f28302")

    def edit(rows):
        rows[0]["args"]["weapon"] = loc
        rows[1]["args"]["supplier"] = "000_812a8e56a1f28302:E9999"
        rows[2]["args"]["recipient"] = next(e["id"] for e in entities if e["doc_id"] != rows[2]["doc_id"]
                                            and e["label"] == "LOC")
    rewrite(copy_dir / "relations.jsonl", edit)
    errors = validate_dir(copy_dir)
    assert any("relations.jsonl:1: args/weapon" in e and "expected WEAPON" in e for e in errors), errors
    assert any("relations.jsonl:2: args/supplier" in e and "not an entity id" in e for e in errors), errors
    assert any("relations.jsonl:3: args/recipient" in e and "another document" in e for e in errors), errors


def test_ids_are_unique_prefixed_and_ordered(copy_dir):
    def edit(rows):
        rows[1]["id"] = rows[0]["id"]
        rows[2]["id"] = "other_doc:E3"
        rows[3]["id"], rows[4]["id"] = rows[4]["id"], rows[3]["id"]
    rewrite(copy_dir / "entities.jsonl", edit)
    errors = validate_dir(copy_dir)
    assert any("entities.jsonl:2: id: duplicate" in e for e in errors), errors
    assert any("entities.jsonl:3: id" in e and "doc_id" in e for e in errors), errors
    assert any("out of order" in e for e in errors), errors


def test_codes_and_sorting_are_checked(copy_dir):
    def edit_entities(rows):
        money = next(r for r in rows if r["label"] == "MONEY")
        money["norm"]["currency"] = "ABC"
        loc = next(r for r in rows if r["label"] == "LOC")
        loc["norm"]["country"] = "QQQ"
    rewrite(copy_dir / "entities.jsonl", edit_entities)

    def edit_relations(rows):
        agreement = next(r for r in rows if r["type"] == "agreement")
        agreement["attrs"]["parties"] = sorted(agreement["attrs"]["parties"], reverse=True)
    rewrite(copy_dir / "relations.jsonl", edit_relations)
    errors = validate_dir(copy_dir)
    assert any("'ABC' is not an ISO 4217" in e for e in errors), errors
    assert any("'QQQ' is not an ISO 3166-1" in e for e in errors), errors
    assert any("attrs/parties: not sorted" in e for e in errors), errors


def test_unknown_document_and_unreadable_text(copy_dir):
    def edit(rows):
        rows[0]["path"] = "nowhere/missing.txt"
        return rows
    rewrite(copy_dir / "documents.jsonl", edit)
    rewrite(copy_dir / "entities.jsonl", lambda rows: [dict(rows[0], doc_id="ghost", id="ghost:E1")] + rows[1:])
    assert not any("cannot read" in e for e in validate_dir(copy_dir))
    errors = validate_dir(copy_dir, require_text=True)
    assert any("documents.jsonl:1: path: cannot read" in e for e in errors), errors
    assert any("'ghost' is not in documents.jsonl" in e for e in errors), errors


def test_missing_file_and_bad_json_are_reported(copy_dir):
    (copy_dir / "relations.jsonl").unlink()
    with (copy_dir / "entities.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("{not json}\n")
    n = len(lines("entities")) + 1
    errors = validate_dir(copy_dir)
    assert any("relations.jsonl: file not found" in e for e in errors), errors
    assert any(e.startswith(f"entities.jsonl:{n}: invalid JSON") for e in errors), errors
    assert validate_dir(copy_dir / "nope") == [f"{copy_dir / 'nope'}: output directory not found"]
