"""The scorer on small hand-made cases (several labels with equal counts, optional, X, order)."""
from __future__ import annotations

import random

import pytest

from pipeline.evaluate import (evaluate_records, max_matching, score_mentions, score_relations,
                               values_equal)


def m(label, start, end, doc="d1", optional=False, **norm):
    return {"doc_id": doc, "label": label, "start": start, "end": end, "text": "x" * (end - start),
            "optional": optional, "norm": norm}


def test_values_equal_wildcards_and_numbers():
    assert values_equal("2022-08", "XXXX-08")
    assert values_equal("1975", "197X")
    assert not values_equal("2022-09", "XXXX-08")
    assert not values_equal("2022-08-01", "XXXX-08")
    assert values_equal(50000000, 5e7)
    assert not values_equal(None, "2020")
    assert values_equal(None, None)


def test_several_labels_with_equal_counts_are_scored_separately():
    # Two labels, two gold mentions each; PER found twice, LOC once plus one false positive.
    gold = [m("PER", 0, 5, name="A"), m("PER", 10, 15, name="B"),
            m("LOC", 20, 25, name="C"), m("LOC", 30, 35, name="D")]
    pred = [m("PER", 0, 5, name="A"), m("PER", 10, 15, name="wrong"),
            m("LOC", 20, 25, name="C"), m("LOC", 40, 45, name="E")]
    per = score_mentions(pred, gold, "PER", strict=False)
    loc = score_mentions(pred, gold, "LOC", strict=False)
    assert (per.tp, per.fp, per.fn) == (2, 0, 0)
    assert (loc.tp, loc.fp, loc.fn) == (1, 1, 1)
    assert per.norm_accuracy == 0.5 and loc.norm_accuracy == 1.0
    assert loc.precision == 0.5 and loc.recall == 0.5 and loc.f1 == 0.5


def test_lenient_versus_strict():
    gold = [m("DATE", 10, 20, value="2020", mod=None)]
    pred = [m("DATE", 12, 20, value="2020", mod=None)]
    assert score_mentions(pred, gold, "DATE", strict=False).tp == 1
    strict = score_mentions(pred, gold, "DATE", strict=True)
    assert (strict.tp, strict.fp, strict.fn) == (0, 1, 1)


def test_label_must_agree():
    gold = [m("ORG", 0, 5, name="X")]
    pred = [m("LOC", 0, 5, name="X")]
    assert score_mentions(pred, gold, "ORG", strict=False).fn == 1
    assert score_mentions(pred, gold, "LOC", strict=False).fp == 1


def test_optional_gold_is_neither_reward_nor_penalty():
    gold = [m("WEAPON", 0, 6, optional=True, name=None, category="uav"), m("WEAPON", 10, 15, name="Heron", category="uav")]
    only_optional = score_mentions([m("WEAPON", 0, 6, name=None, category="uav")], gold, "WEAPON", False)
    assert (only_optional.tp, only_optional.fp, only_optional.fn) == (0, 0, 1)
    both = score_mentions([m("WEAPON", 0, 6), m("WEAPON", 10, 15, name="Heron", category="uav")], gold, "WEAPON", False)
    assert (both.tp, both.fp, both.fn) == (1, 0, 0)


def test_one_to_one_pairing_is_maximal_and_order_independent():
    # One long prediction overlaps two gold spans; two short predictions each overlap one.
    gold = [m("LOC", 0, 5, name="A"), m("LOC", 6, 10, name="B")]
    pred = [m("LOC", 0, 10, name="A"), m("LOC", 6, 10, name="B")]
    results = set()
    for seed in range(6):
        shuffled = pred[:]
        random.Random(seed).shuffle(shuffled)
        sc = score_mentions(shuffled, list(reversed(gold)) if seed % 2 else gold, "LOC", False)
        results.add((sc.tp, sc.fp, sc.fn, sc.norm_ok))
    assert results == {(2, 0, 0, 2)}


def test_max_matching_finds_augmenting_path():
    left, right = ["a", "b"], ["x", "y"]
    edges = {("a", "x"), ("a", "y"), ("b", "x")}
    pairs = max_matching(left, right, lambda a, b: (a, b) in edges)
    assert len(pairs) == 2


def transfer(doc="d1", **kw):
    base = {"doc_id": doc, "type": "arms_transfer", "supplier_country": "ISR", "recipient_country": "MAR",
            "weapon": "Heron", "weapon_category": "uav", "quantity": 3,
            "value": {"amount": 50000000, "currency": "USD"}, "date": "2014", "status": "delivered"}
    base.update(kw)
    return base


def test_relations_match_on_key_and_score_attributes():
    gold = [transfer(), transfer(weapon=None, weapon_category="tank", quantity=None, value=None, date="197X"),
            {"doc_id": "d1", "type": "holds_role", "person": "A B", "role": "général", "country": "ISR"}]
    pred = [transfer(date="2013"),                                     # key ok, one attribute wrong
            transfer(weapon=None, weapon_category="tank", quantity=None, value=None, date="1975"),
            transfer(weapon="Harop", weapon_category="loitering_munition"),  # no gold: FP
            {"doc_id": "d1", "type": "holds_role", "person": "A B", "role": "général", "country": "ISR"}]
    arms = score_relations(pred, gold, "arms_transfer")
    assert (arms.tp, arms.fp, arms.fn) == (2, 1, 0)
    assert arms.norm_ok == 1 and arms.attr_ok["date"] == 1 and arms.attr_ok["status"] == 2
    roles = score_relations(pred, gold, "holds_role")
    assert (roles.tp, roles.fp, roles.fn, roles.norm_ok) == (1, 0, 0, 1)


def test_evaluate_records_resolves_argument_ids():
    entities = [{"id": "d1:E1", "doc_id": "d1", "label": "WEAPON", "start": 0, "end": 5, "text": "Heron",
                 "norm": {"name": "Heron", "category": "uav"}},
                {"id": "d1:E2", "doc_id": "d1", "label": "DATE", "start": 9, "end": 13, "text": "2014",
                 "norm": {"value": "2014", "mod": None}}]
    relations = [{"id": "d1:R1", "doc_id": "d1", "type": "arms_transfer",
                  "args": {"weapon": "d1:E1", "date": "d1:E2"},
                  "attrs": {"supplier_country": "ISR", "recipient_country": "MAR", "quantity": None,
                            "status": "delivered"}}]
    gold_rel = [transfer(quantity=None, value=None)]
    gold_ent = [dict(e, optional=False) for e in entities]
    result = evaluate_records(entities, gold_ent, relations, gold_rel)
    assert result.relations["arms_transfer"].tp == 1
    assert result.relations["arms_transfer"].norm_ok == 1
    assert result.lenient["WEAPON"].f1 == 1.0
    table = result.table()
    assert "arms_transfer" in table and "WEAPON" in table


@pytest.mark.parametrize("strict", [False, True])
def test_other_document_never_matches(strict):
    gold = [m("PER", 0, 5, doc="d1")]
    pred = [m("PER", 0, 5, doc="d2")]
    sc = score_mentions(pred, gold, "PER", strict)
    assert (sc.tp, sc.fp, sc.fn) == (0, 1, 1)
