"""Token patterns compiled onto lexeme flags (`pipeline/flags.py`) match exactly what the
written patterns match: on the seeds, on the dev articles and on every pattern example,
also when spaCy has fewer free flag bits than the patterns have tests."""
from __future__ import annotations

import pickle

import pytest
import spacy
from spacy.matcher import Matcher

from pattern_texts import corpus_texts
from pipeline.components import PATTERN_FILES
from pipeline.flags import (LexicalTest, compile_patterns, first_token_checks, flag_order, is_lower_phrase,
                            leading_tokens, passes_checks, split_leading, word_sequences)
from pipeline.lexicons import load_patterns

RULES = [rule for name in PATTERN_FILES for rule in load_patterns(name)]


def all_matches(matcher: Matcher, docs) -> list:
    return [sorted((matcher.vocab.strings[key], start, end) for key, start, end in matcher(doc))
            for doc in docs]


def written_and_compiled(taken_bits: int = 0):
    """Matchers with the written patterns and with the compiled ones, each on its own vocab
    (so that flags of one cannot leak into the other); `taken_bits` free flag bits are
    used up first, as another component could have done."""
    written_nlp, compiled_nlp = spacy.blank("fr"), spacy.blank("fr")
    for _ in range(taken_bits):
        compiled_nlp.vocab.add_flag(lambda text: False)
    written = Matcher(written_nlp.vocab, validate=True)
    compiled = Matcher(compiled_nlp.vocab, validate=False)
    variants = compile_patterns([rule.pattern for rule in RULES], compiled_nlp.vocab)
    for rule, patterns in zip(RULES, variants):
        written.add(rule.id, [rule.pattern])
        compiled.add(rule.id, patterns)
    return (written_nlp, written), (compiled_nlp, compiled)


@pytest.mark.parametrize("taken_bits", [0, 40], ids=["all bits free", "6 bits free"])
def test_compiled_patterns_match_exactly_what_written_ones_match(taken_bits):
    (written_nlp, written), (compiled_nlp, compiled) = written_and_compiled(taken_bits)
    texts = corpus_texts()
    expected = all_matches(written, written_nlp.pipe(texts))
    got = all_matches(compiled, compiled_nlp.pipe(texts))
    assert sum(map(len, expected)) > 1000
    assert got == expected


def test_compiled_patterns_use_flags_for_leading_tests():
    nlp = spacy.blank("fr")
    variants = compile_patterns([rule.pattern for rule in RULES], nlp.vocab)
    leading = [token for patterns in variants for pattern in patterns for token in leading_tokens(pattern)]
    assert any(isinstance(key, int) for token in leading for key in token)
    # no leading word-list or regex test is left to a Python call when bits suffice
    assert not [token for token in leading
                if any(isinstance(value, dict) and {"IN", "REGEX"} & set(value)
                       for key, value in token.items() if key in ("LOWER", "TEXT", "ORTH"))]


def test_flag_order_puts_leading_regexes_and_long_lists_first():
    patterns = [[{"LOWER": {"IN": ["a", "b", "c", "d"]}}, {"TEXT": {"REGEX": "^x"}}],
                [{"TEXT": {"REGEX": "^\\d+$"}}],
                [{"LOWER": {"IN": ["e", "f"]}}, {"TEXT": {"REGEX": "^x"}}]]
    order = flag_order(patterns)
    assert order[0] == ("ORTH", "REGEX", '"^\\\\d+$"')
    assert order[1][0] == "LOWER" and "d" in order[1][2]
    assert ("ORTH", "REGEX", '"^x"') in order[2:]


def test_small_leading_lists_become_one_pattern_per_word():
    pattern = [{"LOWER": {"IN": ["un", "une"]}, "OP": "?"}, {"LOWER": {"IN": ["char", "chars"]}},
               {"LOWER": {"IN": ["de", "du"]}}]
    split = split_leading(pattern)
    assert len(split) == 4
    assert {"LOWER": "chars"} in [split[i][1] for i in range(4)]
    assert all(p[2] == {"LOWER": {"IN": ["de", "du"]}} for p in split)   # not leading: kept


def test_not_in_is_the_negated_flag():
    nlp = spacy.blank("fr")
    pattern = [{"LOWER": {"NOT_IN": ["en", "de", "du", "des", "dès"]}}, {"TEXT": "2020"}]
    compiled, = compile_patterns([pattern], nlp.vocab)
    matcher = Matcher(nlp.vocab, validate=False)
    matcher.add("x", compiled)
    doc = nlp("Exercice African 2020 et en 2020")
    assert [doc[start:end].text for _, start, end in matcher(doc)] == ["African 2020"]


def test_lexical_test_is_picklable_and_reads_the_lowercase():
    test = pickle.loads(pickle.dumps(LexicalTest("LOWER", "IN", ["mars"])))
    assert test("Mars") and test("MARS") and not test("mardi")
    assert LexicalTest("ORTH", "REGEX", "^\\d{4}$")("2021") and not LexicalTest("ORTH", "REGEX", "^\\d{4}$")("x2021")


def test_invalid_written_pattern_is_rejected():
    with pytest.raises(ValueError, match="invalid token pattern"):
        compile_patterns([[{"LOWR": "x"}]], spacy.blank("fr").vocab)


def test_patterns_of_lower_case_words_become_their_word_sequences():
    pattern = [{"LOWER": {"IN": ["char", "chars"]}}, {"LOWER": {"IN": ["de", "d'"]}, "OP": "?"},
               {"LOWER": {"IN": ["combat", "Assaut"]}, "OP": "?"}]
    sequences = word_sequences(pattern)
    # "Assaut" can never equal a lower-case form; every optional word may be left out
    assert sorted(sequences) == sorted([("char",), ("char", "de"), ("char", "d'"), ("char", "de", "combat"),
                                        ("char", "d'", "combat"), ("char", "combat"), ("chars",), ("chars", "de"),
                                        ("chars", "d'"), ("chars", "de", "combat"), ("chars", "d'", "combat"),
                                        ("chars", "combat")])
    compiled, = compile_patterns([pattern], spacy.blank("fr").vocab)
    assert len(compiled) == len(sequences) and all(is_lower_phrase(p) for p in compiled)


@pytest.mark.parametrize("pattern", [
    [{"LOWER": "drone"}, {"LOWER": {"IN": ["armé", "armés"]}, "OP": "+"}],   # repeats
    [{"LOWER": "drone"}, {"TEXT": "TB2"}],                                    # another attribute
    [{"LOWER": {"REGEX": "^drones?$"}}],                                      # not a word list
    [{"LOWER": "blindés", "POS": "NOUN"}],                                    # a second test
    [{"LOWER": {"IN": [str(n) for n in range(40)]}}] * 2,                     # too many sequences
], ids=["repeat", "other attribute", "regex", "two tests", "too many"])
def test_other_patterns_stay_token_patterns(pattern):
    assert word_sequences(pattern) is None
    compiled, = compile_patterns([pattern], spacy.blank("fr").vocab)
    assert not any(is_lower_phrase(p) for p in compiled)


def test_annotation_tests_of_a_first_token_are_taken_out_to_check_on_matches():
    pattern = [{"LOWER": {"IN": ["blindés", "blindé"]}, "POS": {"NOT_IN": ["ADJ"]}}, {"LOWER": "lourds", "OP": "?"}]
    stripped, checks = first_token_checks(pattern)
    assert stripped == [{"LOWER": {"IN": ["blindés", "blindé"]}}, {"LOWER": "lourds", "OP": "?"}]
    assert checks == {"POS": {"NOT_IN": ["ADJ"]}}
    nlp = spacy.blank("fr")
    doc = nlp("des véhicules blindés")
    doc[2].pos_ = "ADJ"
    assert not passes_checks(doc[2], checks)
    doc[2].pos_ = "NOUN"
    assert passes_checks(doc[2], checks) and passes_checks(doc[2], {"POS": {"IN": ["NOUN", "PROPN"]}})


@pytest.mark.parametrize("pattern", [
    [{"LOWER": "blindés", "POS": {"NOT_IN": ["ADJ"]}, "OP": "?"}, {"LOWER": "x"}],   # optional first token
    [{"POS": {"IN": ["NOUN"]}}, {"LOWER": "x"}],                                    # nothing else to match on
    [{"LOWER": "x"}, {"POS": {"NOT_IN": ["ADJ"]}}],                                 # not the first token
    [{"LOWER": "x", "MORPH": {"IN": ["Number=Plur"]}}],                             # not a plain annotation
], ids=["optional", "annotation only", "later token", "morph"])
def test_other_annotation_tests_stay_in_the_pattern(pattern):
    assert first_token_checks(pattern) == (pattern, {})
