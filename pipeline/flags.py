"""Token patterns compiled for speed: word-list and regex tests become lexeme flags.

spaCy's `Matcher` checks plain attributes (`{"LOWER": "drone"}`) in C, but every `IN`,
`NOT_IN` or `REGEX` test is a Python call, made at every token for each distinct test that
can start a pattern. With the ~120 token patterns of `rules/patterns/` that was most of the
span finder's time. A test on the word's own text (`TEXT`/`ORTH`/`LOWER`) has the same answer
for every occurrence of the word, so it can be stored once per vocabulary entry as a boolean
flag (`Vocab.add_flag`, documented spaCy API), which the Matcher reads in C like any other
attribute. spaCy has 46 free flag bits; they go first to the tests that can start a
pattern (regexes, then the largest word lists), then to the others by use. A small word list
(`IN: [drone, drones]`) that can start a pattern is split instead into one pattern per word.
Every other test stays as written. Matches are exactly those of the written patterns
(`tests/test_flags.py`).

A pattern made only of lower-case word tests (`{LOWER: word}` or `{LOWER: {IN: [...]}}`,
optional or not) is compiled instead into the word sequences it matches, when they are at
most PHRASE_MAX: one pattern of plain `{LOWER: word}` tokens per sequence. The span finder
gives those to a `PhraseMatcher` on `LOWER`, whose cost does not grow with the number of
phrases; the `Matcher` tries each of its patterns at every token.

A set test on a token annotation (`{POS: {NOT_IN: [ADJ]}}`) is a Python call at every token
when it sits in the first token of a pattern. There (when that token is not optional) it is
taken out of the pattern (`first_token_checks`) and checked on the first token of each match
instead, which finds the same spans.

The flags live in the vocabulary of the `nlp` that holds the span finder, so they are set
again in every process that builds the pipeline (`--workers`, Dask workers).
"""
from __future__ import annotations

import itertools
import json
import math
import re
from typing import Iterable, Iterator, Optional

from spacy.schemas import validate_token_pattern
from spacy.vocab import Vocab

LEXICAL_ATTRS = {"TEXT": "ORTH", "ORTH": "ORTH", "LOWER": "LOWER"}
LEXICAL_OPS = {"IN", "NOT_IN", "REGEX"}
SPLIT_MAX_WORDS = 3          # a leading word list this small becomes one pattern per word
PHRASE_MAX = 1000            # a pattern of lower-case words with at most this many sequences becomes phrases
REPEATING_OPS = {"?", "*"}   # a token with these may be skipped: the next one can lead

PredicateKey = tuple  # (attribute, "IN" | "REGEX", canonical JSON of the value)


class LexicalTest:
    """The answer of one `IN` or `REGEX` test for a word's text (a picklable flag getter)."""

    def __init__(self, attr: str, op: str, value) -> None:
        self.lowercase = attr == "LOWER"
        self.pattern = re.compile(value) if op == "REGEX" else None
        self.words = frozenset(value) if op == "IN" else frozenset()

    def __call__(self, text: str) -> bool:
        if self.lowercase:
            text = text.lower()
        if self.pattern is not None:
            return self.pattern.search(text) is not None
        return text in self.words


def predicate_key(attr, condition) -> Optional[PredicateKey]:
    """The key of a lexical test (`NOT_IN` shares the key of `IN`), or None for any other."""
    if attr not in LEXICAL_ATTRS or not isinstance(condition, dict) or len(condition) != 1:
        return None
    (op, value), = condition.items()
    if op not in LEXICAL_OPS:
        return None
    if op == "REGEX":
        return (LEXICAL_ATTRS[attr], op, json.dumps(value))
    if not all(isinstance(word, str) for word in value):
        return None
    return (LEXICAL_ATTRS[attr], "IN", json.dumps(sorted(set(value)), ensure_ascii=False))


def leading_tokens(pattern: list[dict]) -> Iterator[dict]:
    """The tokens a match can start with: the first, and the next while they are optional."""
    for token in pattern:
        yield token
        if token.get("OP") not in REPEATING_OPS:
            return


def splittable(attr, condition) -> bool:
    """A small word list, better written as one plain pattern per word."""
    return (attr in LEXICAL_ATTRS and isinstance(condition, dict) and list(condition) == ["IN"]
            and len(condition["IN"]) <= SPLIT_MAX_WORDS
            and all(isinstance(word, str) for word in condition["IN"]))


def flag_order(patterns: Iterable[list[dict]]) -> list[PredicateKey]:
    """Lexical tests by need of a flag: leading ones that will not be split (regexes, then
    the longest lists), then the others by how many patterns use them."""
    leading: set = set()
    uses: dict = {}
    for pattern in patterns:
        lead = {id(token) for token in leading_tokens(pattern)}
        for token in pattern:
            for attr, condition in token.items():
                key = predicate_key(attr, condition)
                if key is None:
                    continue
                uses[key] = uses.get(key, 0) + 1
                if id(token) in lead and not splittable(attr, condition):
                    leading.add(key)

    def size(key: PredicateKey) -> int:
        return 10**9 if key[1] == "REGEX" else len(json.loads(key[2]))

    first = sorted(leading, key=lambda key: (-size(key), key))
    rest = sorted((key for key in uses if key not in leading), key=lambda key: (-uses[key], key))
    return first + rest


def add_flags(vocab: Vocab, keys: list[PredicateKey]) -> dict[PredicateKey, int]:
    """Give each test a free flag bit of `vocab`, while bits last."""
    free_bits = [bit for bit in range(1, 64) if bit not in vocab.lex_attr_getters]
    flags = {}
    for key, bit in zip(keys, free_bits):
        attr, op, value = key
        vocab.add_flag(LexicalTest(attr, op, json.loads(value)), flag_id=bit)
        flags[key] = bit
    return flags


def flagged_token(token: dict, flags: dict[PredicateKey, int]) -> dict:
    """The token with its flagged tests replaced by `{bit: True}` (`{bit: False}` for NOT_IN)."""
    out = {}
    for attr, condition in token.items():
        bit = flags.get(predicate_key(attr, condition))
        if bit is None:
            out[attr] = condition
        else:
            out[bit] = "NOT_IN" not in condition
    return out


def split_leading(pattern: list[dict]) -> list[list[dict]]:
    """One pattern per word of each small leading word list (the product, if several)."""
    lead = {id(token) for token in leading_tokens(pattern)}
    choices = []
    for token in pattern:
        options = [token]
        if id(token) in lead:
            for attr, condition in token.items():
                if splittable(attr, condition):
                    options = [{**token, attr: word} for word in condition["IN"]]
                    break
        choices.append(options)
    return [list(combination) for combination in itertools.product(*choices)]


ANNOTATION_ATTRS = {"POS": "pos_", "TAG": "tag_", "DEP": "dep_", "LEMMA": "lemma_", "ENT_TYPE": "ent_type_"}


def first_token_checks(pattern: list[dict]) -> tuple[list[dict], dict]:
    """The pattern without the `IN`/`NOT_IN` tests on annotations (ANNOTATION_ATTRS) of its
    first token, and those tests ({attribute: {op: words}}); the pattern as it is, and no
    test, when its first token is optional or repeated or has no such test."""
    first = pattern[0] if pattern else {}
    checks = {attr: condition for attr, condition in first.items()
              if attr in ANNOTATION_ATTRS and isinstance(condition, dict) and len(condition) == 1
              and set(condition) <= {"IN", "NOT_IN"} and all(isinstance(w, str) for w in next(iter(condition.values())))}
    if not checks or "OP" in first or len(checks) == len(first):
        return pattern, {}
    return [{k: v for k, v in first.items() if k not in checks}, *pattern[1:]], checks


def passes_checks(token, checks: dict) -> bool:
    """Whether a token passes the tests `first_token_checks` took out."""
    for attr, condition in checks.items():
        (op, words), = condition.items()
        if (getattr(token, ANNOTATION_ATTRS[attr]) in words) != (op == "IN"):
            return False
    return True


def word_sequences(pattern: list[dict]) -> list[tuple[str, ...]] | None:
    """The word sequences a pattern of lower-case word tests matches (in a stable order), or
    None if it tests anything else, repeats a token (`+`, `*`), or has more than PHRASE_MAX
    sequences. A word with a capital never equals a lower-case form: it is left out."""
    choices = []
    for token in pattern:
        if set(token) - {"OP"} != {"LOWER"} or token.get("OP") not in (None, "?"):
            return None
        value = token["LOWER"]
        words = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) and list(value) == ["IN"] else None
        if words is None or not all(isinstance(word, str) for word in words):
            return None
        choices.append(sorted({word for word in words if word == word.lower()}) + ([None] if token.get("OP") == "?" else []))
    if math.prod(len(words) for words in choices) > PHRASE_MAX:
        return None
    sequences = (tuple(word for word in combination if word is not None)
                 for combination in itertools.product(*choices))
    return [sequence for sequence in dict.fromkeys(sequences) if sequence]


def is_lower_phrase(pattern) -> bool:
    """A token pattern of plain lower-case words (`[{LOWER: drones}, {LOWER: armés}]`)."""
    return isinstance(pattern, list) and bool(pattern) and all(
        list(token) == ["LOWER"] and isinstance(token["LOWER"], str) for token in pattern)


def compile_patterns(patterns: list[list[dict]], vocab: Vocab) -> list[list[list[dict]]]:
    """For each written token pattern, the equivalent patterns to give the Matcher (or, for
    those of plain lower-case words, to a PhraseMatcher on `LOWER`: see `is_lower_phrase`).

    Raises ValueError if a written pattern is not a valid spaCy token pattern (the
    compiled ones use flag bits, which spaCy's validation does not know)."""
    for pattern in patterns:
        errors = validate_token_pattern(pattern)
        if errors:
            raise ValueError(f"invalid token pattern {pattern!r}: {'; '.join(errors)}")
    sequences = [word_sequences(pattern) for pattern in patterns]
    flags = add_flags(vocab, flag_order(p for p, seq in zip(patterns, sequences) if seq is None))
    return [[[{"LOWER": word} for word in sequence] for sequence in seq] if seq is not None
            else split_leading([flagged_token(token, flags) for token in pattern])
            for pattern, seq in zip(patterns, sequences)]
