"""Sentences by rule, and the parser only on the sentences the relation stage reads.

`sentence_marks` decides every boundary without the parser; `arms_parser` runs the model's
parser on the sentences that hold a relation word (rules/relations.yaml, `parse_gate`) and
gives the others a flat tree."""
from __future__ import annotations

import pytest

from pipeline.sentences import sentence_marks


def starts(tokens: list[str]) -> list[int]:
    """Sentence starts (token numbers, "" not counted) of a text given as tokens followed by
    one space, or by none where "" follows."""
    texts, space_after = [], []
    for token in tokens:
        if token == "":
            space_after[-1] = False
            continue
        texts.append(token)
        space_after.append(True)
    is_space = [t.isspace() for t in texts]
    marks = sentence_marks(texts, is_space, space_after)
    return [i for i, mark in enumerate(marks) if mark == 1]


@pytest.mark.parametrize("tokens,expected", [
    # a stop standing alone ends a sentence before any word, lower case included
    (["Le", "navire", "a", "appareillé", "", ".", "des", "marins", "attendaient"], [0, 5]),
    (["Il", "pleut", "", ".", "12", "blindés", "sont", "arrivés"], [0, 3]),
    # a question mark goes on before a lower-case word, ends before a capital
    (["Pourquoi", "", "?", "demande", "le", "ministre"], [0]),
    (["Pourquoi", "", "?", "Le", "ministre", "se", "tait"], [0, 2]),
    # a closing quote after the stop stays with its sentence
    (["«", "", "C'", "", "est", "fait", "", ".", "»", "Le", "ministre", "sourit"], [0, 6]),
    (["«", "", "Vraiment", "", "?", "»", "", ",", "ajoute", "-t-il"], [0]),
    # a quote glued to the next word opens the next sentence
    (["Il", "signe", "", ".", "«", "", "Enfin", "", "»"], [0, 3]),
    # a line break ends a title; names, hyphens and designations are never cut
    (["Titre", "sans", "point", "\n\n", "Korea", "Aerospace", "Industries", "livre", "des", "FA-50"], [0, 4]),
    (["Tel-Aviv", "vend", "des", "Barak", "MX", "à", "New", "Delhi"], [0]),
])
def test_sentence_marks(tokens, expected):
    assert starts(tokens) == expected


@pytest.fixture(scope="module")
def nlp():
    from pipeline.nlp import build_nlp
    return build_nlp()


@pytest.mark.model
def test_only_sentences_with_a_relation_word_are_parsed(nlp):
    doc = nlp("Le temps était doux sur la côte. La Norvège a vendu quatre frégates au Chili. "
              "Les marins ont défilé.")
    assert doc._.arms_parsed == [1]
    first, second, third = doc.sents
    assert {t.dep_ for t in first} == {"ROOT", "dep"} and all(t.head == first[0] for t in first)
    assert {t.dep_ for t in third} == {"ROOT", "dep"}
    sold = next(t for t in second if t.lemma_ == "vendre")
    assert sold.dep_ == "ROOT" and any(c.dep_ == "nsubj" and c.text == "Norvège" for c in sold.children)
    assert [(s.start, s.end) for s in doc.sents] == [(first.start, first.end), (second.start, second.end),
                                                     (third.start, third.end)]
    assert len(doc._.arms_relations) == 1 and doc._.arms_relations[0]["attrs"]["recipient_country"] == "CHL"


@pytest.mark.model
def test_the_sentence_before_a_pronoun_subject_is_parsed_too(nlp):
    doc = nlp("Le royaume chérifien modernise sa flotte. Il a signé un protocole d'accord avec le Japon.")
    assert doc._.arms_parsed == [0, 1]
    agreement = next(r for r in doc._.arms_relations if r["type"] == "agreement")
    assert sorted(agreement["attrs"]["parties"]) == ["JPN", "MAR"]
