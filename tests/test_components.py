"""The span finder's set-up: its phrase patterns are tokenized by a copy of the pipeline's
tokenizer (so the pipeline's own tokenizer cache stays small), which must cut every lexicon
name exactly as the pipeline's tokenizer cuts running text."""
from __future__ import annotations

import pytest

from pipeline.components import rule_patterns, tokenizer_copy

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
