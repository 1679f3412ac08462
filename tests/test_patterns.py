"""Every token pattern of rules/patterns/ matches its own examples, and the rule files load.

Patterns are run on `spacy.blank("fr")` (no model): the few patterns that test a part of
speech are checked in the gold run instead, and listed here so they are not silently skipped.
"""
from __future__ import annotations

import pytest
import spacy

from pipeline.components import PATTERN_FILES, rule_patterns
from pipeline.lexicons import PATTERN_KEYS, RuleError, check_keys, iter_examples, load_patterns, noun_category
from pipeline.pattern_spans import PatternSpans

MODEL_ATTRS = ("POS", "TAG", "LEMMA", "DEP", "MORPH")


def needs_model(pattern: list) -> bool:
    return any(key in token for token in pattern for key in MODEL_ATTRS)


CASES = [(name, rule, sentence, expected)
         for name in PATTERN_FILES for rule, sentence, expected in iter_examples(load_patterns(name))
         if not needs_model(rule.pattern)]


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("fr")


@pytest.fixture(scope="module")
def finders(nlp):
    """One PatternSpans per pattern file, as the pipeline runs them (refusals by
    `not_followed_by`, then longest match)."""
    return {name: PatternSpans([rule for rule in load_patterns(name) if not needs_model(rule.pattern)], nlp)
            for name in PATTERN_FILES}


@pytest.mark.parametrize("name,rule,sentence,expected", CASES,
                         ids=[f"{c[0]}:{c[1].id}:{i}" for i, c in enumerate(CASES)])
def test_pattern_file_finds_each_example(finders, name, rule, sentence, expected):
    spans = [span.text for _, span in finders[name](sentence)]
    assert expected in spans, f"{rule.id}: {expected!r} not in {spans!r}"


def test_every_pattern_has_an_example():
    for name in PATTERN_FILES:
        for rule in load_patterns(name):
            assert rule.examples, f"{name}.yaml: {rule.id} has no example"


def test_weapon_noun_ids_name_a_category():
    for rule in load_patterns("weapon_nouns"):
        assert noun_category(rule.id)


def test_span_ruler_patterns_build(nlp):
    patterns = rule_patterns()
    assert len(patterns) > 5000
    assert {p["label"] for p in patterns} == {"PER", "ORG", "LOC", "WEAPON", "MONEY", "DATE", "DURATION"}


def test_unknown_pattern_key_is_rejected():
    entry = {"id": "x", "label": "DATE", "pattern": [{"LOWER": "a"}], "colour": "red"}
    with pytest.raises(RuleError, match="colour"):
        check_keys(entry, PATTERN_KEYS, {"id", "label", "pattern"}, "bad.yaml #0")


def test_not_followed_by_takes_no_op(tmp_path):
    """A `not_followed_by` entry with an `OP` (it describes one token) fails at load."""
    import shutil

    from pipeline.config import RULES_DIR

    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    dates = rules / "patterns" / "dates.yaml"
    dates.write_text(dates.read_text(encoding="utf-8").replace(
        'not_followed_by: ["@counted", "@numberlike"]', 'not_followed_by: ["@counted?"]', 1), encoding="utf-8")
    with pytest.raises(RuleError, match="without OP"):
        load_patterns("dates", rules)


def test_a_refused_match_leaves_the_shorter_one():
    """`le 3` before a month is refused, so `3 mars` is kept; `mars 40` before a number,
    so `mars` alone."""
    finder = PatternSpans(load_patterns("dates"))
    assert [span.text for _, span in finder("Le 3 mars, la Pologne a signé.")] == ["3 mars"]
    assert [span.text for _, span in finder("En mars 40 000 obus ont été livrés.")] == ["mars"]
