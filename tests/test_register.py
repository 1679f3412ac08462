"""The deal register (pipeline/register/) on hand-made statements: each merge rule of
rules/register.yaml (its examples, then restatement, conflict, different batches, unnamed
equipment), the deal's fields, stable ids, and the offline currency conversion."""
from __future__ import annotations

import socket
from dataclasses import replace

import pytest

from pipeline.lexicons import RuleError
from pipeline.register import build_deals
from pipeline.register.convert import convert, rate_day
from pipeline.register.deal import dates_agree
from pipeline.register.merge import merge
from pipeline.register.policy import load_policy
from pipeline.register.statements import Statement, statement_of

POLICY = load_policy()


def statement(doc="a", n=1, supplier="ISR", recipient="MAR", weapon="Heron", status="delivered",
              date=None, quantity=None, amount=None, currency=None, category="uav", **more) -> Statement:
    values = dict(doc_id=doc, relation_id=f"{doc}:R{n}", supplier_country=supplier,
                  recipient_country=recipient, supplier_org=None, recipient_org=None,
                  weapon=weapon, variant=None, category=category, manufacturer=None,
                  status=status, date=date, quantity=quantity, value_amount=amount,
                  value_currency=currency, evidence=f"Sentence {n} of {doc}.")
    values.update(more)
    return Statement(**values)


def from_example(line: str, n: int) -> Statement:
    """`DOC SUPPLIER RECIPIENT WEAPON STATUS DATE QUANTITY` (register.yaml's example form)."""
    doc, supplier, recipient, weapon, status, date, quantity = line.split()
    unnamed = weapon.startswith("cat:")
    return statement(doc, n, supplier, recipient, None if unnamed else weapon, status,
                     None if date == "-" else date, None if quantity == "-" else int(quantity),
                     category=weapon[4:] if unnamed else "other")


@pytest.mark.parametrize("example", POLICY.examples, ids=lambda e: e.name)
def test_register_yaml_examples(example):
    statements = [from_example(line, n) for n, line in enumerate(example.statements, 1)]
    groups = merge(statements, POLICY)
    got = [[statements.index(s) + 1 for s in group] for group in groups]
    assert sorted(got) == sorted(list(g) for g in example.deals)


# ------------------------------------------------------------------ merge rules, by hand

def test_a_restatement_is_one_deal_with_both_sources():
    deals = build_deals([statement("a", 4, date="2014", quantity=3, amount=50_000_000, currency="USD"),
                         statement("b", 2, date="2014-05", quantity=3, recipient_org="Forces royales air")])
    assert len(deals) == 1
    deal = deals[0]
    assert [s["relation_id"] for s in deal["sources"]] == ["a:R4", "b:R2"]
    assert deal["n_documents"] == 2 and deal["n_sources"] == 2
    assert deal["quantity_delivered"] == 3 and deal["quantity_ordered"] is None
    assert deal["delivery_dates"] == ["2014", "2014-05"] and deal["delivery_years"] == [2014]
    assert deal["recipient_organisations"] == ["Forces royales air"]
    assert deal["supplier_name"] == "Israël" and deal["recipient_name"] == "Maroc"
    assert deal["conflicts"] == []          # 2014-05 refines 2014: no disagreement
    assert deal["sources"][0]["evidence"] == "Sentence 4 of a."


def test_sources_that_disagree_are_listed_never_resolved_silently():
    deals = build_deals([statement("a", 1, date="2014", quantity=3),
                         statement("b", 1, date="2013", quantity=4),
                         statement("c", 1, date="2014", quantity=3)])
    assert len(deals) == 1
    conflicts = {c["attribute"]: c for c in deals[0]["conflicts"]}
    assert conflicts["date"]["status"] == "delivered"
    assert conflicts["date"]["values"] == [{"value": "2014", "sources": ["a:R1", "c:R1"]},
                                           {"value": "2013", "sources": ["b:R1"]}]
    assert conflicts["quantity"]["values"] == [{"value": 3, "sources": ["a:R1", "c:R1"]},
                                               {"value": 4, "sources": ["b:R1"]}]
    assert deals[0]["quantity_delivered"] == 3   # what two of the three sources say


def test_an_order_and_its_delivery_do_not_conflict_on_date():
    deals = build_deals([statement("a", 1, status="ordered", date="2019", quantity=12),
                         statement("b", 1, status="delivered", date="2022", quantity=12)])
    deal, = deals
    assert deal["conflicts"] == []
    assert (deal["order_date"], deal["order_year"], deal["delivery_years"]) == ("2019", 2019, [2022])
    assert deal["quantity_ordered"] == 12 and deal["quantity_delivered"] == 12
    assert deal["status"] == "delivered"


def test_orders_more_than_the_threshold_apart_are_different_batches():
    first = statement("a", 1, weapon="Rafale", status="ordered", date="2015", quantity=24)
    second = statement("b", 1, weapon="Rafale", status="ordered", date="2021", quantity=30)
    assert POLICY.max_years_apart == 5          # 2021 - 2015 = 6 > 5
    deals = build_deals([first, second])
    assert [d["order_year"] for d in deals] == [2015, 2021]
    assert deals[0]["deal_id"] != deals[1]["deal_id"]
    closer = replace(second, date="2020")
    assert len(build_deals([first, closer])) == 1


def test_two_lots_of_one_article_with_their_own_quantities_stay_apart_but_other_articles_join():
    lot1 = statement("a", 1, weapon="TB2", date="2022", quantity=12)
    lot2 = statement("a", 2, weapon="TB2", status="planned", date="2023", quantity=6)
    other = statement("b", 1, weapon="TB2", date="2022", quantity=12)
    deals = build_deals([lot1, lot2, other])
    assert sorted([s["relation_id"] for s in d["sources"]] for d in deals) == [["a:R1", "b:R1"], ["a:R2"]]


def test_unnamed_equipment_joins_only_within_its_document():
    tanks_a1 = statement("a", 1, weapon=None, category="tank")
    tanks_a2 = statement("a", 3, weapon=None, category="tank", date="2019")
    tanks_b = statement("b", 1, weapon=None, category="tank", date="2019")
    drones_a = statement("a", 2, weapon=None, category="uav")
    deals = build_deals([tanks_a1, tanks_a2, tanks_b, drones_a])
    groups = sorted([s["relation_id"] for s in d["sources"]] for d in deals)
    assert groups == [["a:R1", "a:R3"], ["a:R2"], ["b:R1"]]
    assert all(d["weapon"] is None for d in deals)


def test_different_sides_or_weapons_are_different_deals():
    deals = build_deals([statement("a", 1), statement("a", 2, recipient="DZA"),
                         statement("a", 3, supplier="TUR"), statement("a", 4, weapon="Hermes 900")])
    assert len(deals) == 4


def test_latest_status_follows_the_policy_order():
    deals = build_deals([statement("a", 1, status="negotiating"), statement("b", 1, status="ordered"),
                         statement("c", 1, status="alleged")])
    assert deals[0]["status"] == "ordered"
    assert POLICY.status_order.index("cancelled") > POLICY.status_order.index("delivered")


# ------------------------------------------------------------------------- stable ids

def test_deal_ids_do_not_depend_on_order_or_on_unrelated_deals():
    heron = [statement("a", 1, date="2014"), statement("b", 1, date="2013")]
    alone = {d["weapon"]: d["deal_id"] for d in build_deals(heron)}
    more = build_deals([statement("0", 1, weapon="Barak", category="air_defense"), *reversed(heron)])
    assert {d["weapon"]: d["deal_id"] for d in more}["Heron"] == alone["Heron"]
    assert all(d["deal_id"].startswith("D") and len(d["deal_id"]) == 13 for d in more)


def test_deal_ids_are_unique_when_keys_coincide():
    deals = build_deals([statement("a", 1, weapon="TB2", date="2022", quantity=12),
                         statement("a", 2, weapon="TB2", date="2022", quantity=6)])
    assert len({d["deal_id"] for d in deals}) == 2


# ------------------------------------------------------------------------- conversion

def test_conversion_reads_the_shipped_ecb_history_without_network(monkeypatch):
    from pipeline.register import convert as module

    module.converter.cache_clear()

    def no_network(*args, **kwargs):
        raise AssertionError("currencyconverter tried the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    result = convert(100, "USD", "2014", POLICY)
    # the ECB's euro was worth between 1.36 and 1.37 dollars in early July 2014,
    # so 100 USD was between 100/1.37 = 72.99 and 100/1.36 = 73.53 EUR
    assert result.usd == 100 and 72.99 <= result.eur <= 73.53
    assert result.rate_date == "2014-07-01" and result.note is None


def test_the_ecb_history_is_read_once_then_from_the_rule_cache(tmp_path, monkeypatch):
    import currency_converter

    from pipeline.register import convert as module
    from pipeline.rule_cache import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    module.converter.cache_clear()
    first = [convert(100, "GBP", year, POLICY) for year in ("2014", "2021-03", "2023-11-06")]
    assert list(tmp_path.glob("ecb-rates-*.pickle"))
    module.converter.cache_clear()  # as a new process would
    monkeypatch.setattr(currency_converter, "CurrencyConverter", lambda *a, **k: pytest.fail("read again"))
    assert [convert(100, "GBP", year, POLICY) for year in ("2014", "2021-03", "2023-11-06")] == first
    module.converter.cache_clear()


def test_conversion_says_why_a_value_is_missing():
    assert convert(None, None, "2014", POLICY).note == "no value"
    assert "no placeable date" in convert(5, "USD", "XXXX-08-13", POLICY).note
    assert convert(5, "USD", "XXXX-08-13", POLICY).usd == 5     # no rate needed
    mad = convert(5, "MAD", "2014", POLICY)
    assert (mad.usd, mad.eur) == (None, None) and "MAD: not an ECB reference currency" in mad.note
    old = convert(5, "EUR", "1990", POLICY)
    assert old.eur == 5 and old.usd is None and "outside the ECB history" in old.note


def test_rate_days_follow_the_policy():
    assert str(rate_day("2014", POLICY)) == "2014-07-01"
    assert str(rate_day("2021-11", POLICY)) == "2021-11-15"
    assert str(rate_day("2021-11-03", POLICY)) == "2021-11-03"
    assert rate_day("197X", POLICY) is None and rate_day(None, POLICY) is None


def test_dates_agree_when_one_refines_the_other():
    assert dates_agree("2014", "2014-03") and dates_agree("197X", "1975")
    assert dates_agree("XXXX-08-13", "2021-08-13")
    assert not dates_agree("2013", "2014") and not dates_agree("2014-03", "2014-04")


# ------------------------------------------------------------------- records, policy

def test_statement_of_a_relation_record_resolves_its_mentions():
    text = "Le Maroc a acheté 3 Heron à IAI en 2014."
    entities = {
        "d:E1": {"label": "LOC", "text": "Maroc", "norm": {"name": "Maroc", "country": "MAR"}},
        "d:E2": {"label": "WEAPON", "text": "Heron", "norm": {"name": "Heron", "variant": None,
                 "category": "uav", "manufacturer": "Israel Aerospace Industries"}},
        "d:E3": {"label": "ORG", "text": "IAI", "norm": {"name": "Israel Aerospace Industries"}},
        "d:E4": {"label": "DATE", "text": "2014", "norm": {"value": "2014", "mod": None}},
    }
    relation = {"id": "d:R1", "doc_id": "d", "type": "arms_transfer",
                "args": {"recipient": "d:E1", "weapon": "d:E2", "supplier": "d:E3", "date": "d:E4"},
                "attrs": {"supplier_country": "ISR", "recipient_country": "MAR", "quantity": 3,
                          "status": "delivered"},
                "evidence": {"start": 0, "end": len(text), "sentence": 0}}
    got = statement_of(relation, entities, text)
    assert (got.supplier_org, got.recipient_org, got.weapon, got.year, got.quantity) == (
        "Israel Aerospace Industries", None, "Heron", 2014, 3)
    assert got.evidence == text
    assert statement_of(relation, entities, None).evidence is None


def test_a_malformed_policy_stops_the_load(tmp_path):
    good = (load_policy.__wrapped__.__globals__["rules_path"]("register.yaml")).read_text(encoding="utf-8")
    (tmp_path / "register.yaml").write_text(good.replace("max_years_apart: 5", "max_years_apart: -1"),
                                            encoding="utf-8")
    with pytest.raises(RuleError, match="max_years_apart"):
        load_policy(tmp_path)
    (tmp_path / "register.yaml").write_text(good.replace("delivery_stages: [delivered]",
                                                         "delivery_stages: [shipped]"), encoding="utf-8")
    with pytest.raises(RuleError, match="shipped"):
        load_policy(tmp_path)


# ------------------------------------------------------------- deals.jsonl and validate

def test_register_of_the_fixture_validates_and_a_wrong_source_is_reported(tmp_path, monkeypatch):
    import json
    import shutil
    from pathlib import Path

    from pipeline.register import write_register
    from pipeline.schemas import validate_dir

    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    out = tmp_path / "out"
    shutil.copytree(root / "tests" / "fixtures" / "outputs", out)
    path, count = write_register([out], out)
    assert count >= 1 and validate_dir(out) == []
    deals = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    deals[0]["sources"][0]["relation_id"] = "nowhere:R99"
    deals[0]["status"] = "shipped"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in deals), encoding="utf-8")
    errors = validate_dir(out)
    assert any("'nowhere:R99' is not an arms_transfer" in e for e in errors)
    assert any(e.startswith("deals.jsonl:1: status") for e in errors)
    assert any("in no deal" in e for e in errors)


def test_deals_jsonl_is_renamed_with_the_other_outputs_or_not_at_all(tmp_path, monkeypatch):
    """A failure while the register is built leaves the previous four files and no temporary."""
    import spacy

    import pipeline.register
    from pipeline import components  # noqa: F401  (registers doc._.arms_source etc.)
    from pipeline.write import OutputWriter

    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")

    def doc():
        made = nlp("Le Maroc achète des drones.")
        made._.arms_source = {"doc_id": "d", "path": "d.txt", "sha256": "0" * 64,
                         "dct": {"value": None, "source": None}, "warnings": []}
        made._.arms_mentions, made._.arms_relations = [], []
        return made

    with OutputWriter(tmp_path) as writer:
        writer.write_doc(doc())
    names = ["deals.jsonl", "documents.jsonl", "entities.jsonl", "relations.jsonl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    before = {name: (tmp_path / name).read_bytes() for name in names}
    assert before["deals.jsonl"] == b""

    def broken(statements, policy=None):
        raise RuntimeError("register failed")

    monkeypatch.setattr(pipeline.register, "iter_deals", broken)  # what the writer builds deals.jsonl with
    with pytest.raises(RuntimeError):
        with OutputWriter(tmp_path) as writer:
            writer.write_doc(doc())
            writer.write_doc(doc())
            writer.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert {name: (tmp_path / name).read_bytes() for name in names} == before


def test_a_deal_is_valued_at_its_order_date_else_its_earliest_dated_source():
    harop = build_deals([statement("a", 1, weapon="Harop", status="negotiating", date="XXXX-08-13",
                                   amount=100, currency="USD"),
                         statement("b", 1, weapon="Harop", date="2021-11")])
    assert harop[0]["value_rate_date"] == "2021-11-15" and harop[0]["value_eur"] is not None
    barak = build_deals([statement("a", 1, weapon="Barak", status="planned", date="XXXX-02",
                                   amount=500, currency="USD")])
    assert barak[0]["value_eur"] is None
    assert barak[0]["value_note"] == "no placeable date for the rate (XXXX-02)"


# ------------------------------------------------------------------ reading a run's files

def write_run(folder, entity_order):
    """A run of two documents (texts, documents, relations in document order) whose entities
    file holds the mentions in `entity_order` (ids): `extract`'s order or another."""
    import json
    texts = {"a": "La Grèce a reçu six Rafale français.", "b": "Le Maroc a commandé trois drones Heron israéliens."}
    mentions = {"a:E1": ("a", "Rafale", 20, 26), "a:E2": ("a", "Grèce", 3, 8),
                "b:E1": ("b", "Heron", 33, 38), "b:E2": ("b", "Maroc", 3, 8)}
    documents = []
    for doc_id, text in texts.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        documents.append({"doc_id": doc_id, "path": str(folder / f"{doc_id}.txt"), "n_chars": len(text)})
    lines = []
    for entity_id in entity_order:
        doc_id, name, start, end = mentions[entity_id]
        label = "LOC" if name in ("Grèce", "Maroc") else "WEAPON"
        lines.append({"id": entity_id, "doc_id": doc_id, "label": label, "text": name, "start": start, "end": end,
                      "norm": {"name": name} if label == "WEAPON" else {"iso": name[:3].upper()}})
    (folder / "entities.jsonl").write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    relations = [{"id": f"{d}:R1", "doc_id": d, "type": "arms_transfer",
                  "args": {"weapon": f"{d}:E1", "recipient": f"{d}:E2"},
                  "attrs": {"supplier_country": s, "recipient_country": r, "quantity": q, "status": st},
                  "evidence": {"start": 0, "end": len(texts[d])}}
                 for d, s, r, q, st in (("a", "FRA", "GRC", 6, "delivered"), ("b", "ISR", "MAR", 3, "ordered"))]
    (folder / "relations.jsonl").write_text("".join(json.dumps(r) + "\n" for r in relations), encoding="utf-8")
    return documents


@pytest.mark.parametrize("entity_order", [
    ["a:E1", "a:E2", "b:E1", "b:E2"],   # as extract writes them: one block per document, in order
    ["b:E1", "b:E2", "a:E1", "a:E2"],   # the documents in another order
    ["a:E1", "b:E1", "b:E2", "a:E2"],   # a document's mentions apart
])
def test_a_runs_statements_are_read_whatever_the_order_of_its_mentions(tmp_path, entity_order):
    from pipeline.register import read_statements
    documents = write_run(tmp_path, entity_order)
    statements = read_statements(documents, tmp_path / "entities.jsonl", tmp_path / "relations.jsonl")
    assert [(s.doc_id, s.weapon, s.recipient_country, s.quantity, s.status) for s in statements] == [
        ("a", "Rafale", "GRC", 6, "delivered"), ("b", "Heron", "MAR", 3, "ordered")]
    assert statements[1].evidence == "Le Maroc a commandé trois drones Heron israéliens."
