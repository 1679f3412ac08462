"""Which occurrence a DATE that gives no year takes, read from the verbs of its sentence.

`date_direction(sent, start, end)` gives `past`, `future` or `nearest` for the DATE at tokens
[start, end) of the sentence `sent`: the `prefer` the resolver hands `normalize_date`. The
rule, its word lists and its reasons are in rules/date_direction.yaml; it reads the
morphologizer's Tense, Mood and VerbForm and the lemmas (the dependency parse is not there
yet when the resolver runs), word by word from one array of the doc (`DocWords`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, MorphAnalysis, Span

from .lexicons import RuleError, check_keys, read_yaml, rules_path
from .normalize.dates import PREFERENCES, fold

__all__ = ["DirectionRules", "DocWords", "load_direction_rules", "date_direction"]

LIST_KEYS = ("future_tenses", "future_moods", "compound_auxiliaries", "etre_verbs", "reflexive_pronouns",
             "planning_participles", "future_endings", "conditional_endings", "examples")
MAP_KEYS = ("future_auxiliaries", "future_stems")
VERB_TAGS = (VERB, AUX)  # parts of speech, as symbol ids
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


def date_direction(sent: Span, start: int, end: int, rules: DirectionRules,
                   words: DocWords | None = None) -> str:
    """`future`, `past` or `nearest` for the DATE at tokens [start, end) of `sent`; `words`:
    the doc's `DocWords`, when the caller reads several dates of one doc."""
    words = words if words is not None and words.doc is sent.doc else DocWords(sent.doc)
    verb = governing_verb(words, sent, start, end, rules)
    if verb is None:
        return rules.without_verb
    return "future" if is_future(words, verb, sent.end, rules) else "past"


class Word(NamedTuple):
    """What the rules read of a word: its part of speech (a symbol id), its lemma and text
    folded, and the values of its VerbForm, Tense and Mood."""
    pos: int
    lemma: str
    text: str
    verb_forms: tuple[str, ...]
    tenses: tuple[str, ...]
    moods: tuple[str, ...]


class DocWords:
    """The `Word`s of a doc, read from one array (a `Token` and its `morph` are objects built
    at each access), each taken when the rules first visit it."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.rows = doc.to_array([POS, LEMMA, ORTH, MORPH]).tolist()

    def __getitem__(self, i: int) -> Word:
        return word_of(self.doc.vocab, tuple(self.rows[i]))


_WORDS: dict[tuple[int, int, int, int], Word] = {}  # (POS, LEMMA, ORTH, MORPH) -> its Word
WORDS_MAX = 100_000  # emptied when it holds more, so memory stays flat on any corpus


def word_of(vocab, row: tuple[int, int, int, int]) -> Word:
    """The `Word` of a word whose POS, LEMMA, ORTH and MORPH are `row` (hashes: the same
    strings in any vocabulary), memoised."""
    word = _WORDS.get(row)
    if word is None:
        if len(_WORDS) >= WORDS_MAX:
            _WORDS.clear()
        pos, lemma, orth, morph = row
        strings = vocab.strings
        analysis = MorphAnalysis.from_id(vocab, morph)
        word = _WORDS[row] = Word(pos, fold(strings[lemma]), fold(strings[orth]),
                                  *(tuple(analysis.get(field)) for field in ("VerbForm", "Tense", "Mood")))
    return word


def governing_verb(words: DocWords, sent: Span, start: int, end: int, rules: DirectionRules) -> int | None:
    """The verb that gives the date its tense (its position): the nearest finite verb or
    participle before the date in its sentence, else the first after it, infinitives passed
    over; a participle stands for its auxiliary when it has one (`seront livrés`, `a été
    cédé`, `doit être signé`); a planning participle without one (`prévu le 11 juillet`) is
    passed over too."""
    for positions in (range(start - 1, sent.start - 1, -1), range(end, sent.end)):
        for i in positions:
            word = words[i]
            if is_finite(word, rules):
                return i
            if is_participle(word):
                auxiliary = auxiliary_of(words, i, sent.start, rules)
                if auxiliary is not None or word.lemma not in rules.planning_participles:
                    return i if auxiliary is None else auxiliary
    return None


def auxiliary_of(words: DocWords, participle: int, sent_start: int, rules: DirectionRules) -> int | None:
    """The finite verb within VERB_REACH tokens before a participle that makes its tense:
    an auxiliary (`sera signé`, `a été livré`, `aurait déjà signé`) or the verb before an
    auxiliary's infinitive (`doit être signé`, `devraient être livrés`); None for a participle
    on its own (`le fonds créé à l'automne`)."""
    through_infinitive = False
    for i in range(participle - 1, max(sent_start, participle - VERB_REACH) - 1, -1):
        word = words[i]
        if is_finite(word, rules):
            return i if through_infinitive or word.lemma in rules.compound_auxiliaries else None
        if is_verb(word) and not is_participle(word):
            if word.lemma not in rules.compound_auxiliaries:
                return None
            through_infinitive = True  # `être` of `doit être signé`
    return None


def is_participle(word: Word) -> bool:
    return is_verb(word) and "Part" in word.verb_forms


def is_verb(word: Word) -> bool:
    return word.pos in VERB_TAGS


def is_finite(word: Word, rules: DirectionRules) -> bool:
    """A verb the morphologizer calls finite, or whose form is a future or a conditional."""
    return is_verb(word) and ("Fin" in word.verb_forms or future_form(word, rules) is not None)


def future_form(word: Word, rules: DirectionRules) -> str | None:
    """`future` or `conditional` when the word is its verb's future stem plus an ending of
    that tense (`signera`, `reviendrai`, `rendrait`), else None."""
    lemma, text = word.lemma, word.text
    stem = rules.future_stems.get(lemma) or (lemma[:-1] if lemma.endswith("re") else lemma)
    ending = text[len(stem):] if text.startswith(stem) else None
    if ending in rules.future_endings:
        return "future"
    if ending in rules.conditional_endings:
        return "conditional"
    return None


def is_future(words: DocWords, verb: int, sent_end: int, rules: DirectionRules) -> bool:
    """A finite verb that points at the future: a future, a conditional that does not make
    a past conditional (`aurait signé`, `serait arrivé`, `se serait rendu`; `seraient livrés`
    is a passive, a future), or a near-future auxiliary in one of its tenses with an
    infinitive after it (`va sortir`, `doit signer`)."""
    word = words[verb]
    form = future_form(word, rules)
    tenses = set(word.tenses)
    follower = next_verb(words, verb, sent_end)
    if form == "conditional" or rules.future_moods.intersection(word.moods):
        return not makes_a_past(words, verb, follower, rules)
    if form == "future" or rules.future_tenses & tenses:
        return True
    near = rules.future_auxiliaries.get(word.lemma)
    return bool(near and near & tenses and follower is not None and "Inf" in words[follower].verb_forms)


def makes_a_past(words: DocWords, auxiliary: int, follower: int | None, rules: DirectionRules) -> bool:
    """An auxiliary before a participle that makes a compound past: `avoir` always, `être`
    with a verb conjugated with it or a reflexive pronoun before it (else a passive)."""
    lemma = words[auxiliary].lemma
    if lemma not in rules.compound_auxiliaries or follower is None or "Part" not in words[follower].verb_forms:
        return False
    if lemma != "etre":
        return True
    return (words[follower].lemma in rules.etre_verbs
            or (auxiliary > 0 and words[auxiliary - 1].text in rules.reflexive_pronouns))


def next_verb(words: DocWords, verb: int, sent_end: int) -> int | None:
    """The position of the next verb within VERB_REACH tokens of `verb`, before `sent_end`."""
    for i in range(verb + 1, min(verb + 1 + VERB_REACH, sent_end)):
        if is_verb(words[i]):
            return i
    return None
