"""The per-document word positions of the relation stage (`view.DocWords`, `DocView`'s scans
by position): they must find exactly the tokens a scan of every token's object finds."""
from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.tokens import Doc

from pipeline.relations.view import DocView, DocWords, LexiconFacts, TokensById

# our own sentence: "Le Pérou a acheté des drones. Les appareils seront livrés à Lima par la marine péruvienne."
WORDS = ["Le", "Pérou", "a", "acheté", "des", "drones", ".", "Les", "appareils", "seront", "livrés", "à",
         "Lima", "par", "la", "marine", "péruvienne", "."]
LEMMAS = ["le", "Pérou", "avoir", "acheter", "un", "drone", ".", "le", "appareil", "être", "Livrer", "à",
          "Lima", "par", "le", "marine", "péruvien", "."]


VOCAB = spacy.blank("fr").vocab  # with the language's lower-case forms


def make_doc() -> Doc:
    starts = [w == "Le" or w == "Les" for w in WORDS]
    return Doc(VOCAB, words=WORDS, lemmas=LEMMAS, sent_starts=starts)


def scanned(doc: Doc, lemmas: frozenset, forms: frozenset) -> list[int]:
    """What a scan of every token's object finds: the reference the positions must equal."""
    return [t.i for t in doc if t.lemma_.lower() in lemmas or t.lower_ in forms]


@pytest.mark.parametrize("lemmas,forms", [
    (frozenset({"le"}), frozenset()),
    (frozenset({"livrer", "acheter"}), frozenset()),        # `Livrer` lower-cased
    (frozenset(), frozenset({"appareils", "drones"})),
    (frozenset({"être"}), frozenset({"la", "à"})),
    (frozenset({"absent"}), frozenset({"nulle-part"})),       # words the doc does not hold
])
def test_doc_words_positions_are_those_a_token_scan_finds(lemmas, forms):
    doc = make_doc()
    assert DocWords(doc).positions(lemmas, forms) == scanned(doc, lemmas, forms)
    assert scanned(doc, lemmas, forms) or "absent" in lemmas  # the cases find tokens


def test_tokens_by_id_groups_every_token_under_its_id():
    column = numpy.array([7, 3, 7, 9, 3, 7], dtype=numpy.uint64)
    by_id = TokensById(column)
    assert sorted(by_id.ids()) == [3, 7, 9]
    assert sorted(by_id.positions([7])) == [0, 2, 5]
    assert sorted(by_id.positions([3, 9, 4])) == [1, 3, 4]


def test_an_empty_doc_has_no_positions():
    assert DocWords(Doc(VOCAB, words=[])).positions(frozenset({"le"}), frozenset({"la"})) == []


def mention(label: str, start: int, end: int, sentence: int, norm: dict | None = None) -> dict:
    return {"label": label, "token_start": start, "token_end": end, "sentence": sentence, "norm": norm or {},
            "text": " ".join(WORDS[start:end]), "start": 0, "end": 0}


@pytest.fixture
def view() -> DocView:
    doc = make_doc()
    import pipeline.components  # noqa: F401  (the doc extensions)
    doc._.arms_mentions = [mention("LOC", 1, 2, 0, {"type": "country", "country": "PER"}),
                           mention("WEAPON", 5, 6, 0, {"category": "drone"}),
                           mention("LOC", 12, 13, 1, {"type": "city", "country": "PER"}),
                           mention("ORG", 14, 16, 1, {"type": "armed_forces", "country": "PER"})]
    return DocView(doc, view_facts())


def view_facts() -> LexiconFacts:
    return LexiconFacts(demonyms={"péruvienne": "PER", "péruvien": "PER"}, person_countries={}, person_lookup={})


def test_mention_tokens_and_starts(view):
    assert view.mention_tokens == [1, 5, 12, 14, 15]
    assert view.mention_starts == [1, 5, 12, 14]


def test_sentence_words_by_position(view):
    first, second = view.sents
    assert view.has_lemma(first, frozenset({"acheter"})) and not view.has_lemma(second, frozenset({"acheter"}))
    assert view.has_word(second, frozenset({"appareils"})) and not view.has_word(first, frozenset({"appareils"}))
    assert [t.i for t in view.with_lemma(frozenset({"le"}), second)] == [7, 14]
    assert [t.i for t in view.with_word(frozenset({"livrer"}), frozenset({"drones"}), 0, len(view.doc))] == [5, 10]
    assert view.between([1, 4, 9, 12], 4, 12) == [4, 9]


def test_scans_for_parties_and_places(view):
    first, second = view.sents
    assert view.party_before(second, view.doc[13]) == 2          # Lima, before `par`
    assert view.first_party_between(13, 18) == 3                  # la marine (a party, from its second token too)
    assert view.first_party_between(15, 18) == 3
    assert view.party_after_preposition(second, view.doc[10], frozenset({"à"})) == 2
    assert view.party_after_preposition(second, view.doc[10], frozenset({"par"})) == 3  # `la` skipped
    assert view.place_in(second) == 2                             # `à Lima`
    assert view.place_in(first) is None


def test_first_token_from_a_character(view):
    second = view.sents[1]
    appareils = view.doc[8]
    assert view.first_token_from(second, appareils.idx) == appareils
    assert view.first_token_from(second, appareils.idx + 1) == view.doc[9]
    assert view.first_token_from(second, len(view.doc.text) + 5) is None


def test_demonym_tokens_outside_mentions(view):
    assert view.demonym_tokens() == [(16, "PER")]  # `péruvienne`, outside `la marine`
    view.doc._.arms_mentions[3]["token_end"] = 17   # `la marine péruvienne` as one mention
    assert DocView(view.doc, view_facts()).demonym_tokens() == []


def test_a_sentence_cue_is_searched_once_per_sentence(view):
    from pipeline.relations.transfers import sentence_says
    searched = []

    def test(text):
        searched.append(text)
        return "drones" in text
    first, second = view.sents
    assert [sentence_says(view, s, "cue", test) for s in (first, first, second, second)] == [True, True, False, False]
    assert searched == [view.sentence_index.text_of(first), view.sentence_index.text_of(second)]


def test_agreement_kinds_are_listed_under_their_first_word():
    from pipeline.relations.rules import agreement_head, load_relation_rules
    rules = load_relation_rules()
    listed = sorted(k for kinds in rules.agreement_kinds_of_head.values() for k in kinds)
    assert listed == list(range(len(rules.agreement_regexes)))
    for head, kinds in rules.agreement_kinds_of_head.items():
        assert all(rules.agreement_regexes[k][0] == head == agreement_head(rules.agreement_kinds[k]) for k in kinds)
