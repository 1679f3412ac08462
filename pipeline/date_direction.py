"""Which occurrence a DATE that gives no year takes, read from the verbs of its sentence.

`date_direction(sent, start, end)` gives `past`, `future` or `nearest` for the DATE at tokens
[start, end) of the sentence `sent`: the `prefer` the resolver hands `normalize_date`. The
rule, its word lists and its reasons are in rules/date_direction.yaml; it reads the
morphologizer's Tense, Mood and VerbForm and the lemmas (the dependency parse is not there
yet when the resolver runs).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Span, Token

from .lexicons import RuleError, check_keys, read_yaml, rules_path
from .normalize.dates import PREFERENCES, fold

__all__ = ["DirectionRules", "load_direction_rules", "date_direction"]

LIST_KEYS = ("future_tenses", "future_moods", "compound_auxiliaries", "future_endings",
             "conditional_endings", "examples")
MAP_KEYS = ("future_auxiliaries", "future_stems")
VERB_TAGS = ("VERB", "AUX")
VERB_REACH = 4  # tokens from an auxiliary to its participle or infinitive (`va en effet se rendre`)


@dataclass(frozen=True)
class DirectionRules:
    """rules/date_direction.yaml, checked."""

    future_tenses: frozenset[str]
    future_moods: frozenset[str]
    compound_auxiliaries: frozenset[str]
    future_auxiliaries: dict[str, frozenset[str]]  # lemma -> the tenses it makes a near future in
    future_endings: tuple[str, ...]
    conditional_endings: tuple[str, ...]
    future_stems: dict[str, str]                   # lemma -> irregular future stem
    without_verb: str
    examples: tuple[str, ...]


@functools.lru_cache(maxsize=4)
def load_direction_rules(rules_dir: Path | None = None) -> DirectionRules:
    """rules/date_direction.yaml as a DirectionRules; a malformed file raises RuleError."""
    path = rules_path("date_direction.yaml", rules_dir=rules_dir)
    data = read_yaml(path)
    check_keys(data, {*LIST_KEYS, *MAP_KEYS, "without_verb"}, {*LIST_KEYS, *MAP_KEYS, "without_verb"}, path.name)
    for key in LIST_KEYS:
        if not isinstance(data[key], list) or not all(isinstance(item, str) for item in data[key]):
            raise RuleError(f"{path.name}: {key} must be a list of words")
    for key in MAP_KEYS:
        if not isinstance(data[key], dict):
            raise RuleError(f"{path.name}: {key} must map a verb lemma to its value")
    if data["without_verb"] not in PREFERENCES:
        raise RuleError(f"{path.name}: without_verb must be one of {', '.join(PREFERENCES)}")
    for example in data["examples"]:
        if example.partition(" => ")[2] not in PREFERENCES:
            raise RuleError(f"{path.name}: example {example!r} must read `sentence => direction`")
    return DirectionRules(
        frozenset(data["future_tenses"]), frozenset(data["future_moods"]),
        frozenset(fold(lemma) for lemma in data["compound_auxiliaries"]),
        {fold(lemma): frozenset(tenses) for lemma, tenses in data["future_auxiliaries"].items()},
        tuple(data["future_endings"]), tuple(data["conditional_endings"]),
        {fold(lemma): fold(stem) for lemma, stem in data["future_stems"].items()},
        data["without_verb"], tuple(data["examples"]))


def date_direction(sent: Span, start: int, end: int, rules: DirectionRules) -> str:
    """`future`, `past` or `nearest` for the DATE at tokens [start, end) of `sent`."""
    verb = governing_verb(sent, start, end, rules)
    if verb is None:
        return rules.without_verb
    return "future" if is_future(verb, sent.end, rules) else "past"


def governing_verb(sent: Span, start: int, end: int, rules: DirectionRules) -> Token | None:
    """The verb that gives the date its tense: the nearest finite verb or participle before
    the date in its sentence, else the first after it, infinitives passed over; a participle
    stands for its auxiliary when it has one (`seront livrés`, `a été cédé`)."""
    doc = sent.doc
    for positions in (range(start - 1, sent.start - 1, -1), range(end, sent.end)):
        for i in positions:
            token = doc[i]
            if is_finite(token, rules):
                return token
            if is_participle(token):
                return auxiliary_of(token, sent.start, rules) or token
    return None


def auxiliary_of(participle: Token, sent_start: int, rules: DirectionRules) -> Token | None:
    """The finite auxiliary within VERB_REACH tokens before a participle (`sera signé`,
    `a été livré`, `aurait déjà signé`), or None (`le fonds créé à l'automne`)."""
    doc = participle.doc
    for i in range(participle.i - 1, max(sent_start, participle.i - VERB_REACH) - 1, -1):
        token = doc[i]
        if is_finite(token, rules):
            return token if fold(token.lemma_) in rules.compound_auxiliaries else None
        if is_verb(token) and not is_participle(token):
            return None
    return None


def is_participle(token: Token) -> bool:
    return is_verb(token) and "Part" in token.morph.get("VerbForm")


def is_verb(token: Token) -> bool:
    return token.pos_ in VERB_TAGS


def is_finite(token: Token, rules: DirectionRules) -> bool:
    """A verb the morphologizer calls finite, or whose form is a future or a conditional."""
    return is_verb(token) and ("Fin" in token.morph.get("VerbForm") or future_form(token, rules) is not None)


def future_form(token: Token, rules: DirectionRules) -> str | None:
    """`future` or `conditional` when the word is its verb's future stem plus an ending of
    that tense (`signera`, `reviendrai`, `rendrait`), else None."""
    lemma, word = fold(token.lemma_), fold(token.text)
    stem = rules.future_stems.get(lemma) or (lemma[:-1] if lemma.endswith("re") else lemma)
    ending = word[len(stem):] if word.startswith(stem) else None
    if ending in rules.future_endings:
        return "future"
    if ending in rules.conditional_endings:
        return "conditional"
    return None


def is_future(verb: Token, sent_end: int, rules: DirectionRules) -> bool:
    """A finite verb that points at the future: a future, a conditional that is no
    auxiliary of a participle (`aurait signé` is a past), or a near-future auxiliary in one
    of its tenses with an infinitive after it (`va sortir`, `doit signer`)."""
    form = future_form(verb, rules)
    tenses = set(verb.morph.get("Tense"))
    if form == "conditional" or rules.future_moods.intersection(verb.morph.get("Mood")):
        return not (fold(verb.lemma_) in rules.compound_auxiliaries and next_verb_form(verb, sent_end) == "Part")
    if form == "future" or rules.future_tenses & tenses:
        return True
    near = rules.future_auxiliaries.get(fold(verb.lemma_))
    return bool(near and near & tenses and next_verb_form(verb, sent_end) == "Inf")


def next_verb_form(verb: Token, sent_end: int) -> str | None:
    """The VerbForm of the next verb within VERB_REACH tokens of `verb`, before `sent_end`."""
    for i in range(verb.i + 1, min(verb.i + 1 + VERB_REACH, sent_end)):
        if is_verb(verb.doc[i]):
            forms = verb.doc[i].morph.get("VerbForm")
            return forms[0] if forms else None
    return None
