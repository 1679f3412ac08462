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

LIST_KEYS = ("future_tenses", "future_moods", "compound_auxiliaries", "etre_verbs", "reflexive_pronouns",
             "planning_participles", "future_endings", "conditional_endings", "examples")
MAP_KEYS = ("future_auxiliaries", "future_stems")
VERB_TAGS = ("VERB", "AUX")
VERB_REACH = 4  # tokens from an auxiliary to its participle or infinitive (`va en effet se rendre`)


@dataclass(frozen=True)
class DirectionRules:
    """rules/date_direction.yaml, checked."""

    future_tenses: frozenset[str]
    future_moods: frozenset[str]
    compound_auxiliaries: frozenset[str]
    etre_verbs: frozenset[str]                     # conjugated with être: `serait arrivé` is a past
    reflexive_pronouns: frozenset[str]             # `se serait rendu` is a past
    planning_participles: frozenset[str]           # `prévu le 11 juillet` takes its clause's tense
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
        frozenset(fold(lemma) for lemma in data["etre_verbs"]),
        frozenset(fold(word) for word in data["reflexive_pronouns"]),
        frozenset(fold(lemma) for lemma in data["planning_participles"]),
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
    stands for its auxiliary when it has one (`seront livrés`, `a été cédé`, `doit être
    signé`); a planning participle without one (`prévu le 11 juillet`) is passed over too."""
    doc = sent.doc
    for positions in (range(start - 1, sent.start - 1, -1), range(end, sent.end)):
        for i in positions:
            token = doc[i]
            if is_finite(token, rules):
                return token
            if is_participle(token):
                auxiliary = auxiliary_of(token, sent.start, rules)
                if auxiliary is not None or fold(token.lemma_) not in rules.planning_participles:
                    return auxiliary or token
    return None


def auxiliary_of(participle: Token, sent_start: int, rules: DirectionRules) -> Token | None:
    """The finite verb within VERB_REACH tokens before a participle that makes its tense:
    an auxiliary (`sera signé`, `a été livré`, `aurait déjà signé`) or the verb before an
    auxiliary's infinitive (`doit être signé`, `devraient être livrés`); None for a participle
    on its own (`le fonds créé à l'automne`)."""
    doc = participle.doc
    through_infinitive = False
    for i in range(participle.i - 1, max(sent_start, participle.i - VERB_REACH) - 1, -1):
        token = doc[i]
        if is_finite(token, rules):
            return token if through_infinitive or fold(token.lemma_) in rules.compound_auxiliaries else None
        if is_verb(token) and not is_participle(token):
            if fold(token.lemma_) not in rules.compound_auxiliaries:
                return None
            through_infinitive = True  # `être` of `doit être signé`
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
    """A finite verb that points at the future: a future, a conditional that does not make
    a past conditional (`aurait signé`, `serait arrivé`, `se serait rendu`; `seraient livrés`
    is a passive, a future), or a near-future auxiliary in one of its tenses with an
    infinitive after it (`va sortir`, `doit signer`)."""
    form = future_form(verb, rules)
    tenses = set(verb.morph.get("Tense"))
    follower = next_verb(verb, sent_end)
    if form == "conditional" or rules.future_moods.intersection(verb.morph.get("Mood")):
        return not makes_a_past(verb, follower, rules)
    if form == "future" or rules.future_tenses & tenses:
        return True
    near = rules.future_auxiliaries.get(fold(verb.lemma_))
    return bool(near and near & tenses and follower is not None and "Inf" in follower.morph.get("VerbForm"))


def makes_a_past(auxiliary: Token, follower: Token | None, rules: DirectionRules) -> bool:
    """An auxiliary before a participle that makes a compound past: `avoir` always, `être`
    with a verb conjugated with it or a reflexive pronoun before it (else a passive)."""
    lemma = fold(auxiliary.lemma_)
    if lemma not in rules.compound_auxiliaries or follower is None or "Part" not in follower.morph.get("VerbForm"):
        return False
    if lemma != "etre":
        return True
    before = auxiliary.doc[auxiliary.i - 1] if auxiliary.i > 0 else None
    return (fold(follower.lemma_) in rules.etre_verbs
            or (before is not None and fold(before.text) in rules.reflexive_pronouns))


def next_verb(verb: Token, sent_end: int) -> Token | None:
    """The next verb within VERB_REACH tokens of `verb`, before `sent_end`."""
    for i in range(verb.i + 1, min(verb.i + 1 + VERB_REACH, sent_end)):
        if is_verb(verb.doc[i]):
            return verb.doc[i]
    return None
