"""Sentence boundaries: the guard before the parser and the sentence index the later stages
read. A sentence ends at final punctuation or a line break, never inside a name or after a
misread designation, so that a deal's value and date stay in the deal's sentence."""
from __future__ import annotations

import pytest

from pipeline.sentences import SentenceIndex, doc_text, sentence_starts

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    from pipeline.nlp import build_nlp
    return build_nlp()


def sentences(nlp, text):
    doc = nlp.make_doc(text)
    doc._.arms_source = {"doc_id": "t", "dct": {"value": "2022-12", "source": "metadata"}}
    return [sent.text.strip() for sent in nlp(doc).sents]


@pytest.mark.parametrize("text", [
    "Elle a aussi commandé 250 chars M1A2 Abrams aux États-Unis, pour 4,75 milliards de dollars, en avril.",
    "New Delhi espère vendre d'autres missiles au Vietnam et à l'Indonésie.",
    "La Pologne a signé avec Korea Aerospace Industries un contrat pour 48 FA-50.",
    "Le chef d'état-major est arrivé à Tel-Aviv lundi 18 juillet 2022 pour une visite.",
    "Aux Philippines, Manille est devenu le premier client étranger du BrahMos.",
])
def test_no_sentence_ends_inside_a_sentence(nlp, text):
    assert sentences(nlp, text) == [text]


def test_sentences_still_end_at_final_punctuation_and_line_breaks(nlp):
    text = ("Pologne : les premiers chars K2 débarqués à Gdynia\n\n"
            "Varsovie a réceptionné ses premiers blindés. Dix chars K2 ont été débarqués.")
    assert sentences(nlp, text) == ["Pologne : les premiers chars K2 débarqués à Gdynia",
                                    "Varsovie a réceptionné ses premiers blindés.",
                                    "Dix chars K2 ont été débarqués."]


def test_sentence_index_agrees_with_spacy(nlp):
    text = ("Titre sans point\nLe Maroc a reçu des drones turcs. Rabat a aussi commandé 24 Apache "
            "aux États-Unis ; la livraison est prévue en 2024 !")
    doc = nlp(text)
    index = SentenceIndex(doc)
    assert [(s.start, s.end) for s in index.spans] == [(s.start, s.end) for s in doc.sents]
    assert sentence_starts(doc) == [s.start for s in doc.sents]
    for sent in index.spans:
        assert index.text_of(sent) == sent.text
        assert index.lemmas(sent) == {t.lemma_.lower() for t in sent}
        assert index.lemmas_and_forms(sent) == {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    assert index.of(len(doc) - 1) is index.spans[-1]
    assert sentence_starts(nlp.make_doc("")) == []


def test_resolver_and_relations_share_one_index_per_doc(nlp, monkeypatch):
    """The relation stage reuses the index the resolver built for the same doc, and never
    one built for another doc."""
    built = []
    init = SentenceIndex.__init__

    def counting_init(self, doc):
        built.append(doc)
        init(self, doc)

    monkeypatch.setattr(SentenceIndex, "__init__", counting_init)
    texts = ["Le Maroc a reçu des drones turcs.", "La Pologne a commandé 180 chars K2 à la Corée du Sud."]
    docs = list(nlp.pipe(texts))
    assert len(built) == len(texts)
    first, second = docs
    assert SentenceIndex.for_doc(second).doc is second
    index = SentenceIndex.for_doc(first)
    assert index.doc is first and index.text == texts[0]


def test_lowered_strings_memo_stays_bounded(nlp, monkeypatch):
    from pipeline import sentences
    monkeypatch.setattr(sentences, "LOWERED_MAX", 3)
    monkeypatch.setattr(sentences, "_LOWERED", {})
    strings = nlp.vocab.strings
    for word in ["Rabat", "Varsovie", "Séoul", "Ankara", "Paris"]:
        assert sentences.lowered_string(strings, strings.add(word)) == word.lower()
        assert len(sentences._LOWERED) <= 3


def test_doc_text_is_the_given_text_only_when_it_is_the_docs(nlp):
    given = "Le Maroc a reçu des drones turcs en 2021."
    doc = nlp.make_doc(given)
    assert doc_text(doc) == given                      # no given text: rebuilt from the tokens
    doc._.arms_text = given
    assert doc_text(doc) is given                      # not rebuilt
    doc._.arms_text = "Un autre texte."
    assert doc_text(doc) == given
    assert doc_text(nlp.make_doc("")) == ""
