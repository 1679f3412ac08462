"""The span finder's set-up: its phrase patterns are tokenized by a copy of the pipeline's
tokenizer (so the pipeline's own tokenizer cache stays small), which must cut every lexicon
name exactly as the pipeline's tokenizer cuts running text; and with its patterns compiled
(flags, phrases of lower-case words) it finds exactly the spans spaCy's own SpanRuler finds
with the patterns as written."""
from __future__ import annotations

import pytest

from pattern_texts import corpus_texts
from pipeline.components import CANDIDATES_KEY, rule_patterns, tokenizer_copy

pytestmark = pytest.mark.model


def test_tokenizer_copy_cuts_every_lexicon_name_like_the_pipeline():
    from pipeline.nlp import build_nlp
    nlp = build_nlp()
    copy = tokenizer_copy(nlp.tokenizer)
    names = [p["pattern"] for p in rule_patterns() if isinstance(p["pattern"], str)]
    sentences = ["Le 3 mars 2023.L'Inde a commandé 36 Rafale F4 (Dassault) à 7,87 Md€ via https://x.fr.",
                 "Tel-Aviv, l'état-major et le lieutenant-général ont reçu des M1A2 Abrams."]
    assert len(names) > 10000
    for text in names + sentences:
        assert [t.text for t in copy(text)] == [t.text for t in nlp.tokenizer(text)], text


def test_span_finder_finds_what_spacys_span_ruler_finds_with_the_written_patterns():
    from spacy.pipeline import SpanRuler

    from pipeline.nlp import build_nlp
    nlp = build_nlp()
    finder = nlp.get_pipe("arms_span_finder")
    assert len(finder.lower_phrases) > 20     # some patterns did become phrases
    assert len(finder.orth_phrases) > 10000   # the lexicon names
    tokenizer_only = nlp.__class__(vocab=nlp.vocab)
    tokenizer_only.tokenizer = tokenizer_copy(nlp.tokenizer)
    reference = SpanRuler(tokenizer_only, "reference", spans_key="reference", phrase_matcher_attr="ORTH",
                          validate=True, overwrite=True)
    reference.add_patterns(rule_patterns())           # no vocab: the patterns as written
    found = 0
    with nlp.select_pipes(disable=["arms_resolver", "arms_parser", "arms_relations"]):
        for doc in nlp.pipe(corpus_texts()):
            got = [(s.start, s.end, s.label_, s.id_) for s in doc.spans[CANDIDATES_KEY]]
            assert got == [(s.start, s.end, s.label_, s.id_) for s in reference(doc).spans["reference"]]
            found += len(got)
    assert found > 1500
